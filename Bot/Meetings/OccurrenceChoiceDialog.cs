using ChatRegs.Dialogs;
using ChatRegs.Dialogs.Choices;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings;

/// <summary>What <see cref="OccurrenceChoiceDialog"/> asks (plain lists: dialog state is stored as JSON).</summary>
public sealed class OccurrenceChoiceOptions
{
    /// <summary>The question, a string-table key ("meetings.checkIn.which").</summary>
    public string QuestionKey { get; set; } = "";

    public List<string> Keys { get; set; } = [];

    public List<string> Titles { get; set; } = [];
}

/// <summary>
/// "Which meeting?" when several fit. Knows nothing of what the caller does with the answer: it
/// ends with the chosen occurrence's key, and the sub-feature's own dialog (check-in, roll) acts
/// on it. Used as a child dialog, never registered on its own.
/// </summary>
public sealed class OccurrenceChoiceDialog : InterruptibleComponentDialog
{
    public new const string Id = "meetings.chooseOccurrence";

    private readonly Localizer _localizer;

    public OccurrenceChoiceDialog(Localizer localizer, IHelpResponder help)
        : base(Id, help)
    {
        _localizer = localizer;
        AddDialog(new ChoicePrompt("which"));
        AddDialog(new WaterfallDialog("steps", [AskAsync, ChosenAsync]));
        InitialDialogId = "steps";
    }

    private async Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var options = (OccurrenceChoiceOptions)step.Options!;
        step.Values["keys"] = options.Keys;
        return await step.PromptAsync("which", new PromptOptions
        {
            Prompt = MessageFactory.Text(_localizer.Get(step.Context.Activity.Locale ?? "", options.QuestionKey)),
            Choices = options.Titles.Select(t => new Choice(t)).ToList(),
        }, ct).ConfigureAwait(false);
    }

    private static async Task<DialogTurnResult> ChosenAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var keys = (List<string>)step.Values["keys"];
        var chosen = (FoundChoice)step.Result!;
        return await step.EndDialogAsync(keys[chosen.Index], ct).ConfigureAwait(false);
    }
}

/// <summary>
/// A sub-feature's "which meeting?" flow: asks with <see cref="OccurrenceChoiceDialog"/>, then
/// hands the chosen occurrence key to <see cref="ActAsync"/>.
/// </summary>
public abstract class ChooseMeetingDialog : InterruptibleComponentDialog
{
    protected ChooseMeetingDialog(string id, Localizer localizer, IHelpResponder help)
        : base(id, help)
    {
        AddDialog(new OccurrenceChoiceDialog(localizer, help));
        AddDialog(new WaterfallDialog("steps", [ChooseAsync, ActOnChoiceAsync]));
        InitialDialogId = "steps";
    }

    private static async Task<DialogTurnResult> ChooseAsync(WaterfallStepContext step, CancellationToken ct) =>
        await step.BeginDialogAsync(OccurrenceChoiceDialog.Id, step.Options, ct).ConfigureAwait(false);

    private async Task<DialogTurnResult> ActOnChoiceAsync(WaterfallStepContext step, CancellationToken ct)
    {
        if (step.Result is string key)
        {
            await ActAsync(step.Context, key, ct).ConfigureAwait(false);
        }
        return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>What the sub-feature does with the chosen meeting.</summary>
    protected abstract Task ActAsync(ITurnContext turnContext, string occurrenceKey, CancellationToken cancellationToken);
}
