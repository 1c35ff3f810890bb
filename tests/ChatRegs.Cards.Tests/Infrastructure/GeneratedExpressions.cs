using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// A fixed, pseudo-random set of expressions (same seed, same cases every run) mixing every
/// supported operator and function with awkward operands — missing values, nulls, empty
/// strings, arrays, objects, out-of-range indexes — in every position a binding can take: a
/// whole property, interpolated text, <c>$when</c> and <c>$data</c>. Both binders must agree on
/// each: the same JSON, or both refusing it.
/// </summary>
public static class GeneratedExpressions
{
    private static readonly string[] Atoms =
    [
        "n", "f", "s", "e", "b", "nul", "missing", "arr", "o", "zero", "neg", "big", "emptyArr", "emptyObj",
        "arr[0]", "arr[5]", "o.k", "o.K", "o.missing", "$index", "$root.n", "$data.s", "'x'", "'It\\'s'", "\"q\"",
        "1", "2.5", "0", "-1", "true", "false", "null", "[1,2]", "{}", "'10'", "'abc'", "''", "strs",
        "nested.a.b", "nested['a'].b", "o['k']", "arr[i]", "arr[3][0]", "arr[5][0]", "o[s]", "o['1']",
        "arr['1']", "strs[zero]", "$data", "$root", "-0", "0.1", "1000000", "$_acTemplateVersion.major",
        "nested.A.B", "zh", "'签到'",
    ];

    private static readonly string[] Unary =
    [
        "!{}", "-{}", "+{}", "not({})", "exists({})", "empty({})", "count({})", "length({})", "string({})",
        "first({})", "last({})", "trim({})", "concat({})", "createArray({})", "coalesce({})", "arr[{}]", "{}[0]",
        "{}.k", "{}[1][0]",
    ];

    private static readonly string[] Binary =
    [
        "{} + {}", "{} - {}", "{} * {}", "{} / {}", "{} % {}", "{} == {}", "{} != {}", "{} < {}", "{} <= {}",
        "{} > {}", "{} >= {}", "{} && {}", "{} || {}", "{} & {}", "{} ?? {}", "and({}, {})", "or({}, {})",
        "equals({}, {})", "concat({}, {})", "join({}, {})", "join({}, ', ', {})", "contains({}, {})",
        "startsWith({}, {})", "endsWith({}, {})", "formatNumber({}, 2)", "formatNumber({}, {})", "coalesce({}, {})",
        "if({}, {}, 'else')", "{} ? {} : 'no'", "string({}, 'en-US')", "({})", "{} ^ 2", "less({}, {})",
        "greaterOrEquals({}, {})", "add({}, {})", "sub({}, {})", "mul({}, {})", "div({}, {})", "mod({}, {})",
    ];

    public static JsonObject Data => (JsonObject)JsonNode.Parse("""
        { "n": 3, "f": 0.5, "s": "hello", "e": "", "b": true, "nul": null, "arr": [1, "two", null, [3]],
          "o": { "k": "v", "K": "V2", "1": "one" }, "zero": 0, "neg": -2.5, "big": 1234567.891,
          "emptyArr": [], "emptyObj": {}, "strs": ["a", "b", "c"], "nested": { "a": { "b": "deep" } }, "i": 1,
          "zh": "请假\"}{${n}" }
        """)!;

    public static IReadOnlyList<(string Id, JsonNode Template)> Create(int count, int seed = 20261126)
    {
        var random = new Random(seed);
        var cases = new List<(string, JsonNode)>(count);
        for (var k = 0; k < count; k++)
        {
            var e = Expression(random, 3);
            JsonNode template = random.Next(5) switch
            {
                0 or 1 => new JsonObject { ["v"] = "${" + e + "}" },
                2 => new JsonObject { ["v"] = "x ${" + e + "} y" },
                3 => JsonNode.Parse("""{ "w": [ { "$data": "${arr}", "v": "${$index}" } ] }""")!,
                _ => JsonNode.Parse("""{ "w": [ { "v": "${$data}", "i": "${$index}", "k": "${k}" } ] }""")!,
            };
            if (template["w"] is JsonArray w)
            {
                w[0]![w[0]!["$data"] == null ? "$data" : "$when"] = "${" + e + "}";
            }
            cases.Add(($"gen:{k}", template));
        }
        return cases;
    }

    private static string Expression(Random random, int depth)
    {
        if (depth <= 0 || random.NextDouble() < 0.3)
        {
            return Atoms[random.Next(Atoms.Length)];
        }
        if (random.NextDouble() < 0.4)
        {
            return Fill(Unary[random.Next(Unary.Length)], random, depth);
        }
        return Fill(Binary[random.Next(Binary.Length)], random, depth);
    }

    private static string Fill(string pattern, Random random, int depth)
    {
        var parts = pattern.Split("{}");
        var result = parts[0];
        for (var i = 1; i < parts.Length; i++)
        {
            result += Expression(random, depth - 1) + parts[i];
        }
        return result;
    }
}
