using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Templating;

// The official templating library is JavaScript: it works on JSON.parse'd values and JavaScript
// semantics (undefined vs null, Number.prototype.toString, Object.keys order, truthiness...).
// The binder evaluates on the same value model so that it can match it exactly:
//   JsUndefined.Value  JavaScript undefined (a missing property)
//   null               JSON null
//   string, double, bool
//   List<object?>      array
//   JsObject           object (keys enumerated in JavaScript order)

/// <summary>JavaScript <c>undefined</c>.</summary>
internal sealed class JsUndefined
{
    public static readonly JsUndefined Value = new();

    private JsUndefined()
    {
    }

    public override string ToString() => "undefined";
}

/// <summary>
/// What adaptive-expressions' Element evaluator returns when its instance or index fails: not a
/// value-with-error but nothing at all, which the caller then trips over.
/// </summary>
internal sealed class JsNoResult
{
    public static readonly JsNoResult Value = new();

    private JsNoResult()
    {
    }
}

/// <summary>A TypeError the official library would let escape (it is not an expression error).</summary>
internal sealed class JsTypeError(string message) : Exception(message);

/// <summary>A JavaScript object: properties in JavaScript enumeration order.</summary>
internal sealed class JsObject
{
    private readonly List<string> _insertionOrder = [];
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private List<string>? _ordered;

    public int Count => _values.Count;

    /// <summary>Object.keys order: integer-like keys ascending, then the others in insertion order.</summary>
    public IReadOnlyList<string> Keys => _ordered ??= JsRuntime.OrderKeys(_insertionOrder);

    public object? this[string key] => _values[key];

    public void Set(string key, object? value)
    {
        if (!_values.ContainsKey(key))
        {
            _insertionOrder.Add(key);
            _ordered = null;
        }
        _values[key] = value;
    }

    public bool TryGet(string key, out object? value) => _values.TryGetValue(key, out value);
}

internal static class JsRuntime
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static bool IsUndefined(object? v) => v is JsUndefined;

    /// <summary><c>v == null</c> in JavaScript (null or undefined).</summary>
    public static bool IsNullish(object? v) => v is null or JsUndefined;

    /// <summary>adaptive-expressions FunctionUtils.isNumber: a number that is not NaN.</summary>
    public static bool IsNumber(object? v) => v is double d && !double.IsNaN(d);

    public static bool IsInteger(object? v) => v is double d && double.IsFinite(d) && Math.Floor(d) == d;

    /// <summary>JavaScript ToBoolean.</summary>
    public static bool IsTruthy(object? v) => v switch
    {
        null or JsUndefined => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    /// <summary>adaptive-expressions InternalFunctionUtils.isLogicTrue: only false, null and undefined are false.</summary>
    public static bool IsLogicTrue(object? v) => v switch
    {
        bool b => b,
        null or JsUndefined => false,
        _ => true,
    };

    // ----- conversions between System.Text.Json nodes and the value model -----

    public static object? FromJsonNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
            {
                var result = new JsObject();
                foreach (var (key, value) in obj)
                {
                    result.Set(key, FromJsonNode(value));
                }
                return result;
            }
            case JsonArray array:
            {
                var list = new List<object?>(array.Count);
                foreach (var item in array)
                {
                    list.Add(FromJsonNode(item));
                }
                return list;
            }
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString());
                    case JsonValueKind.Number:
                        return double.Parse(value.ToJsonString(), NumberStyles.Float, Inv);
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Null:
                        return null;
                    default:
                        throw new TemplateException($"Unsupported JSON value kind {value.GetValueKind()}.");
                }
            default:
                throw new TemplateException($"Unsupported JSON node {node.GetType().Name}.");
        }
    }

    /// <summary>Like JSON.stringify then JSON.parse: undefined and non-finite numbers become null.</summary>
    public static JsonNode? ToJsonNode(object? v)
    {
        switch (v)
        {
            case null or JsUndefined:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case double d:
                if (!double.IsFinite(d))
                {
                    return null;
                }
                if (d == 0)
                {
                    return JsonValue.Create(0);
                }
                if (Math.Floor(d) == d && Math.Abs(d) < 9007199254740992d)
                {
                    return JsonValue.Create((long)d);
                }
                return JsonValue.Create(d);
            case List<object?> list:
            {
                var array = new JsonArray();
                foreach (var item in list)
                {
                    array.Add(ToJsonNode(item));
                }
                return array;
            }
            case JsObject obj:
            {
                var result = new JsonObject();
                foreach (var key in obj.Keys)
                {
                    var value = obj[key];
                    if (value is not JsUndefined)
                    {
                        result[key] = ToJsonNode(value);
                    }
                }
                return result;
            }
            default:
                throw new InvalidOperationException("Not a template value: " + v.GetType().Name);
        }
    }

    // ----- property access (adaptive-expressions InternalFunctionUtils) -----

    /// <summary>accessProperty: case-insensitive, first match in Object.keys order; falsy instance gives undefined.</summary>
    public static object? AccessProperty(object? instance, string property)
    {
        if (!IsTruthy(instance))
        {
            return JsUndefined.Value;
        }
        switch (instance)
        {
            case JsObject obj:
                foreach (var key in obj.Keys)
                {
                    if (KeyEqualsIgnoreCase(key, property))
                    {
                        return obj[key];
                    }
                }
                return JsUndefined.Value;
            case string s:
                // Object.keys("abc") is ["0", "1", "2"].
                return IsArrayIndex(property, out var i) && i < s.Length ? CharAt(s, (int)i) : JsUndefined.Value;
            case List<object?> list:
                return IsArrayIndex(property, out var j) && j < list.Count ? list[(int)j] : JsUndefined.Value;
            default:
                // numbers and booleans have no own enumerable keys
                return JsUndefined.Value;
        }
    }

    /// <summary>accessIndex: null/undefined gives undefined; otherwise an array in range, or an error.</summary>
    public static (object? Value, string? Error) AccessIndex(object? instance, double index)
    {
        if (IsNullish(instance))
        {
            return (JsUndefined.Value, null);
        }
        if (instance is List<object?> list)
        {
            if (index >= 0 && index < list.Count)
            {
                return (list[(int)index], null);
            }
            return (JsUndefined.Value, $"{NumberToString(index)} is out of range for {ToJsString(instance)}");
        }
        return (JsUndefined.Value, $"{ToJsString(instance)} is not a collection.");
    }

    public static string CharAt(string s, int i)
    {
        var c = s[i];
        if (char.IsSurrogate(c))
        {
            throw new TemplateException(
                "Taking a single UTF-16 unit out of a surrogate pair would produce broken text; not supported.");
        }
        return c.ToString();
    }

    private static bool KeyEqualsIgnoreCase(string a, string b)
    {
        if (a.Length == b.Length && string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }
        if (IsAscii(a) && IsAscii(b))
        {
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }
        // JavaScript toLowerCase has context-sensitive rules (final sigma, dotted capital I) that
        // .NET does not apply: refuse rather than risk a different match.
        if (a.AsSpan().IndexOfAny('\u03A3', '\u0130') >= 0 || b.AsSpan().IndexOfAny('\u03A3', '\u0130') >= 0)
        {
            throw new TemplateException($"Case-insensitive match of property names '{a}' and '{b}' is not supported.");
        }
        return string.Equals(a.ToLowerInvariant(), b.ToLowerInvariant(), StringComparison.Ordinal);
    }

    private static bool IsAscii(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7f)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A canonical array index ("0", "17"; not "01" or "-1"), as JavaScript orders keys.</summary>
    public static bool IsArrayIndex(string key, out long index)
    {
        index = -1;
        if (key.Length == 0 || key.Length > 10 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }
        long n = 0;
        foreach (var c in key)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            n = n * 10 + (c - '0');
        }
        if (n >= 4294967295L)
        {
            return false;
        }
        index = n;
        return true;
    }

    public static List<string> OrderKeys(List<string> insertionOrder)
    {
        var indices = new List<(long Index, string Key)>();
        var others = new List<string>();
        foreach (var key in insertionOrder)
        {
            if (IsArrayIndex(key, out var i))
            {
                indices.Add((i, key));
            }
            else
            {
                others.Add(key);
            }
        }
        indices.Sort((x, y) => x.Index.CompareTo(y.Index));
        var result = new List<string>(insertionOrder.Count);
        result.AddRange(indices.Select(x => x.Key));
        result.AddRange(others);
        return result;
    }

    // ----- strings -----

    /// <summary>JavaScript String(v) (template literals, Array.prototype.join elements...).</summary>
    public static string ToJsString(object? v) => v switch
    {
        null => "null",
        JsUndefined => "undefined",
        string s => s,
        bool b => b ? "true" : "false",
        double d => NumberToString(d),
        List<object?> list => ArrayJoin(list, ","),
        JsObject => "[object Object]",
        _ => throw new InvalidOperationException("Not a template value: " + v.GetType().Name),
    };

    /// <summary><c>value.toString()</c>: a TypeError on null and undefined.</summary>
    public static string CallToString(object? v)
    {
        if (IsNullish(v))
        {
            throw new JsTypeError($"Cannot read properties of {ToJsString(v)} (reading 'toString')");
        }
        return ToJsString(v);
    }

    /// <summary>Array.prototype.join: null and undefined elements become empty strings.</summary>
    public static string ArrayJoin(List<object?> list, string separator)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }
            if (!IsNullish(list[i]))
            {
                sb.Append(ToJsString(list[i]));
            }
        }
        return sb.ToString();
    }

    /// <summary>InternalFunctionUtils.commonStringify.</summary>
    public static string CommonStringify(object? v)
    {
        if (IsNullish(v))
        {
            return "";
        }
        if (v is List<object?> or JsObject)
        {
            var json = Stringify(v)!;
            var start = 0;
            while (start < json.Length && json[start] is '\'' or '"')
            {
                start++;
            }
            var end = json.Length;
            while (end > start && json[end - 1] is '\'' or '"')
            {
                end--;
            }
            return json[start..end];
        }
        return ToJsString(v);
    }

    /// <summary>JSON.stringify (no indentation); null for undefined.</summary>
    public static string? Stringify(object? v)
    {
        if (v is JsUndefined)
        {
            return null;
        }
        var sb = new StringBuilder();
        WriteJson(sb, v);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null or JsUndefined:
                sb.Append("null");
                break;
            case string s:
                QuoteJson(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                sb.Append(double.IsFinite(d) ? NumberToString(d) : "null");
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    WriteJson(sb, list[i]);
                }
                sb.Append(']');
                break;
            case JsObject obj:
                sb.Append('{');
                var first = true;
                foreach (var key in obj.Keys)
                {
                    var value = obj[key];
                    if (value is JsUndefined)
                    {
                        continue;
                    }
                    if (!first)
                    {
                        sb.Append(',');
                    }
                    first = false;
                    QuoteJson(sb, key);
                    sb.Append(':');
                    WriteJson(sb, value);
                }
                sb.Append('}');
                break;
            default:
                throw new InvalidOperationException("Not a template value: " + v.GetType().Name);
        }
    }

    private static void QuoteJson(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // well-formed JSON.stringify escapes lone surrogates
                        sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>ECMAScript white space and line terminators (String.prototype.trim, parseInt).</summary>
    public static bool IsJsWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' or '\u2028' or '\u2029'
            or '\u202f' or '\u205f' or '\u3000' or '\ufeff' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static string JsTrim(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsJsWhitespace(s[start]))
        {
            start++;
        }
        while (end > start && IsJsWhitespace(s[end - 1]))
        {
            end--;
        }
        return s[start..end];
    }

    /// <summary>parseInt(String(v)) with no radix; null for NaN.</summary>
    public static double? ParseInt(string s)
    {
        var i = 0;
        while (i < s.Length && IsJsWhitespace(s[i]))
        {
            i++;
        }
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }
        var radix = 10;
        if (i + 1 < s.Length && s[i] == '0' && s[i + 1] is 'x' or 'X')
        {
            radix = 16;
            i += 2;
        }
        double value = 0;
        var digits = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            int d = c is >= '0' and <= '9' ? c - '0'
                : radix == 16 && c is >= 'a' and <= 'f' ? c - 'a' + 10
                : radix == 16 && c is >= 'A' and <= 'F' ? c - 'A' + 10
                : -1;
            if (d < 0)
            {
                break;
            }
            value = value * radix + d;
            digits++;
        }
        if (digits == 0)
        {
            return null;
        }
        // Beyond 2^53 the value may differ from JavaScript's in the last bits; callers only use it
        // as "is a number" or as an array index, where such values are out of range either way.
        return negative ? -value : value;
    }

    // ----- numbers -----

    /// <summary>Number.prototype.toString() (ECMAScript Number::toString, radix 10).</summary>
    public static string NumberToString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }
        if (d == 0)
        {
            return "0";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d < 0)
        {
            return "-" + NumberToString(-d);
        }
        // .NET's "R" is the shortest string that round-trips, like ECMAScript's digit selection.
        var r = d.ToString("R", Inv);
        var mantissa = r;
        var exp10 = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = r[..e];
            exp10 = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, Inv);
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var frac = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = intPart + frac;
        var n = intPart.Length + exp10;
        var lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
        }
        var digits = all[lead..].TrimEnd('0');
        n -= lead;
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }
        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }
        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }
        var exponent = n - 1 >= 0 ? "+" + (n - 1).ToString(Inv) : "-" + (1 - n).ToString(Inv);
        return k == 1 ? digits + "e" + exponent : digits[0] + "." + digits[1..] + "e" + exponent;
    }

    /// <summary>Number.prototype.toFixed for a finite x ≥ 0 (exact decimal value, ties away from zero).</summary>
    public static string ToFixed(double x, int fractionDigits)
    {
        if (!double.IsFinite(x) || x < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x));
        }
        if (x >= 1e21)
        {
            return NumberToString(x);
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger m;
        int e;
        if (exponentBits == 0)
        {
            m = fraction;
            e = -1074;
        }
        else
        {
            m = fraction | (1L << 52);
            e = exponentBits - 1075;
        }
        var pow10 = BigInteger.Pow(10, fractionDigits);
        BigInteger n;
        if (e >= 0)
        {
            n = m * BigInteger.Pow(2, e) * pow10;
        }
        else
        {
            var numerator = m * pow10;
            var denominator = BigInteger.Pow(2, -e);
            n = BigInteger.DivRem(numerator, denominator, out var remainder);
            if (remainder * 2 >= denominator)
            {
                n += 1;
            }
        }
        var s = n.ToString(Inv);
        if (fractionDigits == 0)
        {
            return s;
        }
        if (s.Length <= fractionDigits)
        {
            s = new string('0', fractionDigits + 1 - s.Length) + s;
        }
        return s[..^fractionDigits] + "." + s[^fractionDigits..];
    }

    /// <summary>Math.round: to the nearest integer, ties towards +∞.</summary>
    public static double MathRound(double x)
    {
        if (!double.IsFinite(x) || Math.Floor(x) == x)
        {
            return x;
        }
        var r = Math.Floor(x);
        if (x - r >= 0.5)
        {
            r += 1;
        }
        if (r == 0 && x < 0)
        {
            return -0.0;
        }
        return r;
    }

    /// <summary>
    /// The vendored d3-format "<c>,.{precision}f</c>" with the default (en-US) locale:
    /// "," thousands, "." decimal point, and U+2212 MINUS SIGN for negatives.
    /// </summary>
    public static string D3FormatFixedGrouped(double value, int precision)
    {
        if (!double.IsFinite(value))
        {
            throw new TemplateException($"Formatting the non-finite number {NumberToString(value)} is not supported.");
        }
        precision = Math.Clamp(precision, 0, 20);
        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var text = ToFixed(Math.Abs(value), precision);
        if (negative && double.Parse(text, NumberStyles.Float, Inv) == 0)
        {
            negative = false;
        }
        var i = 0;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }
        var integerPart = text[..i];
        var suffix = i < text.Length ? (text[i] == '.' ? "." + text[(i + 1)..] : text[i..]) : "";
        var grouped = new StringBuilder();
        for (var j = 0; j < integerPart.Length; j++)
        {
            if (j > 0 && (integerPart.Length - j) % 3 == 0)
            {
                grouped.Append(',');
            }
            grouped.Append(integerPart[j]);
        }
        return (negative ? "\u2212" : "") + grouped + suffix;
    }

    // ----- equality (FunctionUtils.commonEquals, lodash isEqual) -----

    public static bool CommonEquals(object? a, object? b)
    {
        if (IsNullish(a) || IsNullish(b))
        {
            return IsNullish(a) && IsNullish(b);
        }
        if (a is List<object?> la && b is List<object?> lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }
            for (var i = 0; i < la.Count; i++)
            {
                if (!CommonEquals(la[i], lb[i]))
                {
                    return false;
                }
            }
            return true;
        }
        if (a is JsObject oa && b is JsObject ob)
        {
            return oa.Count == ob.Count && LodashIsEqual(oa, ob);
        }
        if (IsNumber(a) && IsNumber(b) && Math.Abs((double)a! - (double)b!) < 2.220446049250313e-16)
        {
            return true;
        }
        return StrictEquals(a, b);
    }

    private static bool StrictEquals(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (double x, double y) => x == y,
        (bool x, bool y) => x == y,
        _ => ReferenceEquals(a, b),
    };

    private static bool LodashIsEqual(object? a, object? b)
    {
        switch (a, b)
        {
            case (double x, double y):
                return x == y || (double.IsNaN(x) && double.IsNaN(y));
            case (List<object?> x, List<object?> y):
                if (x.Count != y.Count)
                {
                    return false;
                }
                for (var i = 0; i < x.Count; i++)
                {
                    if (!LodashIsEqual(x[i], y[i]))
                    {
                        return false;
                    }
                }
                return true;
            case (JsObject x, JsObject y):
                if (x.Count != y.Count)
                {
                    return false;
                }
                foreach (var key in x.Keys)
                {
                    if (!y.TryGet(key, out var other) || !LodashIsEqual(x[key], other))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return (a is null && b is null) || (a is JsUndefined && b is JsUndefined) || StrictEquals(a, b);
        }
    }
}
