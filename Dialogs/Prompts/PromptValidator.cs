namespace ChatRegs.Dialogs;

/// <summary>
/// Decides whether a recognized reply is accepted (as the SDK's PromptValidator&lt;T&gt;).
/// Return false to re-ask; if the validator sent its own message, the prompt does not add its retry prompt.
/// </summary>
public delegate Task<bool> PromptValidator<T>(PromptValidatorContext<T> promptContext, CancellationToken cancellationToken);
