using System.Text;
using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Templating;

/// <summary>
/// Expands an Adaptive Card template written in the Adaptive Card Templating language
/// (<c>${expr}</c>, <c>$data</c>, <c>$when</c>, <c>$index</c>, <c>$root</c>) against a data
/// object, with the same result as the official JavaScript library (adaptivecards-templating
/// 2.3.1, <c>new Template(template).expand({ $root: data })</c>): the tests expand every card
/// with both and compare.
/// <para>
/// The work is structural, on JSON nodes: a data value is inserted as a value and never
/// becomes JSON syntax or template text, so <c>"</c>, <c>{</c>, <c>${x}</c> or markdown in
/// user text comes out unchanged. The inputs are never modified; the result shares no node
/// with them.
/// </para>
/// <para>
/// Behaviour copied from the official library on purpose, because it is what Teams users will
/// see with any other tool: a binding to a missing value keeps its text (<c>"${missing}"</c>);
/// an object bound by <c>$data</c> to an empty array, or whose <c>$when</c> is false, becomes
/// <c>null</c> (and is dropped from arrays); a <c>$when</c> must evaluate to exactly
/// <c>true</c>. Functions outside <see cref="Functions"/>, lambdas and object literals are not
/// supported and throw <see cref="TemplateException"/>, as does every expression the official
/// library would throw on.
/// </para>
/// </summary>
public static class TemplateBinder
{
    private static readonly HashSet<string> ReservedProperties = new(StringComparer.Ordinal)
    {
        "$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion",
    };

    public static JsonNode? Expand(JsonNode template, JsonNode? data) => Expand(template, data, null);

    /// <summary>
    /// Expands the template; with <paramref name="escaping"/>, every value from the data that
    /// lands in a property the card renders as Markdown (a TextBlock's <c>text</c>, a FactSet
    /// fact's <c>title</c> and <c>value</c>) is escaped with <see cref="MarkdownText.Escape"/>,
    /// unless it comes from a trusted part of the data (<see cref="MarkdownEscaping"/>). Without
    /// it the result is exactly the official library's.
    /// </summary>
    public static JsonNode? Expand(JsonNode template, JsonNode? data, MarkdownEscaping? escaping)
    {
        ArgumentNullException.ThrowIfNull(template);
        var prepared = Prepare(template);
        var root = JsRuntime.FromJsonNode(data);
        var result = new Expansion(root, escaping).Expand(prepared, new Scope(root, JsUndefined.Value), Target.Plain);
        return JsRuntime.ToJsonNode(result);
    }

    /// <summary>What a property is, for escaping: plain, Markdown text, the facts of a FactSet, or the choices of an expanded ChoiceSet.</summary>
    private enum Target
    {
        Plain,
        Markdown,
        Facts,
        Choices,
    }

    // ----- the prepared template: strings containing "${" are parsed up front, like the official
    //       Template constructor does (so a syntax error throws even in a branch that is dropped) -----

    private abstract class Node;

    private sealed class Literal(object? value) : Node
    {
        public object? Value { get; } = value;
    }

    private sealed class Binding(Expr expression, string source) : Node
    {
        public Expr Expression { get; } = expression;

        public string Source { get; } = source;
    }

    private sealed class ArrayNode(List<Node> items) : Node
    {
        public List<Node> Items { get; } = items;
    }

    private sealed class ObjectNode(List<KeyValuePair<string, Node>> properties) : Node
    {
        public List<KeyValuePair<string, Node>> Properties { get; } = properties;

        public Node? Get(string key) => Properties.FirstOrDefault(p => p.Key == key).Value;
    }

    private static Node Prepare(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new Literal(null);
            case JsonArray array:
                return new ArrayNode(array.Select(Prepare).ToList());
            case JsonObject obj:
            {
                var byKey = new Dictionary<string, Node>(StringComparer.Ordinal);
                var order = new List<string>();
                foreach (var (key, value) in obj)
                {
                    order.Add(key);
                    byKey[key] = Prepare(value);
                }
                // Object.keys order, which is also the order of the expanded object
                return new ObjectNode(JsRuntime.OrderKeys(order).Select(k => new KeyValuePair<string, Node>(k, byKey[k])).ToList());
            }
            default:
            {
                var value = JsRuntime.FromJsonNode(node);
                if (value is string s && s.Contains("${", StringComparison.Ordinal))
                {
                    return new Binding(ExpressionParser.ParseTemplateString(s), s);
                }
                return new Literal(value);
            }
        }
    }

    /// <summary>The evaluation context: <c>$data</c> (already resolved, <c>$root</c> at first) and <c>$index</c>.</summary>
    private readonly record struct Scope(object? Data, object? Index);

    private sealed class Expansion(object? root, MarkdownEscaping? escaping)
    {
        public object? Expand(Node node, Scope scope, Target target)
        {
            switch (node)
            {
                case ArrayNode array:
                {
                    var items = new List<object?>();
                    foreach (var item in array.Items)
                    {
                        var expanded = Expand(item, scope, target);
                        if (expanded is null)
                        {
                            continue; // dropped ($when false, empty $data, or a null item)
                        }
                        if (expanded is List<object?> many)
                        {
                            items.AddRange(many); // repeated objects (and nested arrays) are spliced in
                        }
                        else
                        {
                            items.Add(expanded);
                        }
                    }
                    return items;
                }
                case Binding binding:
                {
                    var result = Evaluate(binding, scope, nullSubstitution: true, escaping == null ? null : target);
                    if (result.Error != null)
                    {
                        throw new TemplateException(result.Error, binding.Source);
                    }
                    return result.Value;
                }
                case ObjectNode obj:
                    return ExpandObject(obj, scope, target);
                case Literal literal:
                    return literal.Value;
                default:
                    throw new InvalidOperationException();
            }
        }

        private object? ExpandObject(ObjectNode obj, Scope scope, Target target)
        {
            var when = obj.Get("$when");
            var dataNode = obj.Get("$data");

            List<object?> contexts;
            var repeat = false;
            if (dataNode == null)
            {
                contexts = [JsUndefined.Value];
            }
            else
            {
                object? dataValue;
                if (dataNode is Binding binding)
                {
                    var result = Evaluate(binding, scope, nullSubstitution: true);
                    if (result.Error != null)
                    {
                        throw new TemplateException(result.Error, binding.Source);
                    }
                    dataValue = result.Value;
                }
                else
                {
                    dataValue = LiteralValue(dataNode);
                }
                if (dataValue is List<object?> list)
                {
                    contexts = list;
                    repeat = true;
                }
                else
                {
                    contexts = [dataValue];
                }
            }

            var results = new List<object?>();
            for (var i = 0; i < contexts.Count; i++)
            {
                var itemScope = scope;
                if (repeat)
                {
                    itemScope = itemScope with { Index = (double)i };
                }
                if (contexts[i] is not JsUndefined)
                {
                    itemScope = itemScope with { Data = contexts[i] };
                }

                bool drop;
                if (when is Binding condition)
                {
                    // evaluated without null substitution; anything but true (errors included) drops
                    var result = Evaluate(condition, itemScope, nullSubstitution: false);
                    drop = !(result.Error == null && result.Value is true);
                }
                else
                {
                    // a $when that is not an expression drops the object when it is truthy
                    drop = when != null && (when is not Literal literal || JsRuntime.IsTruthy(literal.Value));
                }
                if (!drop)
                {
                    results.Add(ExpandSingleObject(obj, itemScope, target));
                }
            }

            return results.Count switch
            {
                0 => null,
                1 => results[0],
                _ => results,
            };
        }

        private JsObject ExpandSingleObject(ObjectNode obj, Scope scope, Target target)
        {
            var result = new JsObject();
            // the element's type as the template writes it (a bound type is not looked at)
            var type = obj.Get("type") is Literal { Value: string t } ? t : null;
            var style = obj.Get("style") is Literal { Value: string st } ? st : null;
            if (obj.Get("isMultiSelect") is Literal { Value: true })
            {
                style = "expanded"; // the official renderer draws a multi-select list as check boxes
            }
            foreach (var (key, value) in obj.Properties)
            {
                if (ReservedProperties.Contains(key))
                {
                    continue;
                }
                var propertyTarget = PropertyTarget(type, style, key, target);
                var expanded = Expand(value, scope, propertyTarget);
                if (expanded is not JsUndefined)
                {
                    result.Set(key, expanded);
                }
            }
            return result;
        }

        /// <summary>Template.internalTryEvaluateExpression (with <paramref name="escape"/>: each untrusted part escaped).</summary>
        private EvalResult Evaluate(Binding binding, Scope scope, bool nullSubstitution, Target? escapeFor = null)
        {
            var escape = escapeFor == Target.Markdown;
            var memory = new TemplateMemory(root, scope.Data, scope.Index);
            var expression = binding.Expression;
            try
            {
                if (expression.Type == "concat" && nullSubstitution)
                {
                    // An interpolated string (or a top-level concat()) is concatenated part by
                    // part: a part that fails keeps its "${...}" text, every value goes through
                    // JavaScript's toString ([1,2] gives "1,2", an object "[object Object]").
                    var sb = new StringBuilder();
                    foreach (var child in expression.Children)
                    {
                        EvalResult part;
                        try
                        {
                            part = child.EvaluateRaw(memory, nullSubstitution: true);
                        }
                        catch (JsTypeError ex)
                        {
                            // thrown inside the part's evaluation: caught like any other failure
                            part = EvalResult.Fail(ex.Message);
                        }
                        if (part.Value is JsNoResult)
                        {
                            // the part itself returned nothing: the engine's own code trips over it
                            throw new JsTypeError("Cannot read properties of undefined (reading 'error')");
                        }
                        var value = part.Error != null ? "${" + child + "}" : part.Value;
                        var text = JsRuntime.CallToString(value);
                        if (escape && part.Error == null && !IsTrusted(child, scope))
                        {
                            text = MarkdownText.Escape(text);
                        }
                        sb.Append(text);
                    }
                    return EvalResult.Ok(sb.ToString());
                }
                var whole = expression.Evaluate(memory, nullSubstitution);
                if (escapeFor is { } target && whole.Error == null && (whole.Value is List<object?> or JsObject || escape) && !IsTrusted(expression, scope))
                {
                    // a string for a Markdown property, or whole elements or facts taken from the data
                    return EvalResult.Ok(EscapeData(whole.Value, target));
                }
                return whole;
            }
            catch (JsTypeError ex)
            {
                throw new TemplateException(
                    $"The official templating library fails on this expression with a TypeError: {ex.Message}", binding.Source, ex);
            }
            catch (TemplateException ex) when (ex.Expression == null)
            {
                throw new TemplateException(ex.Message, binding.Source, ex);
            }
        }

        /// <summary>
        /// Where a property of an object of <paramref name="type"/> (inside <paramref name="parent"/>)
        /// lands: what the official renderer shows through its Markdown processor, as Teams does
        /// for TextBlocks and facts. Radio buttons and check boxes (an expanded ChoiceSet's
        /// choices) and a toggle's title are labels rendered as TextBlocks too; a drop-down's
        /// options are plain text, and so are every input's value, placeholder and label.
        /// </summary>
        private static Target PropertyTarget(string? type, string? style, string key, Target parent) => (type, key) switch
        {
            ("TextBlock", "text") => Target.Markdown,
            ("Input.Toggle", "title") => Target.Markdown,
            ("FactSet", "facts") => Target.Facts,
            // radio buttons, or check boxes (expanded, or any multi-select list)
            ("Input.ChoiceSet", "choices") when style == "expanded" => Target.Choices,
            // a fact: an object in the facts of a FactSet
            (null, "title" or "value") when parent == Target.Facts => Target.Markdown,
            // a radio button or check box
            (null, "title") when parent == Target.Choices => Target.Markdown,
            _ => Target.Plain,
        };

        /// <summary>
        /// A value taken from the data, escaped for where it lands: a string for a Markdown
        /// property; inside arrays and objects (whole elements or facts bound from the data),
        /// the strings that land in Markdown properties. The data itself is not changed.
        /// </summary>
        private static object? EscapeData(object? value, Target target)
        {
            switch (value)
            {
                case string s when target == Target.Markdown:
                    return MarkdownText.Escape(s);
                case List<object?> list:
                    return list.Select(item => EscapeData(item, target)).ToList();
                case JsObject obj:
                {
                    var type = obj.TryGet("type", out var t) ? t as string : null;
                    var style = obj.TryGet("isMultiSelect", out var multi) && multi is true ? "expanded"
                        : obj.TryGet("style", out var st) ? st as string : null;
                    var copy = new JsObject();
                    foreach (var key in obj.Keys)
                    {
                        copy.Set(key, EscapeData(obj[key], PropertyTarget(type, style, key, target)));
                    }
                    return copy;
                }
                default:
                    return value;
            }
        }

        /// <summary>
        /// True when every value the expression can read comes from the template itself or from
        /// a trusted property of the root data (<c>$root.strings...</c>, or <c>strings...</c>
        /// while <c>$data</c> is the root); anything else is someone's text.
        /// </summary>
        private bool IsTrusted(Expr expression, Scope scope)
        {
            switch (expression.Kind)
            {
                case ExprKind.Constant:
                    return true;
                case ExprKind.Element:
                    // $root.strings.kinds[kind]: the index only picks which trusted value
                    return IsTrusted(expression.Children[0], scope);
                case ExprKind.Accessor:
                {
                    var path = new List<string>();
                    var current = expression;
                    while (current is { Kind: ExprKind.Accessor })
                    {
                        path.Insert(0, current.PropertyName);
                        current = current.Children.Length > 1 ? current.Children[1] : null;
                    }
                    if (current != null)
                    {
                        // a.b where a is not a plain path (an element, a call): trusted if its base is
                        return IsTrusted(current, scope);
                    }
                    var trusted = escaping!.TrustedRootProperties;
                    if (path[0] == "$root")
                    {
                        return path.Count > 1 && trusted.Contains(path[1]);
                    }
                    var fromRoot = ReferenceEquals(scope.Data, root);
                    if (path[0] == "$data")
                    {
                        return fromRoot && path.Count > 1 && trusted.Contains(path[1]);
                    }
                    return fromRoot && trusted.Contains(path[0]);
                }
                default:
                    return expression.Children.All(child => IsTrusted(child, scope));
            }
        }

        /// <summary>A literal (not "${...}") $data value: used as data, as the official library does.</summary>
        private static object? LiteralValue(Node node) => node switch
        {
            Literal literal => literal.Value,
            ArrayNode array => array.Items.Select(LiteralValue).ToList(),
            ObjectNode obj => ObjectValue(obj),
            Binding binding => throw new TemplateException(
                "A literal $data value cannot contain ${...} bindings (the official library would output expression objects).",
                binding.Source),
            _ => throw new InvalidOperationException(),
        };

        private static JsObject ObjectValue(ObjectNode obj)
        {
            var result = new JsObject();
            foreach (var (key, value) in obj.Properties)
            {
                result.Set(key, LiteralValue(value));
            }
            return result;
        }
    }
}
