namespace ChatRegs.Cards.Templating;

/// <summary>
/// A template could not be expanded: a syntax error, a function or construct this binder does
/// not support, or an expression that the official Adaptive Card Templating library would also
/// refuse (it throws for the same input). The binder never guesses: anything it cannot expand
/// exactly as the official library does ends here, with the expression text.
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message, string? expression = null, Exception? innerException = null)
        : base(expression == null ? message : $"{message} (template text: {expression})", innerException)
    {
        Expression = expression;
    }

    /// <summary>The template string (or expression) that failed, when known.</summary>
    public string? Expression { get; }
}
