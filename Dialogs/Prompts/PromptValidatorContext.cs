using System.Globalization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>What a <see cref="PromptValidator{T}"/> is given (as the SDK's PromptValidatorContext&lt;T&gt;).</summary>
public class PromptValidatorContext<T>
{
    internal PromptValidatorContext(ITurnContext turnContext, PromptRecognizerResult<T> recognized, IDictionary<string, object> state, PromptOptions options)
    {
        Context = turnContext;
        Recognized = recognized;
        State = state;
        Options = options;
    }

    /// <summary>Gets the turn context.</summary>
    public ITurnContext Context { get; }

    /// <summary>Gets what the prompt recognized in the reply.</summary>
    public PromptRecognizerResult<T> Recognized { get; }

    /// <summary>Gets the options the prompt was started with.</summary>
    public PromptOptions Options { get; }

    /// <summary>Gets the prompt's persisted state.</summary>
    public IDictionary<string, object> State { get; }

    /// <summary>Gets how many replies the prompt has received, this one included (1 on the first reply).</summary>
    public int AttemptCount => Convert.ToInt32(State[Prompt<T>.AttemptCountKey], CultureInfo.InvariantCulture);
}
