using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs.Choices;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Meetings;

/// <summary>What <see cref="OccurrenceChoiceDialog"/> asks about (plain lists: dialog state is stored as JSON).</summary>
public sealed class OccurrenceChoiceOptions
{
    public const string CheckIn = "checkIn";
    public const string Roll = "roll";

    public string Purpose { get; set; } = CheckIn;

    public List<string> Keys { get; set; } = [];

    public List<string> Titles { get; set; } = [];
}

/// <summary>"Which meeting?" when several fit: check in to the chosen one, or show its roll.</summary>
public sealed class OccurrenceChoiceDialog : InterruptibleComponentDialog
{
    public new const string Id = "meetings.chooseOccurrence";

    private readonly CheckInService _checkIns;
    private readonly RollPresenter _rolls;
    private readonly Localizer _localizer;

    public OccurrenceChoiceDialog(CheckInService checkIns, RollPresenter rolls, Localizer localizer, IHelpResponder help)
        : base(Id, help)
    {
        _checkIns = checkIns;
        _rolls = rolls;
        _localizer = localizer;
        AddDialog(new ChoicePrompt("which"));
        AddDialog(new WaterfallDialog("steps", [AskAsync, ActAsync]));
        InitialDialogId = "steps";
    }

    private async Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var options = (OccurrenceChoiceOptions)step.Options!;
        step.Values["options"] = options;
        var locale = step.Context.Activity.Locale ?? "";
        var question = _localizer.Get(locale, options.Purpose == OccurrenceChoiceOptions.Roll ? "meetings.roll.which" : "meetings.checkIn.which");
        return await step.PromptAsync("which", new PromptOptions
        {
            Prompt = MessageFactory.Text(question),
            Choices = options.Titles.Select(t => new Choice(t)).ToList(),
        }, ct).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ActAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var options = (OccurrenceChoiceOptions)step.Values["options"];
        var chosen = (FoundChoice)step.Result!;
        var key = options.Keys[chosen.Index];
        var activity = step.Context.Activity;
        var tenant = Tenants.Of(activity) ?? "";
        if (options.Purpose == OccurrenceChoiceOptions.Roll)
        {
            await _rolls.SendAsync(step.Context, key, ct).ConfigureAwait(false);
        }
        else
        {
            var outcome = await _checkIns.CheckInAsync(tenant, key, activity.From?.Id ?? "", activity.From?.Name, CheckInSources.Command, ct).ConfigureAwait(false);
            await step.Context.SendActivityAsync(MessageFactory.Text(_checkIns.Describe(outcome, activity.Locale ?? "")), ct).ConfigureAwait(false);
        }
        return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
    }
}
