using System.Text;
using System.Text.RegularExpressions;

namespace ChatRegs.Cards.Templating;

/// <summary>adaptive-expressions ReturnType flags, used by the parse-time argument checks.</summary>
[Flags]
internal enum ReturnType
{
    Boolean = 1,
    Number = 2,
    Object = 4,
    String = 8,
    Array = 16,
}

/// <summary>Value or error of one evaluation (adaptive-expressions ValueWithError).</summary>
internal readonly record struct EvalResult(object? Value, string? Error)
{
    public static EvalResult Ok(object? value) => new(value, null);

    public static EvalResult Fail(string error) => new(JsUndefined.Value, error);
}

internal enum ExprKind
{
    Constant,
    Accessor,
    Element,
    Call,
}

/// <summary>
/// One node of a parsed expression, shaped like adaptive-expressions' Expression: a constant,
/// an Accessor (property name constant + optional instance), an Element (instance[index]), or a
/// call of a built-in function or operator. <see cref="Type"/> is the function's canonical name
/// ("==" also for equals(), "concat" also for &amp;), which is what the official ToString prints.
/// </summary>
internal sealed class Expr
{
    private Expr(ExprKind kind, string type, object? value, FunctionDef? function, Expr[] children)
    {
        Kind = kind;
        Type = type;
        Value = value;
        Function = function;
        Children = children;
    }

    public ExprKind Kind { get; }

    public string Type { get; }

    public object? Value { get; }

    public FunctionDef? Function { get; }

    public Expr[] Children { get; }

    public static Expr Constant(object? value) => new(ExprKind.Constant, "Constant", value, null, []);

    public static Expr Accessor(string property, Expr? instance)
    {
        var expr = new Expr(ExprKind.Accessor, "Accessor", null, null, instance == null ? [Constant(property)] : [Constant(property), instance]);
        // Accessor's parse-time check: "'text'.length" or "count(x).y" is refused
        if (instance != null && (instance.ReturnType & ReturnType.Object) == 0)
        {
            throw new TemplateException($"{expr} must have an object as its second argument.");
        }
        return expr;
    }

    public static Expr Element(Expr instance, Expr index) => new(ExprKind.Element, "Element", null, null, [instance, index]);

    /// <summary>
    /// A call of <paramref name="function"/>, whatever name it was written with: like
    /// adaptive-expressions, the expression's type is the evaluator's own ("and(a, b)" is an
    /// "&amp;&amp;", "a &amp; b" a "concat"), which decides how it prints and how the template
    /// engine treats a top-level concat.
    /// </summary>
    public static Expr Call(FunctionDef function, params Expr[] children)
    {
        var expr = new Expr(ExprKind.Call, function.Name, null, function, children);
        function.Validate(expr);
        return expr;
    }

    public ReturnType ReturnType => Kind switch
    {
        ExprKind.Constant => Value switch
        {
            string => ReturnType.String,
            bool => ReturnType.Boolean,
            double d when !double.IsNaN(d) => ReturnType.Number,
            List<object?> => ReturnType.Array,
            _ => ReturnType.Object,
        },
        ExprKind.Call => Function!.ReturnType,
        _ => ReturnType.Object,
    };

    /// <summary>The Accessor's property name.</summary>
    public string PropertyName => (string)Children[0].Value!;

    /// <summary>
    /// Evaluates as a caller inside adaptive-expressions does (it destructures the result): an
    /// Element that returned no result at all is a TypeError.
    /// </summary>
    public EvalResult Evaluate(IMemory state, bool nullSubstitution)
    {
        var result = EvaluateRaw(state, nullSubstitution);
        if (result.Value is JsNoResult)
        {
            throw new JsTypeError($"Cannot destructure the result of {this}: it is undefined");
        }
        return result;
    }

    /// <summary>Evaluates without checking for <see cref="JsNoResult"/> (the template engine's own calls).</summary>
    public EvalResult EvaluateRaw(IMemory state, bool nullSubstitution) => Kind switch
    {
        ExprKind.Constant => EvalResult.Ok(Value),
        ExprKind.Accessor => Functions.EvaluateAccessor(this, state, nullSubstitution),
        ExprKind.Element => Functions.EvaluateElement(this, state, nullSubstitution),
        _ => Function!.Evaluate(this, state, nullSubstitution),
    };

    /// <summary>Expression.toString() of adaptive-expressions (used in substituted error text).</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case ExprKind.Constant:
                return ConstantToString(Value);
            case ExprKind.Accessor:
                return Children.Length == 1 ? PropertyName : Children[1] + "." + PropertyName;
            case ExprKind.Element:
                return Children[0] + "[" + Children[1] + "]";
        }
        var infix = Type.Length > 0 && !char.IsAsciiLetter(Type[0]) && Children.Length >= 2;
        var sb = new StringBuilder();
        if (!infix)
        {
            sb.Append(Type);
        }
        sb.Append('(');
        for (var i = 0; i < Children.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(infix ? " " + Type + " " : ", ");
            }
            sb.Append(Children[i]);
        }
        sb.Append(')');
        return sb.ToString();
    }

    private static string ConstantToString(object? value)
    {
        switch (value)
        {
            case JsUndefined:
                return "undefined";
            case null:
                return "null";
            case string s:
            {
                // Constant.toString: double the backslashes, then put a backslash before every
                // quote that does not already follow one.
                var doubled = s.Replace("\\", "\\\\");
                var sb = new StringBuilder("'");
                for (var i = 0; i < doubled.Length; i++)
                {
                    if (doubled[i] == '\'' && (i == 0 || doubled[i - 1] != '\\'))
                    {
                        sb.Append('\\');
                    }
                    sb.Append(doubled[i]);
                }
                return sb.Append('\'').ToString();
            }
            case double d:
                return JsRuntime.NumberToString(d);
            case bool b:
                return b ? "true" : "false";
            default:
                return JsRuntime.Stringify(value) ?? "undefined";
        }
    }
}

/// <summary>Where an Accessor path is looked up (adaptive-expressions MemoryInterface).</summary>
internal interface IMemory
{
    object? GetValue(string path);
}

/// <summary>adaptive-expressions SimpleObjectMemory.getValue.</summary>
internal sealed class SimpleMemory(object? root) : IMemory
{
    private static readonly Regex PathSeparators = new(@"[.\[\]]+", RegexOptions.CultureInvariant);

    public object? GetValue(string path)
    {
        if (root is JsUndefined || path.Length == 0)
        {
            return JsUndefined.Value;
        }
        object? value = JsUndefined.Value;
        var current = root;
        foreach (var raw in PathSeparators.Split(path))
        {
            if (raw.Length == 0)
            {
                continue;
            }
            var part = raw;
            if ((part.StartsWith('"') && part.EndsWith('"')) || (part.StartsWith('\'') && part.EndsWith('\'')))
            {
                part = part.Length >= 2 ? part[1..^1] : "";
            }
            var index = JsRuntime.ParseInt(part);
            if (index != null && current is List<object?>)
            {
                var (v, error) = JsRuntime.AccessIndex(current, index.Value);
                if (error != null)
                {
                    return JsUndefined.Value;
                }
                value = v;
            }
            else
            {
                value = JsRuntime.AccessProperty(current, part);
            }
            current = value;
        }
        return value;
    }
}

/// <summary>
/// The template engine's memory (TemplateObjectMemory): paths that do not start with "$" are
/// read from the current <c>$data</c>; <c>$root</c>, <c>$data</c>, <c>$index</c> are the
/// evaluation context. <c>$host</c> is never supplied, so it is always undefined.
/// </summary>
internal sealed class TemplateMemory : IMemory
{
    private static readonly JsObject Version = CreateVersion();
    private readonly SimpleMemory _memory;

    public TemplateMemory(object? root, object? data, object? index)
    {
        var fields = new JsObject();
        fields.Set("$root", root);
        fields.Set("$data", data);
        fields.Set("$index", index);
        fields.Set("$host", JsUndefined.Value);
        fields.Set("$_acTemplateVersion", Version);
        _memory = new SimpleMemory(fields);
    }

    public object? GetValue(string path) =>
        _memory.GetValue(path.Length > 0 && path[0] != '$' ? "$data." + path : path);

    private static JsObject CreateVersion()
    {
        // adaptivecards-templating 2.3.1
        var v = new JsObject();
        v.Set("major", 2.0);
        v.Set("minor", 3.0);
        v.Set("patch", 1.0);
        v.Set("suffix", "");
        return v;
    }
}
