using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatRegs.Cards.Templating;

/// <summary>
/// Parses template strings the way adaptivecards-templating does: the whole string is read as
/// an adaptive-expressions string interpolation (<c>`...${expr}...`</c>), each <c>${...}</c>
/// is parsed with the adaptive-expressions grammar (ExpressionAntlrLexer.g4 /
/// ExpressionAntlrParser.g4: same tokens, same operator precedence and associativity), and a
/// string that is exactly one <c>${expr}</c> yields that expression so that it keeps its type.
/// Lambdas, object literals and nested string interpolation are not supported and throw.
/// </summary>
internal static class ExpressionParser
{
    private static readonly Regex EscapeSequence = new(@"\\[^\r\n]?", RegexOptions.CultureInvariant);

    /// <summary>Parses a template string containing "${"; the result is a single expression or a concat.</summary>
    public static Expr ParseTemplateString(string text)
    {
        var children = new List<Expr> { Expr.Constant("") };
        var run = new StringBuilder();

        void FlushText()
        {
            if (run.Length > 0)
            {
                children.Add(Expr.Constant(run.ToString()));
                run.Clear();
            }
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '`')
            {
                throw new TemplateException("A backtick (`) in a string that contains \"${\" must be escaped as \\`.", text);
            }
            if (c == '\\')
            {
                if (i + 1 == text.Length)
                {
                    // "\" would escape the backtick that closes the interpolated string.
                    throw new TemplateException("A string that contains \"${\" cannot end with a backslash.", text);
                }
                if (text[i + 1] is '`' or '$')
                {
                    FlushText();
                    children.Add(Expr.Constant(text[i + 1].ToString()));
                    i += 2;
                    continue;
                }
            }
            if (c == '$')
            {
                var end = MatchTemplate(text, i);
                if (end > 0)
                {
                    FlushText();
                    children.Add(ParseEmbedded(text[i..end], text));
                    i = end;
                    continue;
                }
            }
            run.Append(c);
            i++;
        }
        FlushText();

        if (children.Count == 2 && children[1].Kind != ExprKind.Constant)
        {
            return children[1];
        }
        return Expr.Call(Functions.Concat, [.. children]);
    }

    /// <summary>
    /// The lexer's TEMPLATE token at <paramref name="start"/> ("${" ... "}"); returns its end or
    /// -1 when the text there is not a template (the "$" is then plain text).
    /// </summary>
    private static int MatchTemplate(string text, int start)
    {
        if (start + 1 >= text.Length || text[start + 1] != '{')
        {
            return -1;
        }
        // A backslash before a quote inside a string literal can be read as an escape or as a
        // plain backslash ending the string. When only the escape reading makes a complete
        // ${...} (the usual 'it\'s'), it is the one the official lexer takes; otherwise rather
        // than guess, refuse.
        var withEscapes = ScanTemplate(text, start, honourEscapes: true);
        var withoutEscapes = ScanTemplate(text, start, honourEscapes: false);
        if (withoutEscapes > 0 && withEscapes != withoutEscapes)
        {
            throw new TemplateException("Ambiguous backslash before a quote inside ${...}.", text);
        }
        return withEscapes;
    }

    private static int ScanTemplate(string text, int start, bool honourEscapes)
    {
        var pos = start + 2;
        var items = 0;
        while (pos < text.Length)
        {
            var c = text[pos];
            switch (c)
            {
                case '}':
                    return items > 0 ? pos + 1 : -1;
                case '\'' or '"':
                    pos = ScanString(text, pos, honourEscapes);
                    if (pos < 0)
                    {
                        return -1;
                    }
                    items++;
                    continue;
                case '{':
                    if (pos + 1 < text.Length && text[pos + 1] == '}')
                    {
                        items++;
                        pos += 2;
                        continue;
                    }
                    throw new TemplateException("Object literals ({...}) inside ${...} are not supported (only {}).", text);
                case '\r' or '\n' or '`':
                    return -1;
                default:
                    items++;
                    pos++;
                    continue;
            }
        }
        return -1;
    }

    /// <summary>Scans a quoted STRING token starting at <paramref name="start"/>; returns the index after it, or -1.</summary>
    private static int ScanString(string text, int start, bool honourEscapes)
    {
        var quote = text[start];
        var pos = start + 1;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (honourEscapes && c == '\\' && pos + 1 < text.Length && (text[pos + 1] == quote || text[pos + 1] == '\\'))
            {
                pos += 2;
                continue;
            }
            if (c == quote)
            {
                return pos + 1;
            }
            pos++;
        }
        return -1;
    }

    /// <summary>One "${...}": trimmed like trimExpression, a leading "=" dropped, then parsed.</summary>
    private static Expr ParseEmbedded(string template, string source)
    {
        var inner = JsRuntime.JsTrim(JsRuntime.JsTrim(template)[1..]);
        if (inner.StartsWith('{') && inner.EndsWith('}'))
        {
            inner = inner[1..^1];
        }
        inner = JsRuntime.JsTrim(inner);
        if (inner.StartsWith('='))
        {
            inner = inner[1..];
        }
        if (inner.Length == 0)
        {
            return Expr.Constant("");
        }
        try
        {
            return new Parser(Lex(inner, source), inner, source).ParseAll();
        }
        catch (TemplateException ex) when (ex.Expression == null)
        {
            throw new TemplateException(ex.Message, source, ex);
        }
    }

    // ----- lexer -----

    private enum T
    {
        Op,
        Number,
        Identifier,
        String,
        End,
    }

    private readonly record struct Token(T Kind, string Text, int Position);

    private static readonly string[] TwoCharOps = ["==", "!=", "<>", "<=", ">=", "&&", "||", "=>", "??"];
    private const string OneCharOps = "+-!^*/%&<>().[]{},:?";

    private static List<Token> Lex(string s, string source)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is ' ' or '\t' or '\ufeff' or '\u00a0' or '\n')
            {
                i++;
                continue;
            }
            if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
            {
                i += 2;
                continue;
            }
            if (c == '`')
            {
                throw new TemplateException("String interpolation (`...`) inside an expression is not supported.", source);
            }
            if (c is '\'' or '"')
            {
                var end = ScanString(s, i, honourEscapes: true);
                if (end < 0)
                {
                    throw new TemplateException($"Syntax error: unterminated string at {i} in \"{s}\".", source);
                }
                tokens.Add(new Token(T.String, s[i..end], i));
                i = end;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }
                if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                {
                    i++;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }
                tokens.Add(new Token(T.Number, s[start..i], start));
                continue;
            }
            var identifierStart = char.IsAsciiLetter(c) || c is '_' or '#' or '@' or '$'
                || (c == '%' && i + 1 < s.Length && IsIdentifierPart(s[i + 1]));
            if (identifierStart)
            {
                var start = i;
                i += c == '@' && i + 1 < s.Length && s[i + 1] == '@' ? 2 : 1;
                while (i < s.Length && IsIdentifierPart(s[i]))
                {
                    i++;
                }
                tokens.Add(new Token(T.Identifier, s[start..i], start));
                continue;
            }
            if (i + 1 < s.Length && Array.IndexOf(TwoCharOps, s.Substring(i, 2)) >= 0)
            {
                tokens.Add(new Token(T.Op, s.Substring(i, 2), i));
                i += 2;
                continue;
            }
            if (OneCharOps.Contains(c))
            {
                tokens.Add(new Token(T.Op, c.ToString(), i));
                i++;
                continue;
            }
            throw new TemplateException($"Syntax error: unexpected '{c}' at {i} in \"{s}\".", source);
        }
        tokens.Add(new Token(T.End, "", s.Length));
        return tokens;
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // ----- parser -----

    private sealed class Parser(List<Token> tokens, string text, string source)
    {
        private const int UnaryPrecedence = 11;
        private int _pos;

        private Token Peek => tokens[_pos];

        private Token PeekAt(int offset) => tokens[Math.Min(_pos + offset, tokens.Count - 1)];

        public Expr ParseAll()
        {
            var e = ParseExpression(0);
            if (Peek.Kind != T.End)
            {
                throw SyntaxError();
            }
            return e;
        }

        private TemplateException SyntaxError() =>
            new(Peek.Kind == T.End
                ? $"Syntax error: unexpected end of \"{text}\"."
                : $"Syntax error: unexpected '{Peek.Text}' at {Peek.Position} in \"{text}\".", source);

        private bool IsOp(string op, int offset = 0) => PeekAt(offset) is { Kind: T.Op } t && t.Text == op;

        private void Expect(string op)
        {
            if (!IsOp(op))
            {
                throw SyntaxError();
            }
            _pos++;
        }

        // Binding power of the binary operators, loosest first (ExpressionAntlrParser.g4 lists
        // them tightest first). "^" is right-associative; the ternary's middle operand is a
        // full expression and its right operand binds one level tighter (so "a ? b : c ? d : e"
        // is "(a ? b : c) ? d : e", as in the official parser).
        private static (int Precedence, bool RightAssociative)? Binary(Token t) => t.Kind != T.Op ? null : t.Text switch
        {
            "?" => (1, false),
            "??" => (2, false),
            "||" => (3, false),
            "&&" => (4, false),
            "<" or "<=" or ">" or ">=" => (5, false),
            "&" => (6, false),
            "==" or "!=" or "<>" => (7, false),
            "+" or "-" => (8, false),
            "*" or "/" or "%" => (9, false),
            "^" => (10, true),
            _ => null,
        };

        private Expr ParseExpression(int minPrecedence)
        {
            Expr left;
            if (Peek.Kind == T.Op && Peek.Text is "!" or "-" or "+")
            {
                var op = Peek.Text;
                _pos++;
                var operand = ParseExpression(UnaryPrecedence);
                left = op == "!" ? MakeCall("!", [operand]) : MakeCall(op, [Expr.Constant(0.0), operand]);
            }
            else
            {
                left = ParsePrimary();
            }

            while (Binary(Peek) is { } binary && binary.Precedence >= minPrecedence)
            {
                var op = Peek.Text;
                _pos++;
                if (op == "?")
                {
                    var whenTrue = ParseExpression(0);
                    Expect(":");
                    var whenFalse = ParseExpression(binary.Precedence + 1);
                    left = Expr.Call(Functions.If, left, whenTrue, whenFalse);
                }
                else
                {
                    var right = ParseExpression(binary.RightAssociative ? binary.Precedence : binary.Precedence + 1);
                    left = MakeCall(op, [left, right]);
                }
            }
            return left;
        }

        private Expr ParsePrimary()
        {
            var start = _pos;
            var t = Peek;
            Expr e;
            switch (t.Kind)
            {
                case T.Op when t.Text == "(":
                    _pos++;
                    e = ParseExpression(0);
                    Expect(")");
                    break;
                case T.Op when t.Text == "[":
                    _pos++;
                    e = Expr.Call(Functions.CreateArray, [.. ParseArguments("]")]);
                    break;
                case T.Op when t.Text == "{" && IsOp("}", 1):
                    _pos += 2;
                    e = Expr.Call(Functions.EmptyObject, Expr.Constant("{}"));
                    break;
                case T.Op when t.Text == "{":
                    throw new TemplateException("Object literals ({...}) are not supported (only {}).", source);
                case T.Number:
                    _pos++;
                    e = Expr.Constant(double.Parse(t.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                    break;
                case T.String:
                    _pos++;
                    e = Expr.Constant(Unquote(t.Text));
                    break;
                case T.Identifier:
                    _pos++;
                    e = t.Text switch
                    {
                        "true" => Expr.Constant(true),
                        "false" => Expr.Constant(false),
                        "null" => Expr.Constant(null),
                        "undefined" => Expr.Constant(JsUndefined.Value),
                        _ => Expr.Accessor(t.Text, null),
                    };
                    break;
                default:
                    throw SyntaxError();
            }

            while (true)
            {
                if (IsOp("."))
                {
                    _pos++;
                    if (Peek.Kind != T.Identifier)
                    {
                        throw SyntaxError();
                    }
                    e = Expr.Accessor(Peek.Text, e);
                    _pos++;
                }
                else if (IsOp("(") || (IsOp("!") && IsOp("(", 1)))
                {
                    // funcInvokeExp: the function name is the text of the primary expression
                    var name = string.Concat(tokens.Skip(start).Take(_pos - start).Select(x => x.Text));
                    if (IsOp("!"))
                    {
                        name += "!";
                        _pos++;
                    }
                    _pos++;
                    e = MakeCall(name, ParseArguments(")"));
                }
                else if (IsOp("["))
                {
                    _pos++;
                    var index = ParseExpression(0);
                    Expect("]");
                    e = Expr.Element(e, index);
                }
                else
                {
                    return e;
                }
            }
        }

        private List<Expr> ParseArguments(string close)
        {
            var args = new List<Expr>();
            if (IsOp(close))
            {
                _pos++;
                return args;
            }
            while (true)
            {
                if (Peek.Kind == T.Identifier && IsOp("=>", 1))
                {
                    throw new TemplateException("Lambda expressions (x => ...) are not supported.", source);
                }
                args.Add(ParseExpression(0));
                if (IsOp(","))
                {
                    _pos++;
                    continue;
                }
                Expect(close);
                return args;
            }
        }

        private Expr MakeCall(string name, List<Expr> args)
        {
            var function = Functions.Lookup(name)
                ?? throw new TemplateException(
                    $"Function or operator '{name}' is not supported by this binder (supported: {string.Join(", ", Functions.SupportedNames)}).",
                    source);
            try
            {
                return Expr.Call(function, [.. args]);
            }
            catch (TemplateException ex) when (ex.Expression == null)
            {
                throw new TemplateException(ex.Message, source, ex);
            }
        }

        /// <summary>visitStringAtom: strip the quotes, unescape the quote, then \r \n \t \\.</summary>
        private static string Unquote(string token)
        {
            var quote = token[0];
            var body = token[1..^1].Replace("\\" + quote, quote.ToString());
            return EscapeSequence.Replace(body, m => m.Value switch
            {
                "\\r" => "\r",
                "\\n" => "\n",
                "\\t" => "\t",
                "\\\\" => "\\",
                _ => m.Value,
            });
        }
    }
}
