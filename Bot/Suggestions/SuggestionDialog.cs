using ChatRegs.Bot.Routing;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Suggestions;

/// <summary>
/// "建议" / "suggest": a two-step flow — a one-line title (text prompt), then the details on
/// a card form (validated on the server) — that files an improvement suggestion for this week.
/// </summary>
public sealed class SuggestionDialog : InterruptibleComponentDialog, IPersonalFlow
{
    public new const string Id = "suggestion";
    public const string SubmitVerb = "suggestion.submit";
    public const int MinTitle = 4, MaxTitle = 60, MinDetails = 10, MaxDetails = 2000, MaxOptional = 500;

    private readonly SuggestionStore _store;
    private readonly TeamClock _clock;
    private readonly Localizer _localizer;
    private readonly IStatePropertyAccessor<SuggestionTally> _tally;

    public SuggestionDialog(SuggestionStore store, ICardFactory cards, IHelpResponder help, TeamClock clock, Localizer localizer, ConversationState conversationState)
        : base(Id, help)
    {
        _store = store;
        // The flow always runs in the person's 1:1 chat (IPersonalFlow): its state is theirs.
        _tally = conversationState.CreateProperty<SuggestionTally>(nameof(SuggestionTally));
        _clock = clock;
        _localizer = localizer;
        AddDialog(new TextPrompt("title", ValidateTitleAsync) { MaxLength = InputLimits.Name });
        AddDialog(new CardFormPrompt("details", cards, ValidateDetails));
        AddDialog(new WaterfallDialog("steps", [AskTitleAsync, AskDetailsAsync, SaveAsync]));
        InitialDialogId = "steps";
    }

    private string L(ITurnContext turn, string key, params object?[] args) => _localizer.Get(turn.Activity.Locale ?? "", key, args);

    private async Task<DialogTurnResult> AskTitleAsync(WaterfallStepContext step, CancellationToken ct) =>
        await step.PromptAsync("title", new PromptOptions
        {
            Prompt = MessageFactory.Text(L(step.Context, "suggestions.askTitle")),
            RetryPrompt = MessageFactory.Text(L(step.Context, "suggestions.titleLength", MinTitle, MaxTitle)),
        }, ct).ConfigureAwait(false);

    private static Task<bool> ValidateTitleAsync(PromptValidatorContext<string> prompt, CancellationToken ct)
    {
        var length = (prompt.Recognized.Value ?? "").Trim().Length;
        return Task.FromResult(prompt.Recognized.Succeeded && length >= MinTitle && length <= MaxTitle);
    }

    private async Task<DialogTurnResult> AskDetailsAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var title = ((string?)step.Result ?? "").Trim();
        step.Values["title"] = title;
        // This form's token: both sends of a double click file one suggestion (SuggestionStore.AddOnceAsync).
        step.Values["form"] = Guid.NewGuid().ToString("N");
        return await step.PromptAsync("details", new CardFormPromptOptions
        {
            TemplateName = "SuggestionForm",
            Verb = SubmitVerb,
            // Every input needs a value: the templating language leaves a missing one as "${…}" text.
            Data = new JsonObject
            {
                ["title"] = title,
                ["minDetails"] = MinDetails,
                ["values"] = new JsonObject { ["details"] = "", ["department"] = "", ["benefit"] = "" },
            },
        }, ct).ConfigureAwait(false);
    }

    private Task<IReadOnlyDictionary<string, string>?> ValidateDetails(CardFormValidatorContext form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var details = (form.Value("details") ?? "").Trim();
        if (details.Length < MinDetails)
        {
            errors["details"] = _localizer.Get(form.Locale, "suggestions.errors.detailsTooShort", MinDetails);
        }
        else if (details.Length > MaxDetails)
        {
            errors["details"] = _localizer.Get(form.Locale, "suggestions.errors.tooLong", MaxDetails);
        }
        foreach (var optional in new[] { "department", "benefit" })
        {
            if ((form.Value(optional) ?? "").Trim().Length > MaxOptional)
            {
                errors[optional] = _localizer.Get(form.Locale, "suggestions.errors.tooLong", MaxOptional);
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }

    private async Task<DialogTurnResult> SaveAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var form = (CardFormResult?)step.Result;
        if (form == null || form.Cancelled)
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var activity = step.Context.Activity;
        var tenant = Tenants.Of(activity) ?? "";
        var now = _clock.Now;
        var week = IsoWeek.Of(_clock.DateOf(now));
        static string? Optional(CardFormResult f, string k) => f.Values.TryGetValue(k, out var v) && v.Trim().Length > 0 ? v.Trim() : null;
        var suggestion = new Suggestion(tenant, activity.From.Id, activity.From.Name ?? "", week, now,
            (string)step.Values["title"], form.Values["details"].Trim(), Optional(form, "department"), Optional(form, "benefit"));
        // The tally of this week kept with the chat's state makes filing one insert; the store
        // corrects it when wrong (a suggestion filed with a weekly report, or state cleared).
        var tally = await _tally.GetAsync(step.Context, () => new SuggestionTally(), ct).ConfigureAwait(false);
        var key = step.Values.TryGetValue("form", out var token) && token is string { Length: > 0 } t ? t : activity.Id;
        var (ordinal, added) = await _store.AddOnceAsync(suggestion, tally.Week == week ? tally.Count : 0, key, ct).ConfigureAwait(false);
        tally.Week = week;
        tally.Count = ordinal;

        await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, added ? "suggestions.saved" : "suggestions.alreadySaved", suggestion.Title, week, ordinal)), ct).ConfigureAwait(false);
        // Filed and said: the other send of this form saving the dialog state first must not add "not saved".
        SavedTurns.Mark(step.Context);
        return await step.EndDialogAsync(suggestion, ct).ConfigureAwait(false);
    }
}

/// <summary>How many suggestions the person has filed in <see cref="Week"/>, as far as this chat knows.</summary>
public sealed class SuggestionTally
{
    public string Week { get; set; } = "";

    public int Count { get; set; }
}
