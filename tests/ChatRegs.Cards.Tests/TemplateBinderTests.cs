using System.Text.Json.Nodes;
using ChatRegs.Cards.Templating;

namespace ChatRegs.Cards.Tests;

/// <summary>
/// The binder on its own, with the expected results written out (each was also checked against
/// the official library: the same situations are in TemplateCases/edge-cases.json).
/// </summary>
public sealed class TemplateBinderTests
{
    private static JsonNode? Expand(string template, string data = "{}") =>
        TemplateBinder.Expand(JsonNode.Parse(template)!, JsonNode.Parse(data));

    private static void AssertJson(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual),
            $"expected {expectedNode?.ToJsonString() ?? "null"}{Environment.NewLine}actual   {actual?.ToJsonString() ?? "null"}");
    }

    /// <summary>Expands <c>{"v": template}</c> and returns v.</summary>
    private static JsonNode? Value(string expression, string data = "{}") =>
        Expand(new JsonObject { ["v"] = expression }.ToJsonString(), data)!["v"];

    // ----- binding -----

    [Fact]
    public void Binds_nested_properties_and_indexers()
    {
        const string data = """{ "a": { "b": { "c": 5 } }, "k": "b", "arr": [10, 20], "list": [ { "name": "x" } ] }""";
        AssertJson("5", Value("${a.b.c}", data));
        AssertJson("5", Value("${a['b'].c}", data));
        AssertJson("5", Value("${a[k].c}", data));
        AssertJson("20", Value("${arr[1]}", data));
        AssertJson("\"x\"", Value("${list[0].name}", data));
        AssertJson("10", Value("${$root.arr[0]}", data));
        AssertJson("5", Value("${$data.a.b.c}", data));
    }

    [Fact]
    public void Property_names_match_case_insensitively_first_key_wins()
    {
        AssertJson("5", Value("${A.B}", """{ "a": { "b": 5 } }"""));
        // like the official library: the first key in JavaScript order, not the exact match
        AssertJson("\"upper\"", Value("${name}", """{ "Name": "upper", "name": "lower" }"""));
    }

    [Fact]
    public void A_whole_string_expression_keeps_the_JSON_type_of_its_value()
    {
        const string data = """{ "n": 3, "f": 0.5, "b": true, "o": { "k": [1, 2] }, "arr": [1, "x"], "nul": null }""";
        AssertJson("3", Value("${n}", data));
        AssertJson("0.5", Value("${f}", data));
        AssertJson("true", Value("${b}", data));
        AssertJson("""{ "k": [1, 2] }""", Value("${o}", data));
        AssertJson("""[1, "x"]""", Value("${arr}", data));
        Assert.Null(Value("${nul}", data));
        AssertJson("3.5", Value("${n + f}", data));
    }

    [Fact]
    public void Interpolation_inside_longer_text_gives_a_string()
    {
        const string data = """{ "name": "Ann", "count": 2, "o": { "k": 1 }, "arr": [1, 2], "b": false }""";
        AssertJson("\"Hi Ann, you have 2 items\"", Value("Hi ${name}, you have ${count} items", data));
        AssertJson("\"22\"", Value("${count}${count}", data));
        AssertJson("\" 2\"", Value(" ${count}", data));
        // JavaScript's toString: arrays join with commas, objects print as [object Object]
        AssertJson("\"x1,2 [object Object] false\"", Value("x${arr} ${o} ${b}", data));
        // a constant alone is a "concatenation", so it becomes text
        AssertJson("\"1\"", Value("${1}", data));
    }

    [Fact]
    public void Strings_without_a_binding_are_left_alone()
    {
        AssertJson("\"a \\\\ ` { } $\"", Value("a \\ ` { } $"));
        AssertJson("\"${x\"", Value("${x", """{ "x": 1 }"""));
        AssertJson("\"$1\"", Value("$${x}", """{ "x": 1 }"""));
        AssertJson("\"${x}\"", Value("\\${x}", """{ "x": 1 }"""));
    }

    // ----- missing values: exactly what the official library does -----

    [Fact]
    public void A_missing_value_keeps_its_binding_text()
    {
        AssertJson("\"${missing}\"", Value("${missing}"));
        AssertJson("\"x ${missing} y\"", Value("x ${missing} y"));
        AssertJson("\"${missing.deep[0].x}\"", Value("${missing.deep[0].x}"));
        AssertJson("\"${$index}\"", Value("${$index}"));
        AssertJson("\"${missing}\"", Value("${missing ?? 'default'}"));
        AssertJson("\"${x.y}\"", Value("${x.y}", """{ "x": "text" }"""));
        // the substituted text is what functions then see
        AssertJson("10", Value("${count(missing)}"));
        AssertJson("\"a${missing}\"", Value("${'a' + missing}"));
    }

    [Fact]
    public void Functions_that_test_for_missing_values_see_them_as_missing()
    {
        AssertJson("false", Value("${exists(missing)}"));
        AssertJson("true", Value("${empty(missing)}"));
        AssertJson("\"n\"", Value("${if(exists(missing), 'y', 'n')}"));
        AssertJson("true", Value("${!missing}"));
    }

    [Fact]
    public void A_null_data_value_stays_null()
    {
        const string data = """{ "x": null }""";
        Assert.Null(Value("${x}", data));
        AssertJson("\"${x.y}\"", Value("${x.y}", data));
        AssertJson("false", Value("${exists(x)}", data));
        // but the official library fails on null inside text, and so do we
        Assert.Throws<TemplateException>(() => Value("Hi ${x}", data));
    }

    [Fact]
    public void Null_data_binds_like_an_empty_root()
    {
        AssertJson("""{ "a": "${x}" }""", TemplateBinder.Expand(JsonNode.Parse("""{ "a": "${x}" }""")!, null));
    }

    // ----- $data -----

    [Fact]
    public void Data_object_opens_a_scope_where_root_stays_reachable()
    {
        var result = Expand(
            """{ "items": [ { "type": "TextBlock", "$data": "${person}", "text": "${name} (${$root.title}) ${$data.age}" } ] }""",
            """{ "title": "T", "person": { "name": "Li", "age": 30 } }""");
        AssertJson("""{ "items": [ { "type": "TextBlock", "text": "Li (T) 30" } ] }""", result);
    }

    [Fact]
    public void Data_array_repeats_the_element_once_per_item_with_index()
    {
        var result = Expand(
            """{ "body": [ { "t": "head" }, { "$data": "${items}", "t": "${$index}: ${name}", "i": "${$index}" }, { "t": "foot" } ] }""",
            """{ "items": [ { "name": "a" }, { "name": "b" } ] }""");
        AssertJson("""{ "body": [ { "t": "head" }, { "t": "0: a", "i": 0 }, { "t": "1: b", "i": 1 }, { "t": "foot" } ] }""", result);
    }

    [Fact]
    public void Data_on_the_card_root()
    {
        var result = Expand(
            """{ "type": "AdaptiveCard", "$data": "${card}", "body": [ { "type": "TextBlock", "text": "${title} / ${$root.other}" } ] }""",
            """{ "card": { "title": "inner" }, "other": "root" }""");
        AssertJson("""{ "type": "AdaptiveCard", "body": [ { "type": "TextBlock", "text": "inner / root" } ] }""", result);
    }

    [Fact]
    public void An_empty_array_drops_the_element_in_an_array_and_gives_null_elsewhere()
    {
        var result = Expand(
            """{ "body": [ { "$data": "${none}", "t": "x" }, { "t": "kept" } ], "single": { "$data": "${none}", "t": "x" } }""",
            """{ "none": [] }""");
        AssertJson("""{ "body": [ { "t": "kept" } ], "single": null }""", result);
    }

    [Fact]
    public void A_one_item_array_gives_the_object_itself()
    {
        AssertJson("""{ "x": { "n": "c" } }""", Expand("""{ "x": { "$data": "${one}", "n": "${name}" } }""", """{ "one": [ { "name": "c" } ] }"""));
    }

    [Fact]
    public void Nested_repetition_has_its_own_index_and_restores_the_outer_one()
    {
        var result = Expand(
            """{ "g": [ { "$data": "${groups}", "i": "${$index}", "items": [ { "$data": "${items}", "t": "${$root.p}${name}${$index}" } ], "after": "${$index}" } ] }""",
            """{ "p": "-", "groups": [ { "items": [ { "name": "a" }, { "name": "b" } ] }, { "items": [ { "name": "c" } ] } ] }""");
        AssertJson("""
            { "g": [ { "i": 0, "items": [ { "t": "-a0" }, { "t": "-b1" } ], "after": 0 },
                     { "i": 1, "items": [ { "t": "-c0" } ], "after": 1 } ] }
            """, result);
    }

    [Fact]
    public void Data_over_primitive_items_binds_them_as_data()
    {
        AssertJson("""{ "a": [ { "v": "x", "i": 0 }, { "v": 2, "i": 1 } ] }""",
            Expand("""{ "a": [ { "$data": "${arr}", "v": "${$data}", "i": "${$index}" } ] }""", """{ "arr": [ "x", 2 ] }"""));
    }

    [Fact]
    public void Arrays_produced_inside_arrays_are_flattened()
    {
        AssertJson("[1, 2, 3, 5, 6]", Expand("""[1, [2, 3], null, "${arr}", { "$when": "${false}" }]""", """{ "arr": [5, 6] }"""));
    }

    // ----- $when -----

    [Fact]
    public void When_keeps_the_element_only_if_the_expression_is_exactly_true()
    {
        var result = Expand(
            """
            { "b": [ { "$when": "${x > 1}", "a": 1 }, { "$when": "${x > 5}", "a": 2 }, { "$when": "${s}", "a": 3 },
                     { "$when": "${1}", "a": 4 }, { "$when": "${missing}", "a": 5 }, { "$when": "${flag}", "a": 6 },
                     { "$when": "${count(items) > 0}", "a": 7 } ] }
            """,
            """{ "x": 2, "s": "true", "flag": true }""");
        AssertJson("""{ "b": [ { "a": 1 }, { "a": 6 } ] }""", result);
    }

    [Fact]
    public void When_false_as_a_property_value_gives_null()
    {
        AssertJson("""{ "x": null }""", Expand("""{ "x": { "$when": "${false}", "a": 1 } }"""));
        Assert.Null(Expand("""{ "$when": "${show}", "type": "AdaptiveCard" }""", """{ "show": false }"""));
    }

    [Fact]
    public void When_that_is_not_an_expression_drops_the_element_when_truthy()
    {
        // the official library's rule, kept on purpose
        AssertJson("""{ "t": null, "f": { "a": 2 }, "s": null, "e": { "a": 4 } }""",
            Expand("""{ "t": { "$when": true, "a": 1 }, "f": { "$when": false, "a": 2 }, "s": { "$when": "abc", "a": 3 }, "e": { "$when": "", "a": 4 } }"""));
    }

    [Fact]
    public void When_is_evaluated_for_each_repeated_item()
    {
        AssertJson("""{ "l": [ { "n": "dear", "i": 1 } ] }""",
            Expand("""{ "l": [ { "$data": "${items}", "$when": "${price > 10}", "n": "${name}", "i": "${$index}" } ] }""",
                """{ "items": [ { "name": "cheap", "price": 5 }, { "name": "dear", "price": 50 } ] }"""));
    }

    // ----- expressions -----

    [Theory]
    [InlineData("${1 + 2 * 3}", "7")]
    [InlineData("${(1 + 2) * 3}", "9")]
    [InlineData("${10 - 2 - 3}", "5")]
    [InlineData("${5 / 2}", "2")] // both integers: integer division, like the official library
    [InlineData("${-5 / 2}", "-3")]
    [InlineData("${10.5 / 2}", "5.25")]
    [InlineData("${7 % 3}", "1")]
    [InlineData("${7 % x}", "1")]
    [InlineData("${2 ^ 10}", "1024")]
    [InlineData("${-2 ^ 2}", "4")]
    [InlineData("${0.1 + 0.2}", "0.30000000000000004")]
    [InlineData("${'a' + 1}", "\"a1\"")]
    [InlineData("${1 + 2 + 'a' + 1}", "\"3a1\"")]
    [InlineData("${x == 3 && !false}", "true")]
    [InlineData("${x != 3 || x >= 3}", "true")]
    [InlineData("${x < 3}", "false")]
    [InlineData("${x <= 3}", "true")]
    [InlineData("${x > 2}", "true")]
    [InlineData("${'abc' < 'abd'}", "true")]
    [InlineData("${1 == 1.0}", "true")]
    [InlineData("${'1' == 1}", "false")]
    [InlineData("${[1, 2] == [1, 2]}", "true")]
    [InlineData("${!true == false}", "true")]
    [InlineData("${x == 3 ? 'three' : 'other'}", "\"three\"")]
    [InlineData("${'it\\'s'}", "\"it's\"")]
    [InlineData("${\"double\"}", "\"double\"")]
    [InlineData("${'a' & 'b'}", "\"ab\"")]
    public void Operators(string expression, string expected) =>
        AssertJson(expected, Value(expression, """{ "x": 3 }"""));

    [Theory]
    [InlineData("${exists(s)}", "true")]
    [InlineData("${exists(nul)}", "false")]
    [InlineData("${exists(zero)}", "true")]
    [InlineData("${empty('')}", "true")]
    [InlineData("${empty(list)}", "false")]
    [InlineData("${empty(none)}", "true")]
    [InlineData("${empty({})}", "true")]
    [InlineData("${not(true)}", "false")]
    [InlineData("${not(0)}", "false")] // only false, null and undefined are false
    [InlineData("${and(true, 1, 'x')}", "true")]
    [InlineData("${and(true, false)}", "false")]
    [InlineData("${or(false, zero)}", "true")]
    [InlineData("${if(zero, 'yes', 'no')}", "\"yes\"")]
    [InlineData("${if(nul, 'yes', 'no')}", "\"no\"")]
    [InlineData("${count(list)}", "3")]
    [InlineData("${count('abc')}", "3")]
    [InlineData("${length(s)}", "5")]
    [InlineData("${length('中文😀')}", "4")] // UTF-16 units, like JavaScript
    [InlineData("${concat('a', 1, true)}", "\"a1true\"")]
    [InlineData("${concat(list, list)}", "\"a,b,ca,b,c\"")] // a top-level concat() is joined as text
    [InlineData("${createArray(1, 'a')}", "[1, \"a\"]")]
    [InlineData("${string(true)}", "\"true\"")]
    [InlineData("${string(1234.5)}", "\"1,234.5\"")]
    [InlineData("${string(o)}", "\"{\\\"k\\\":\\\"v\\\"}\"")]
    [InlineData("${join(list, ', ')}", "\"a, b, c\"")]
    [InlineData("${join(list, ', ', ' and ')}", "\"a, b and c\"")]
    [InlineData("${equals(zero, 0)}", "true")]
    [InlineData("${formatNumber(1234.567, 2)}", "\"1,234.57\"")]
    [InlineData("${formatNumber(-1.5, 0)}", "\"\u22121\"")] // U+2212 MINUS SIGN, from d3-format
    [InlineData("${coalesce(nul, 'c')}", "\"c\"")]
    [InlineData("${nul ?? 'c'}", "\"c\"")]
    [InlineData("${trim('  x ')}", "\"x\"")]
    [InlineData("${contains(list, 'b')}", "true")]
    [InlineData("${startsWith(s, 'he')}", "true")]
    [InlineData("${endsWith(s, 'lo')}", "true")]
    [InlineData("${first(list)}", "\"a\"")]
    [InlineData("${last(list)}", "\"c\"")]
    public void Functions(string expression, string expected) =>
        AssertJson(expected, Value(expression,
            """{ "s": "hello", "nul": null, "zero": 0, "list": [ "a", "b", "c" ], "none": [], "o": { "k": "v" } }"""));

    [Fact]
    public void Or_without_a_true_operand_returns_the_last_value_itself()
    {
        // official behaviour: or(false, missing) is undefined, so the property disappears
        var result = Expand("""{ "a": "${or(false, missing)}", "b": "${false || nul}", "c": "${or(false, 0)}" }""", """{ "nul": null }""");
        AssertJson("""{ "b": null, "c": true }""", result);
    }

    [Fact]
    public void An_evaluation_error_inside_text_keeps_the_expression_text()
    {
        AssertJson("\"x ${arr[(0 - 1)]}\"", Value("x ${arr[-1]}", """{ "arr": [1] }"""));
    }

    // ----- user text is data, never template or JSON syntax -----

    public static TheoryData<string> HostileStrings => new()
    {
        "\"quoted\" 'single' \\\"escaped\\\"",
        "}{ ${x} ${$root.secret} {{x}} $${x} ${",
        "line1\nline2\ttab\r\n\\back\\slash",
        "**bold** _it_ [link](https://example.com) ![img](x.png) # heading",
        "<script>alert('x')</script> &amp; </div>",
        "emoji 😀👍🏽 and 中文 签到 请假",
        "\u2028\u2029 \u0001 \u0000 control",
        "`backtick` \\` \\$",
        "",
        "{\"type\": \"TextBlock\", \"text\": \"injected\"}",
    };

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void User_text_comes_out_exactly_as_it_went_in(string text)
    {
        var data = new JsonObject
        {
            ["v"] = text,
            ["list"] = new JsonArray(text, text),
            ["obj"] = new JsonObject { ["inner"] = text },
            ["x"] = "SHOULD NOT APPEAR",
            ["secret"] = "SHOULD NOT APPEAR",
        };
        var template = JsonNode.Parse("""
            { "a": "${v}", "b": "Said: ${v}!", "c": [ { "$data": "${list}", "t": "${$data}" } ], "d": "${obj}", "e": "${obj.inner}",
              "f": { "$data": "${obj}", "t": "${inner}" }, "g": "${concat(v, '|')}", "h": "${v + v}" }
            """)!;
        var result = TemplateBinder.Expand(template, data)!;

        Assert.Equal(text, result["a"]!.GetValue<string>());
        Assert.Equal("Said: " + text + "!", result["b"]!.GetValue<string>());
        var repeated = result["c"]!.AsArray();
        Assert.Equal(2, repeated.Count);
        Assert.All(repeated, r => Assert.Equal(text, r!["t"]!.GetValue<string>()));
        Assert.Equal(text, result["d"]!["inner"]!.GetValue<string>());
        Assert.Equal(text, result["e"]!.GetValue<string>());
        Assert.Equal(text, result["f"]!["t"]!.GetValue<string>());
        Assert.Equal(text + "|", result["g"]!.GetValue<string>());
        Assert.Equal(text + text, result["h"]!.GetValue<string>());
        Assert.DoesNotContain("SHOULD NOT APPEAR", result.ToJsonString());
        // and the card is still the same JSON shape
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h"], result.AsObject().Select(p => p.Key));
    }

    // ----- inputs are never modified, outputs never shared -----

    [Fact]
    public void Template_and_data_are_not_modified_and_the_result_shares_nothing_with_them()
    {
        var template = JsonNode.Parse("""
            { "type": "AdaptiveCard", "body": [ { "$data": "${items}", "$when": "${show}", "text": "${name}", "o": "${$root.obj}" } ], "all": "${items}", "o": "${obj}" }
            """)!;
        var data = JsonNode.Parse("""{ "show": true, "items": [ { "name": "a", "show": true }, { "name": "b", "show": true } ], "obj": { "k": [1, 2] } }""")!;
        var templateBefore = template.ToJsonString();
        var dataBefore = data.ToJsonString();

        var result = TemplateBinder.Expand(template, data)!;
        Assert.Equal(templateBefore, template.ToJsonString());
        Assert.Equal(dataBefore, data.ToJsonString());

        result["o"]!["k"]!.AsArray().Add(3);
        result["all"]!.AsArray()[0]!["name"] = "changed";
        result["body"]!.AsArray()[0]!["o"]!["k"]!.AsArray().Clear();
        Assert.Equal(dataBefore, data.ToJsonString());
        Assert.Equal(templateBefore, template.ToJsonString());

        var again = TemplateBinder.Expand(template, data)!;
        AssertJson("""[1, 2]""", again["o"]!["k"]);
    }

    [Fact]
    public void Data_built_in_code_binds_like_parsed_JSON()
    {
        var data = new JsonObject
        {
            ["count"] = JsonValue.Create(42L),
            ["price"] = JsonValue.Create(9.5m),
            ["when"] = JsonValue.Create(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(8))),
            ["ok"] = JsonValue.Create(true),
            ["names"] = new JsonArray("张三", "李四"),
        };
        var result = TemplateBinder.Expand(
            JsonNode.Parse("""{ "c": "${count + 1}", "p": "${price}", "w": "${when}", "ok": "${ok}", "n": "${join(names, '、')}" }""")!, data);
        AssertJson("""{ "c": 43, "p": 9.5, "w": "2026-11-26T09:30:00+08:00", "ok": true, "n": "张三、李四" }""", result);
    }

    [Fact]
    public void The_same_template_expands_again_with_other_data()
    {
        var template = JsonNode.Parse("""{ "t": "${name}" }""")!;
        AssertJson("""{ "t": "a" }""", TemplateBinder.Expand(template, JsonNode.Parse("""{ "name": "a" }""")));
        AssertJson("""{ "t": "b" }""", TemplateBinder.Expand(template, JsonNode.Parse("""{ "name": "b" }""")));
    }

    // ----- loud failures -----

    [Theory]
    [InlineData("${toUpper(name)}")] // official function this binder does not implement
    [InlineData("${select(list, x => x.name)}")] // lambda
    [InlineData("${{a: 1}}")] // object literal
    [InlineData("x ${foo(1)}")] // unknown function: the official library would print "${foo(1)}"
    [InlineData("${a <> b}")]
    [InlineData("${2 ^ 0.5}")] // non-integer power
    [InlineData("${formatNumber(1.5, 2, 'de-DE')}")] // a locale with another number format
    [InlineData("${1 +}")] // syntax error
    [InlineData("${7%3}")] // "%3" lexes as an identifier
    [InlineData("${a b}")]
    [InlineData("${x = 1}")]
    [InlineData("a`b ${x}")] // unescaped backtick
    [InlineData("${`nested ${x}`}")]
    [InlineData("${标题}")] // identifiers are ASCII in the official grammar
    public void Unsupported_or_invalid_expressions_throw_TemplateException_with_the_text(string text)
    {
        var template = new JsonObject { ["v"] = text };
        var ex = Assert.Throws<TemplateException>(() => TemplateBinder.Expand(template, JsonNode.Parse("""{ "name": "n", "list": [] }""")));
        Assert.Equal(text, ex.Expression);
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void A_syntax_error_throws_even_in_a_branch_that_is_dropped()
    {
        Assert.Throws<TemplateException>(() => Expand("""{ "a": { "$when": "${false}", "b": "${1 +}" } }"""));
    }

    [Theory]
    [InlineData("""{ "a": "${items[5]}" }""", """{ "items": [1] }""")] // out of range as the whole value
    [InlineData("""{ "a": "${n + 1}" }""", """{ "n": null }""")]
    [InlineData("""{ "a": "${1 < 'a'}" }""", "{}")]
    [InlineData("""{ "a": "${if(true)}" }""", "{}")] // wrong number of arguments
    [InlineData("""{ "a": { "$data": "${items[5]}", "b": 1 } }""", """{ "items": [] }""")]
    [InlineData("""{ "a": "x ${first(e)}" }""", """{ "e": [] }""")]
    [InlineData("""{ "a": { "$data": [ { "v": "${x}" } ], "t": "${v}" } }""", "{}")] // bindings inside a literal $data
    public void Expressions_the_official_library_fails_on_throw(string template, string data)
    {
        Assert.Throws<TemplateException>(() => Expand(template, data));
    }

    // ----- text people type: escaping where the card renders Markdown (what CardFactory binds with) -----

    private static JsonNode Escaped(string template, string data) =>
        TemplateBinder.Expand(JsonNode.Parse(template)!, JsonNode.Parse(data), MarkdownEscaping.ForBot)!;

    [Fact]
    public void Data_in_a_text_block_or_a_fact_is_escaped_and_the_string_table_is_not()
    {
        const string template = """
            { "body": [
              { "type": "TextBlock", "text": "${reason}" },
              { "type": "TextBlock", "text": "${$root.strings.label}: ${reason} (${count})" },
              { "type": "FactSet", "facts": [ { "title": "${$root.strings.label}", "value": "${name}" }, { "$data": "${people}", "title": "${name}", "value": "${$root.strings.label}" } ] },
              { "type": "Input.Text", "id": "r", "value": "${reason}", "placeholder": "${reason}" },
              { "type": "Input.ChoiceSet", "id": "c", "style": "expanded", "choices": [ { "$data": "${people}", "title": "${name}", "value": "${name}" } ] },
              { "type": "Input.ChoiceSet", "id": "d", "choices": [ { "$data": "${people}", "title": "${name}", "value": "${name}" } ] },
              { "type": "Input.Toggle", "id": "t", "title": "${name}", "value": "${name}" },
              { "type": "ActionSet", "actions": [ { "type": "Action.Submit", "title": "${name}", "data": { "reason": "${reason}" } } ] }
            ] }
            """;
        const string data = """
            { "reason": "[点我](http://evil.example) **粗体**\n- item", "name": "_王_", "count": 2,
              "people": [ { "name": "<b>李</b>" } ], "strings": { "label": "原因" } }
            """;
        AssertJson("""
            { "body": [
              { "type": "TextBlock", "text": "\\[点我\\](http\\://evil.example) \\*\\*粗体\\*\\*\n\\- item" },
              { "type": "TextBlock", "text": "原因: \\[点我\\](http\\://evil.example) \\*\\*粗体\\*\\*\n\\- item (2)" },
              { "type": "FactSet", "facts": [ { "title": "原因", "value": "\\_王\\_" }, { "title": "\\<b\\>李\\</b\\>", "value": "原因" } ] },
              { "type": "Input.Text", "id": "r", "value": "[点我](http://evil.example) **粗体**\n- item", "placeholder": "[点我](http://evil.example) **粗体**\n- item" },
              { "type": "Input.ChoiceSet", "id": "c", "style": "expanded", "choices": [ { "title": "\\<b\\>李\\</b\\>", "value": "<b>李</b>" } ] },
              { "type": "Input.ChoiceSet", "id": "d", "choices": [ { "title": "<b>李</b>", "value": "<b>李</b>" } ] },
              { "type": "Input.Toggle", "id": "t", "title": "\\_王\\_", "value": "_王_" },
              { "type": "ActionSet", "actions": [ { "type": "Action.Submit", "title": "_王_", "data": { "reason": "[点我](http://evil.example) **粗体**\n- item" } } ] }
            ] }
            """, Escaped(template, data));
        // without escaping, the binder is the official library's (the equivalence tests)
        Assert.Equal("[点我](http://evil.example) **粗体**\n- item", (string?)TemplateBinder.Expand(JsonNode.Parse(template)!, JsonNode.Parse(data))!["body"]![0]!["text"]);
    }

    [Fact]
    public void Only_the_root_string_table_is_trusted()
    {
        // an item of the data that has its own "strings" is someone's text
        const string template = """
            { "body": [ { "$data": "${items}", "type": "TextBlock", "text": "${strings.x} ${$root.strings.kinds[kind]} ${if(ok, $root.strings.x, name)}" } ] }
            """;
        const string data = """
            { "strings": { "x": "好", "kinds": { "a": "甲" } }, "items": [ { "strings": { "x": "**坏**" }, "kind": "a", "ok": false, "name": "[x](y)" } ] }
            """;
        Assert.Equal("\\*\\*坏\\*\\* 甲 \\[x\\](y)", (string?)Escaped(template, data)["body"]![0]!["text"]);
    }

    [Fact]
    public void Elements_or_facts_bound_whole_from_the_data_are_escaped_and_the_data_is_left_alone()
    {
        const string template = """
            { "body": [ { "type": "FactSet", "facts": "${facts}" }, { "type": "Container", "items": "${blocks}" }, { "type": "TextBlock", "text": "${facts[0].value}" } ] }
            """;
        var data = JsonNode.Parse("""
            { "facts": [ { "title": "*t*", "value": "*v*" } ], "blocks": [ { "type": "TextBlock", "text": "*b*", "id": "*id*" } ] }
            """)!;
        var before = data.ToJsonString();
        AssertJson("""
            { "body": [ { "type": "FactSet", "facts": [ { "title": "\\*t\\*", "value": "\\*v\\*" } ] },
                        { "type": "Container", "items": [ { "type": "TextBlock", "text": "\\*b\\*", "id": "*id*" } ] },
                        { "type": "TextBlock", "text": "\\*v\\*" } ] }
            """, TemplateBinder.Expand(JsonNode.Parse(template)!, data, MarkdownEscaping.ForBot));
        Assert.Equal(before, data.ToJsonString());
    }

    [Theory]
    [InlineData("[点我](http://evil.example)", "\\[点我\\](http\\://evil.example)")]
    [InlineData("![x](http://evil/x.png)", "\\!\\[x\\](http\\://evil/x.png)")]
    [InlineData("- a\n+ b\n  * c\n1. d\n22) e\n===", "\\- a\n\\+ b\n  \\* c\n1\\. d\n22\\) e\n\\===")]
    [InlineData("www.evil.example 或 a@b.example", "www\\.evil.example 或 a\\@b.example")]
    [InlineData("&lt; <script> `x` ~~y~~ | # h", "\\&lt; \\<script\\> \\`x\\` \\~\\~y\\~\\~ \\| \\# h")]
    [InlineData("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", "{\\{DATE(2017-02-14T06:08:39Z, SHORT)}}")]
    [InlineData("2026-12-05 会议 3.5 小时，费用 100-200 元", "2026-12-05 会议 3.5 小时，费用 100-200 元")]
    [InlineData("a\\b", "a\\\\b")]
    // Direction overrides and embeddings stay inside the value (an isolate around it, the value's
    // own isolate marks removed so none can close it early): a name or reason with U+202E cannot
    // turn the rest of the bot's line around.
    [InlineData("王小明\u202e 已批准", "\u2068王小明\u202e 已批准\u2069")]
    [InlineData("\u2067abc\u2069\u2069\u202e", "\u2068abc\u202e\u2069")]
    [InlineData("\u202bx\u202c", "\u2068\u202bx\u202c\u2069")]
    [InlineData("مرحبا hello", "مرحبا hello")]
    [InlineData("第一行\u202e\r\n第二行\n\u202d第三行", "\u2068第一行\u202e\u2069\r\n第二行\n\u2068\u202d第三行\u2069")]
    public void Markdown_escaping_covers_every_construct_and_leaves_plain_text_alone(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Escape(text));
}
