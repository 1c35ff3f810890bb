namespace ChatRegs.Cards.Templating;

internal delegate EvalResult Evaluator(Expr expression, IMemory state, bool nullSubstitution);

/// <summary>A supported built-in: parse-time check, return type, evaluation.</summary>
internal sealed record FunctionDef(string Name, ReturnType ReturnType, Action<Expr> Validate, Evaluator Evaluate);

/// <summary>
/// The subset of the adaptive-expressions built-in functions that the binder supports, each a
/// transcription of the official evaluator (adaptive-expressions 4.23, the version
/// adaptivecards-templating 2.3.1 runs on), including its argument checks, its errors and the
/// places where it turns null substitution off. Any other function name is refused when the
/// template is parsed.
/// </summary>
internal static class Functions
{
    private const ReturnType Any = ReturnType.Object;

    /// <summary>The locales of adaptive-expressions' localeInfo table whose number format differs
    /// from the default (en-US style "1,234.5"): formatting for them is not implemented.</summary>
    private static readonly HashSet<string> LocalesWithOtherNumberFormat = new(StringComparer.Ordinal)
    {
        "ar-MA", "en-IN", "ar-BH", "ar-PS", "it-IT", "ar-EG", "ar-IQ", "ar-AE", "ar-MR", "uk-UA", "ca-ES",
        "sv-SE", "es-ES", "fi-FI", "ar-DZ", "cs-CZ", "ar-TD", "de-CH", "nl-NL", "es-BO", "ar-SY", "ar-JO",
        "ar-ER", "ar-LB", "fr-CA", "ar-TN", "ar-YE", "ru-RU", "ar-SS", "ar-SO", "hu-HU", "pt-BR", "ar-DJ",
        "ar-SD", "ar-001", "ar-LY", "ar-SA", "ar-KW", "pl-PL", "ar-QA", "mk-MK", "ar-IL", "de-DE", "ar-OM",
        "fr-FR", "ar-KM",
    };

    private static readonly Dictionary<string, FunctionDef> Table = Build();

    /// <summary>The concat evaluator, also used for interpolated strings.</summary>
    public static FunctionDef Concat => Table["concat"];

    public static FunctionDef Coalesce => Table["coalesce"];

    public static FunctionDef CreateArray => Table["createArray"];

    public static FunctionDef If => Table["if"];

    /// <summary>json('{}'): what an empty object literal <c>{}</c> parses to (no other use of json() is supported).</summary>
    public static FunctionDef EmptyObject { get; } = new("json", ReturnType.Object, _ => { }, (_, _, _) => EvalResult.Ok(new JsObject()));

    public static FunctionDef? Lookup(string name) => Table.GetValueOrDefault(name);

    public static IEnumerable<string> SupportedNames => Table.Keys.Order(StringComparer.Ordinal);

    private static Dictionary<string, FunctionDef> Build()
    {
        var t = new Dictionary<string, FunctionDef>(StringComparer.Ordinal);

        void Add(FunctionDef f, params string[] aliases)
        {
            t[f.Name] = f;
            foreach (var alias in aliases)
            {
                t[alias] = f;
            }
        }

        // arithmetic
        Add(new("+", ReturnType.String | ReturnType.Number, e => ArityAndType(e, 2, int.MaxValue, ReturnType.String | ReturnType.Number), EvalAdd), "add");
        Add(new("-", ReturnType.Number, e => ArityAndType(e, 2, int.MaxValue, ReturnType.Number),
            NumericSequence((a, b) => a - b, VerifyNumber)), "sub");
        Add(new("*", ReturnType.Number, e => ArityAndType(e, 2, int.MaxValue, ReturnType.Number),
            NumericSequence((a, b) => a * b, VerifyNumber)), "mul");
        Add(new("/", ReturnType.Number, e => ArityAndType(e, 2, int.MaxValue, ReturnType.Number),
            NumericSequence(Divide, VerifyDivisor)), "div");
        Add(new("%", ReturnType.Number, e => ArityAndType(e, 2, 2, ReturnType.Number), EvalMod), "mod");
        Add(new("^", ReturnType.Number, e => ArityAndType(e, 2, int.MaxValue, ReturnType.Number),
            NumericSequence(Power, VerifyPowerOperand)), "exp");

        // comparison
        Add(new("==", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => JsRuntime.CommonEquals(a[0], a[1]), null)), "equals");
        Add(new("!=", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => !JsRuntime.CommonEquals(a[0], a[1]), null)));
        Add(new("<", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => Compare(a) < 0, VerifyNotNull)), "less");
        Add(new("<=", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => Compare(a) <= 0, VerifyNotNull)), "lessOrEquals");
        Add(new(">", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => Compare(a) > 0, VerifyNotNull)), "greater");
        Add(new(">=", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), Comparison(a => Compare(a) >= 0, VerifyNotNull)), "greaterOrEquals");
        Add(new("exists", ReturnType.Boolean, e => ArityAndType(e, 1, 1, Any), Comparison(a => !JsRuntime.IsNullish(a[0]), VerifyNotNull)));
        Add(new("empty", ReturnType.Boolean, e => ArityAndType(e, 1, 1, Any), Comparison(a => IsEmpty(a[0]), VerifyContainerOrNull)));

        // logic
        Add(new("&&", ReturnType.Boolean, e => ArityAndType(e, 1, int.MaxValue, Any), EvalAnd), "and");
        Add(new("||", ReturnType.Boolean, e => ArityAndType(e, 1, int.MaxValue, Any), EvalOr), "or");
        Add(new("!", ReturnType.Boolean, e => ArityAndType(e, 1, 1, Any), EvalNot), "not");
        Add(new("if", Any, e => ArityAndType(e, 3, 3, Any), EvalIf));
        Add(new("coalesce", Any, e => ArityAndType(e, 1, int.MaxValue, Any),
            Apply(a => EvalResult.Ok(a.FirstOrDefault(x => !JsRuntime.IsNullish(x), JsUndefined.Value)), null)), "??");

        // collections and strings
        Add(new("count", ReturnType.Number, e => Order(e, [], ReturnType.String | ReturnType.Array), Apply(Count, VerifyContainer)));
        Add(new("length", ReturnType.Number, e => ArityAndType(e, 1, 1, ReturnType.String),
            Apply(a => EvalResult.Ok((double)StringOrEmpty(a[0]).Length), VerifyStringOrUndefined)));
        Add(new("concat", ReturnType.String | ReturnType.Array, e => ArityAndType(e, 1, int.MaxValue, Any), Apply(ConcatSequence, null)), "&");
        Add(new("string", ReturnType.String, e => Order(e, [ReturnType.String], Any), Apply(ToStringFunction, null)));
        Add(new("join", ReturnType.String, e => Order(e, [ReturnType.String], ReturnType.Array, ReturnType.String), Apply(Join, null)));
        Add(new("formatNumber", ReturnType.String, e => Order(e, [ReturnType.String], ReturnType.Number, ReturnType.Number), Apply(FormatNumber, null)));
        Add(new("createArray", ReturnType.Array, _ => { }, Apply(a => EvalResult.Ok(new List<object?>(a)), null)));
        Add(new("trim", ReturnType.String, e => ArityAndType(e, 1, 1, ReturnType.String),
            Apply(a => EvalResult.Ok(JsRuntime.JsTrim(StringOrEmpty(a[0]))), VerifyStringOrUndefined)));
        Add(new("startsWith", ReturnType.Boolean, e => ArityAndType(e, 2, 2, ReturnType.String),
            Apply(a => EvalResult.Ok(StringOrEmpty(a[0]).StartsWith(StringOrEmpty(a[1]), StringComparison.Ordinal)), VerifyStringOrUndefined)));
        Add(new("endsWith", ReturnType.Boolean, e => ArityAndType(e, 2, 2, ReturnType.String),
            Apply(a => EvalResult.Ok(StringOrEmpty(a[0]).EndsWith(StringOrEmpty(a[1]), StringComparison.Ordinal)), VerifyStringOrUndefined)));
        Add(new("contains", ReturnType.Boolean, e => ArityAndType(e, 2, 2, Any), EvalContains));
        Add(new("first", Any, e => ArityAndType(e, 1, 1, Any), Apply(a => EvalResult.Ok(FirstOrLast(a[0], first: true)), null)));
        Add(new("last", Any, e => ArityAndType(e, 1, 1, Any), Apply(a => EvalResult.Ok(FirstOrLast(a[0], first: false)), null)));

        return t;
    }

    // ----- parse-time checks (FunctionUtils.validateArityAndAnyType / validateOrder) -----

    private static void ArityAndType(Expr e, int min, int max, ReturnType type)
    {
        if (e.Children.Length < min)
        {
            throw new TemplateException($"{e} should have at least {min} children.");
        }
        if (e.Children.Length > max)
        {
            throw new TemplateException($"{e} can't have more than {max} children.");
        }
        if ((type & ReturnType.Object) == 0)
        {
            foreach (var child in e.Children)
            {
                if ((child.ReturnType & ReturnType.Object) == 0 && (type & child.ReturnType) == 0)
                {
                    throw new TemplateException($"{child} is not a {type} expression in {e}.");
                }
            }
        }
    }

    private static void Order(Expr e, ReturnType[] optional, params ReturnType[] types)
    {
        var n = e.Children.Length;
        if (n < types.Length || n > types.Length + optional.Length)
        {
            throw new TemplateException(optional.Length == 0
                ? $"{e} should have {types.Length} children."
                : $"{e} should have between {types.Length} and {types.Length + optional.Length} children.");
        }
        for (var i = 0; i < n; i++)
        {
            var type = i < types.Length ? types[i] : optional[i - types.Length];
            var child = e.Children[i];
            if ((type & ReturnType.Object) == 0 && (child.ReturnType & ReturnType.Object) == 0 && (type & child.ReturnType) == 0)
            {
                throw new TemplateException($"{child} is not a {type} expression in {e}.");
            }
        }
    }

    // ----- argument verification (FunctionUtils.verify*) -----

    private delegate string? Verify(object? value, Expr child, int position);

    private static string? VerifyNumber(object? v, Expr child, int _) =>
        JsRuntime.IsNumber(v) ? null : $"{child} is not a number.";

    private static string? VerifyDivisor(object? v, Expr child, int position) =>
        VerifyNumber(v, child, position) ?? (position > 0 && (double)v! == 0 ? $"Cannot divide by 0 from {child}" : null);

    private static string? VerifyPowerOperand(object? v, Expr child, int position) => v is List<object?>
        ? throw new TemplateException($"'^' on a list ({child}) is not supported.")
        : VerifyNumber(v, child, position);

    private static string? VerifyInteger(object? v, Expr child, int _) =>
        JsRuntime.IsInteger(v) ? null : $"{child} is not a integer.";

    private static string? VerifyNotNull(object? v, Expr child, int _) =>
        JsRuntime.IsNullish(v) ? $"{child} is null." : null;

    private static string? VerifyStringOrUndefined(object? v, Expr child, int _) =>
        v is string or JsUndefined ? null : $"{child} is neither a string nor a null object.";

    private static string? VerifyNumberOrStringOrUndefined(object? v, Expr child, int _) =>
        v is string or JsUndefined || JsRuntime.IsNumber(v) ? null : $"{child} is neither a number nor string";

    // typeof null === "object", so null passes verifyContainer (and count(null) then fails).
    private static string? VerifyContainer(object? v, Expr child, int _) =>
        v is string or List<object?> or JsObject or null ? null : $"{child} must be a string, list, map or object.";

    private static string? VerifyContainerOrNull(object? v, Expr child, int _) =>
        v is string or List<object?> or JsObject or null or JsUndefined ? null : $"{child} must be a string, list, map or object.";

    private static (List<object?> Args, string? Error) EvaluateChildren(Expr e, IMemory state, bool subst, Verify? verify)
    {
        var args = new List<object?>(e.Children.Length);
        for (var i = 0; i < e.Children.Length; i++)
        {
            var child = e.Children[i];
            var r = child.Evaluate(state, subst);
            var error = r.Error ?? verify?.Invoke(r.Value, child, i);
            if (error != null)
            {
                return (args, error);
            }
            args.Add(r.Value);
        }
        return (args, null);
    }

    private static Evaluator Apply(Func<List<object?>, EvalResult> func, Verify? verify) => (e, state, subst) =>
    {
        var (args, error) = EvaluateChildren(e, state, subst, verify);
        return error != null ? EvalResult.Fail(error) : func(args);
    };

    private static Evaluator NumericSequence(Func<double, double, double> op, Verify verify) => Apply(args =>
    {
        var soFar = (double)args[0]!;
        for (var i = 1; i < args.Count; i++)
        {
            soFar = op(soFar, (double)args[i]!);
        }
        return EvalResult.Ok(soFar);
    }, verify);

    /// <summary>ComparisonEvaluator: children without null substitution; a child error means false.</summary>
    private static Evaluator Comparison(Func<List<object?>, bool> func, Verify? verify) => (e, state, _) =>
    {
        var (args, error) = EvaluateChildren(e, state, false, verify);
        if (error != null)
        {
            return EvalResult.Ok(false);
        }
        try
        {
            return EvalResult.Ok(func(args));
        }
        catch (NotComparableException ex)
        {
            return new EvalResult(false, ex.Message);
        }
    };

    private sealed class NotComparableException(string message) : Exception(message);

    private static int Compare(List<object?> a)
    {
        if (JsRuntime.IsNumber(a[0]) && JsRuntime.IsNumber(a[1]))
        {
            return ((double)a[0]!).CompareTo((double)a[1]!);
        }
        if (a[0] is string x && a[1] is string y)
        {
            return Math.Sign(string.CompareOrdinal(x, y));
        }
        throw new NotComparableException($"{JsRuntime.ToJsString(a[0])} and {JsRuntime.ToJsString(a[1])} must be comparable.");
    }

    // ----- accessors -----

    /// <summary>Accessor: fold the member/index chain into a path and look it up in memory.</summary>
    public static EvalResult EvaluateAccessor(Expr e, IMemory state, bool subst)
    {
        var path = "";
        Expr? left = e;
        while (left != null)
        {
            if (left.Kind == ExprKind.Accessor)
            {
                path = left.PropertyName + "." + path;
                left = left.Children.Length == 2 ? left.Children[1] : null;
            }
            else if (left.Kind == ExprKind.Element)
            {
                var r = left.Children[1].Evaluate(state, subst);
                if (r.Error != null)
                {
                    return EvalResult.Fail(r.Error);
                }
                if (JsRuntime.ParseInt(JsRuntime.ToJsString(r.Value)) != null)
                {
                    path = $"[{JsRuntime.ToJsString(r.Value)}].{path}";
                }
                else if (r.Value is string s)
                {
                    path = $"['{s}'].{path}";
                }
                else
                {
                    return EvalResult.Fail($"{left.Children[1]} doesn't return an int or string");
                }
                left = left.Children[0];
            }
            else
            {
                break;
            }
        }
        path = path.TrimEnd('.').Replace(".[", "[");

        IMemory memory = state;
        if (left != null)
        {
            var scope = left.Evaluate(state, subst);
            if (scope.Error != null)
            {
                return EvalResult.Fail(scope.Error);
            }
            memory = new SimpleMemory(scope.Value);
        }
        var value = memory.GetValue(path);
        if (value is JsUndefined && subst)
        {
            // The official engine's null substitution: a missing value keeps its binding text.
            value = "${" + path + "}";
        }
        return EvalResult.Ok(value);
    }

    /// <summary>Element: instance[index]. When either part fails the official evaluator returns nothing.</summary>
    public static EvalResult EvaluateElement(Expr e, IMemory state, bool subst)
    {
        var instance = e.Children[0].Evaluate(state, subst);
        if (instance.Error != null)
        {
            return new EvalResult(JsNoResult.Value, null);
        }
        var index = e.Children[1].Evaluate(state, false);
        if (index.Error != null)
        {
            return new EvalResult(JsNoResult.Value, null);
        }
        if (JsRuntime.IsInteger(index.Value))
        {
            var (value, error) = JsRuntime.AccessIndex(instance.Value, (double)index.Value!);
            return new EvalResult(value, error);
        }
        if (index.Value is string property)
        {
            return EvalResult.Ok(JsRuntime.AccessProperty(instance.Value, property));
        }
        return EvalResult.Fail($"Could not coerce {e.Children[1]} to an int or string.");
    }

    // ----- evaluators -----

    private static EvalResult EvalAdd(Expr e, IMemory state, bool subst)
    {
        var (args, error) = EvaluateChildren(e, state, subst, VerifyNumberOrStringOrUndefined);
        if (error != null)
        {
            return EvalResult.Fail(error);
        }
        var soFar = args[0];
        for (var i = 1; i < args.Count; i++)
        {
            var a = soFar;
            var b = args[i];
            if ((JsRuntime.IsNullish(a) && JsRuntime.IsNumber(b)) || (JsRuntime.IsNullish(b) && JsRuntime.IsNumber(a)))
            {
                return EvalResult.Fail("Operator '+' or add cannot be applied to operands of type 'number' and null object.");
            }
            if (!JsRuntime.IsNumber(a) || !JsRuntime.IsNumber(b))
            {
                soFar = JsRuntime.IsNullish(a) && JsRuntime.IsNullish(b) ? ""
                    : JsRuntime.IsNullish(a) ? JsRuntime.ToJsString(b)
                    : JsRuntime.IsNullish(b) ? JsRuntime.ToJsString(a)
                    : JsRuntime.ToJsString(a) + JsRuntime.ToJsString(b);
            }
            else
            {
                soFar = (double)a! + (double)b!;
            }
        }
        return EvalResult.Ok(soFar);
    }

    private static double Divide(double a, double b)
    {
        var result = a / b;
        return JsRuntime.IsInteger(a) && JsRuntime.IsInteger(b) ? Math.Floor(result) : result;
    }

    private static double Power(double a, double b)
    {
        // Math.pow is not correctly rounded in every engine; only exact integer powers are
        // guaranteed to match, so only those are supported.
        if (JsRuntime.IsInteger(a) && JsRuntime.IsInteger(b) && b >= 0)
        {
            var result = Math.Pow(a, b);
            if (Math.Abs(result) <= 9007199254740992d)
            {
                return result;
            }
        }
        throw new TemplateException($"'^' is only supported for an exact integer result ({JsRuntime.NumberToString(a)} ^ {JsRuntime.NumberToString(b)}).");
    }

    private static EvalResult EvalMod(Expr e, IMemory state, bool subst)
    {
        var (args, error) = EvaluateChildren(e, state, subst, VerifyInteger);
        if (error != null)
        {
            return EvalResult.Fail(error);
        }
        var b = (double)args[1]!;
        return b == 0 ? EvalResult.Fail("Cannot mod by 0.") : EvalResult.Ok((double)args[0]! % b);
    }

    private static EvalResult EvalAnd(Expr e, IMemory state, bool _)
    {
        foreach (var child in e.Children)
        {
            var r = child.Evaluate(state, false);
            if (r.Error != null || !JsRuntime.IsLogicTrue(r.Value))
            {
                return EvalResult.Ok(false);
            }
        }
        return EvalResult.Ok(true);
    }

    private static EvalResult EvalOr(Expr e, IMemory state, bool _)
    {
        // Faithful to the official evaluator: when no child is true the result is the raw value
        // of the last child (false, null or even undefined), not false.
        object? result = false;
        foreach (var child in e.Children)
        {
            var r = child.Evaluate(state, false);
            result = r.Value;
            if (r.Error == null && JsRuntime.IsLogicTrue(r.Value))
            {
                return EvalResult.Ok(true);
            }
        }
        return EvalResult.Ok(result);
    }

    private static EvalResult EvalNot(Expr e, IMemory state, bool _)
    {
        var r = e.Children[0].Evaluate(state, false);
        return EvalResult.Ok(r.Error != null || !JsRuntime.IsLogicTrue(r.Value));
    }

    private static EvalResult EvalIf(Expr e, IMemory state, bool subst)
    {
        var condition = e.Children[0].Evaluate(state, false);
        var branch = condition.Error == null && JsRuntime.IsLogicTrue(condition.Value) ? e.Children[1] : e.Children[2];
        return branch.Evaluate(state, subst);
    }

    private static bool IsEmpty(object? v) => v switch
    {
        null or JsUndefined => true,
        string s => s.Length == 0,
        List<object?> list => list.Count == 0,
        JsObject obj => obj.Count == 0,
        _ => false,
    };

    private static EvalResult Count(List<object?> a) => a[0] switch
    {
        string s => EvalResult.Ok((double)s.Length),
        List<object?> list => EvalResult.Ok((double)list.Count),
        JsObject obj => EvalResult.Ok((double)obj.Count),
        _ => EvalResult.Fail("Cannot convert undefined or null to object"),
    };

    private static string StringOrEmpty(object? v) => v as string ?? "";

    private static EvalResult ConcatSequence(List<object?> args)
    {
        var soFar = args[0];
        for (var i = 1; i < args.Count; i++)
        {
            var a = soFar;
            var b = args[i];
            if (JsRuntime.IsNullish(a) && JsRuntime.IsNullish(b))
            {
                soFar = JsUndefined.Value;
            }
            else if (JsRuntime.IsNullish(a) && b is List<object?>)
            {
                soFar = b;
            }
            else if (JsRuntime.IsNullish(b) && a is List<object?>)
            {
                soFar = a;
            }
            else if (a is List<object?> la && b is List<object?> lb)
            {
                soFar = new List<object?>(la.Concat(lb));
            }
            else
            {
                soFar = JsRuntime.CommonStringify(a) + JsRuntime.CommonStringify(b);
            }
        }
        return EvalResult.Ok(soFar);
    }

    private static void CheckLocale(string locale)
    {
        if (LocalesWithOtherNumberFormat.Contains(locale))
        {
            throw new TemplateException($"Number formatting for locale '{locale}' is not supported (only the default \"1,234.5\" format is).");
        }
    }

    private static EvalResult ToStringFunction(List<object?> a)
    {
        switch (a[0])
        {
            case string s:
                return EvalResult.Ok(s);
            case double d when !double.IsNaN(d):
            {
                if (a.Count == 2 && a[1] is string locale)
                {
                    CheckLocale(locale);
                }
                var text = JsRuntime.NumberToString(d);
                var dot = text.IndexOf('.');
                var precision = dot < 0 ? 0 : text.Length - dot - 1;
                return EvalResult.Ok(JsRuntime.D3FormatFixedGrouped(d, precision));
            }
            default:
                return EvalResult.Ok(JsRuntime.CommonStringify(a[0]));
        }
    }

    private static EvalResult Join(List<object?> a)
    {
        if (a[0] is not List<object?> list)
        {
            return EvalResult.Fail($"join's first argument evaluates to {JsRuntime.ToJsString(a[0])} which is not a list.");
        }
        string Separator(object? s) => s is JsUndefined ? "," : JsRuntime.ToJsString(s);
        if (a.Count == 2)
        {
            return EvalResult.Ok(JsRuntime.ArrayJoin(list, Separator(a[1])));
        }
        if (list.Count < 3)
        {
            return EvalResult.Ok(JsRuntime.ArrayJoin(list, Separator(a[2])));
        }
        var firstPart = JsRuntime.ArrayJoin(list.GetRange(0, list.Count - 1), Separator(a[1]));
        // String.prototype.concat: String(null) is "null" here, unlike in join
        return EvalResult.Ok(firstPart + JsRuntime.ToJsString(a[2]) + JsRuntime.ToJsString(list[^1]));
    }

    private static EvalResult FormatNumber(List<object?> a)
    {
        if (a.Count == 3 && a[2] is string locale)
        {
            CheckLocale(locale);
        }
        if (!JsRuntime.IsNumber(a[0]))
        {
            return EvalResult.Fail($"formatNumber first argument {JsRuntime.ToJsString(a[0])} must be a number");
        }
        if (!JsRuntime.IsNumber(a[1]))
        {
            return EvalResult.Fail($"formatNumber second argument {JsRuntime.ToJsString(a[1])} must be a number");
        }
        var number = (double)a[0]!;
        var precision = (double)a[1]!;
        if (!JsRuntime.IsInteger(precision) || precision < 0)
        {
            return EvalResult.Fail($"invalid format: ,.{JsRuntime.NumberToString(precision)}f");
        }
        if (precision > 22)
        {
            throw new TemplateException($"formatNumber with {JsRuntime.NumberToString(precision)} decimals is not supported.");
        }
        var scale = Math.Pow(10, precision);
        var rounded = JsRuntime.MathRound(number * scale) / scale;
        return EvalResult.Ok(JsRuntime.D3FormatFixedGrouped(rounded, (int)precision));
    }

    private static EvalResult EvalContains(Expr e, IMemory state, bool subst)
    {
        var (args, error) = EvaluateChildren(e, state, subst, null);
        if (error != null)
        {
            return EvalResult.Ok(false);
        }
        if (args[0] is string s && args[1] is string sub)
        {
            return EvalResult.Ok(s.Contains(sub, StringComparison.Ordinal));
        }
        if (args[0] is List<object?> list)
        {
            return EvalResult.Ok(list.Any(item => JsRuntime.CommonEquals(item, args[1])));
        }
        if (args[1] is string property)
        {
            return EvalResult.Ok(JsRuntime.AccessProperty(args[0], property) is not JsUndefined);
        }
        return EvalResult.Ok(false);
    }

    private static object? FirstOrLast(object? v, bool first) => v switch
    {
        string s when s.Length > 0 => JsRuntime.CharAt(s, first ? 0 : s.Length - 1),
        List<object?> list when list.Count > 0 => first ? list[0] : list[^1],
        _ => JsUndefined.Value,
    };
}
