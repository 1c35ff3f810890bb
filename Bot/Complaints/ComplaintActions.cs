using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Complaints;

/// <summary>Per-complaint roles, for <see cref="AuthorizationResource.PeopleByRole"/>.</summary>
public static class ComplaintRoles
{
    /// <summary>The person who owns the current step.</summary>
    public const string StepOwner = "complaintStepOwner";

    /// <summary>Anyone who registered the complaint or owned a step of it (may read it).</summary>
    public const string Participant = "complaintParticipant";

    /// <summary>A complaint as an authorization resource, as stored (never as a card says).</summary>
    public static AuthorizationResource Resource(Complaint c) => new("complaint", c.Number)
    {
        PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>>
        {
            [StepOwner] = c.IsOpen && c.OwnerId is { } owner ? [owner] : [],
            [Participant] = new[] { c.RegisteredById, c.OwnerId, c.InvestigatorId, c.HandlerId }.Concat(c.Spans.Select(s => s.OwnerId)).OfType<string>().Distinct().ToList(),
        },
    };
}

/// <summary>What the complaint commands and card actions share: who is asking, in which tenant and language.</summary>
public sealed class ComplaintViews(ComplaintService service, ComplaintCards cards, IAuthorizationService authorization, AuthorizationService actors, Localizer localizer)
{
    public static string TenantOf(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";

    public static string LocaleOf(ITurnContext turn) => turn.Activity.Locale ?? "";

    public string L(ITurnContext turn, string key, params object?[] args) => localizer.Get(LocaleOf(turn), "complaints." + key, args);

    public string In(string locale, string key, params object?[] args) => localizer.Get(locale, "complaints." + key, args);

    /// <summary>The sender as the directory knows them (roles included, bootstrap office too), else a bare employee.</summary>
    public Task<Person> ActorAsync(ITurnContext turn, CancellationToken cancellationToken) => actors.GetActorAsync(turn, cancellationToken);

    /// <summary>Customers' names and phones stay in the person's 1:1 chat with the bot.</summary>
    public async Task<bool> EnsurePersonalAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        if (FileExporter.IsPersonal(turn.Activity))
        {
            return true;
        }
        await SayAsync(turn, "personalOnly", cancellationToken).ConfigureAwait(false);
        return false;
    }

    public Task SayAsync(ITurnContext turn, string key, CancellationToken cancellationToken, params object?[] args) =>
        turn.SendActivityAsync(MessageFactory.Text(L(turn, key, args)), cancellationToken);

    public async Task<Attachment> ViewAsync(ITurnContext turn, Complaint c, Person viewer, CancellationToken cancellationToken,
        string? notice = null, string noticeColor = "Default", IReadOnlyDictionary<string, string?>? submitted = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        var events = await service.EventsAsync(c.TenantId, c.Number, cancellationToken).ConfigureAwait(false);
        var people = await service.PeopleAsync(c.TenantId, cancellationToken).ConfigureAwait(false);
        return cards.View(c, events, viewer, people, LocaleOf(turn), notice, noticeColor, submitted, errors);
    }

    /// <summary>
    /// May the sender read this complaint (as stored)? Says why not when not. Every branch that
    /// shows a complaint (moved on, closed, already registered, changed meanwhile) asks this
    /// first: numbers are sequential, so a card's number proves nothing.
    /// </summary>
    public Task<bool> EnsureMaySeeAsync(ITurnContext turn, Complaint c, CancellationToken cancellationToken) =>
        authorization.EnsureAllowedAsync(turn, ComplaintPermissions.ComplaintView, ComplaintRoles.Resource(c), cancellationToken);

    /// <summary>Opens one complaint for a person allowed to see it.</summary>
    public async Task OpenAsync(ITurnContext turn, string number, CancellationToken cancellationToken)
    {
        var c = await service.GetAsync(TenantOf(turn), number, cancellationToken).ConfigureAwait(false);
        if (c == null)
        {
            await SayAsync(turn, "notFound", cancellationToken, number).ConfigureAwait(false);
            return;
        }
        if (!await EnsureMaySeeAsync(turn, c, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var viewer = await ActorAsync(turn, cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(MessageFactory.Attachment(await ViewAsync(turn, c, viewer, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open complaints this person may see: all for supervisor, manager and office; else those they registered or own a step of.</summary>
    public async Task ListAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var viewer = await ActorAsync(turn, cancellationToken).ConfigureAwait(false);
        var all = await service.ListAsync(viewer.TenantId, cancellationToken).ConfigureAwait(false);
        var open = all.Where(c => c.IsOpen && ComplaintService.CanSee(c, viewer))
            .OrderBy(c => c.StageDueUtc ?? DateTimeOffset.MaxValue).ThenBy(c => c.Number, StringComparer.Ordinal).ToList();
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.List(open, LocaleOf(turn))), cancellationToken).ConfigureAwait(false);
    }

    public static Dictionary<string, string?> Values(JObject data) =>
        CardFields.All(data, Dialogs.InputLimits.MaxFields, "verb", "number", "stage", "version", "msteams")
            // Cut to more than any field takes: validation still says "too long", and a refused form sent back stays small.
            .ToDictionary(p => p.Key, p => Cut(p.Value), StringComparer.Ordinal);

    private static string? Cut(string? value) => value == null ? null : Dialogs.InputLimits.Truncate(value, Dialogs.InputLimits.FormField);

}

/// <summary>"登记投诉" on the list card: a new, empty 顾客投诉登记表.</summary>
public sealed class NewComplaintAction(ComplaintViews views, ComplaintCards cards) : ICardActionHandler
{
    public string Verb => "complaints.new";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        if (await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Form(ComplaintCards.RegisterVerb, "", ComplaintViews.LocaleOf(turnContext), cards.NewFormValues())), cancellationToken).ConfigureAwait(false);
        }
        return CardActionResult.Done;
    }
}

/// <summary>"登记" on the 顾客投诉登记表: 投诉受理; the complaint goes to the supervisors for 投诉判定.</summary>
public sealed class RegisterComplaintAction(IAuthorizationService authorization, ComplaintViews views, ComplaintService service, ComplaintCards cards, ComplaintFlow flow) : CardActionHandler(authorization)
{
    public override string Verb => ComplaintCards.RegisterVerb;

    /// <summary>Customers' names and phones stay in the person's 1:1 chat with the bot.</summary>
    public override string? PersonalOnlyReasonKey => "complaints.personalOnly";

    protected override string Permission => ComplaintPermissions.ComplaintRegister;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, data) = (action.Turn, action.Data);
        var locale = ComplaintViews.LocaleOf(turnContext);
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var values = ComplaintViews.Values(data);
        var outcome = await service.RegisterAsync(actor, values, locale, cancellationToken).ConfigureAwait(false);
        if (!outcome.Saved)
        {
            await views.SayAsync(turnContext, "fix", cancellationToken, outcome.Errors.Count).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Form(Verb, "", locale, values, outcome.Errors)), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        if (outcome.Repeated)
        {
            // The same form pressed again: nothing new is registered and nobody is told twice.
            // A form id is no proof of anything: someone else's (copied or forged) shows nothing
            // of their complaint unless the sender may read it anyway.
            if (!await views.EnsureMaySeeAsync(turnContext, outcome.Complaint!, cancellationToken).ConfigureAwait(false))
            {
                return CardActionResult.Done;
            }
            await views.SayAsync(turnContext, "done.alreadyRegistered", cancellationToken, outcome.Complaint!.Number).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Attachment(await views.ViewAsync(turnContext, outcome.Complaint, actor, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var c = await flow.AfterAsync(null, outcome.Complaint!, actor.UserId, cancellationToken).ConfigureAwait(false);
        await views.SayAsync(turnContext, "done.registered", cancellationToken, c.Number, c.StageDueUtc is { } due ? service.Time(due) : "—").ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(await views.ViewAsync(turnContext, c, actor, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"打开" on a list: one complaint, read-only unless the viewer owns the step.</summary>
public sealed class OpenComplaintAction(IAuthorizationService authorization, ComplaintViews views, ComplaintService service) : ComplaintAction(authorization, service)
{
    public override string Verb => "complaints.open";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, Complaint complaint, CancellationToken cancellationToken)
    {
        var viewer = await views.ActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        await action.Turn.SendActivityAsync(MessageFactory.Attachment(await views.ViewAsync(action.Turn, complaint, viewer, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>
/// A button on one complaint (the card's <c>number</c>, looked up in the turn's tenant), in the
/// 1:1 chat only: the base loads it and decides whether the sender may read it
/// (<see cref="ComplaintPermissions.ComplaintView"/> on the complaint as stored) before the
/// handler runs. Refusals are sent as messages, as every complaint answer is.
/// </summary>
public abstract class ComplaintAction(IAuthorizationService authorization, ComplaintService service) : CardActionHandler<Complaint>(authorization)
{
    protected ComplaintService Service => service;

    /// <summary>Customers' names and phones stay in the person's 1:1 chat with the bot.</summary>
    public override string? PersonalOnlyReasonKey => "complaints.personalOnly";

    protected override string Permission => ComplaintPermissions.ComplaintView;

    protected override string NotFoundKey => "complaints.notFound";

    protected override object?[] NotFoundArguments(CardActionContext action) => [action.Field("number")];

    protected override Task<Complaint?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        service.GetAsync(action.Tenant, action.Field("number"), cancellationToken);

    protected override AuthorizationResource ResourceOf(Complaint record) => ComplaintRoles.Resource(record);

    protected override async Task<CardActionResult> AnswerAsync(CardActionContext action, string text, CancellationToken cancellationToken)
    {
        await action.Turn.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>
/// A step of the process, from a complaint card: only in its stage, only by the step's owner
/// or a supervisor (the approval only by a manager), as stored and decided from the sender's
/// identity. Wrong input comes back on the card next to its field; a complaint moved on
/// meanwhile saves nothing and shows where it stands now.
/// </summary>
public sealed class ComplaintStepAction(string verb, IAuthorizationService authorization, ComplaintViews views, ComplaintService service, ComplaintCards cards, ComplaintFlow flow)
    : ComplaintAction(authorization, service)
{
    public static readonly IReadOnlyDictionary<string, (ComplaintStage? Stage, string Action, string Done)> Steps = new Dictionary<string, (ComplaintStage?, string, string)>
    {
        [ComplaintCards.CompleteVerb] = (ComplaintStage.Intake, ComplaintPermissions.ComplaintAdvance, "completed"),
        ["complaints.completeForm"] = (ComplaintStage.Intake, ComplaintPermissions.ComplaintAdvance, ""),
        ["complaints.judge"] = (ComplaintStage.Judge, ComplaintPermissions.ComplaintAdvance, "judged"),
        ["complaints.investigate"] = (ComplaintStage.Investigate, ComplaintPermissions.ComplaintAdvance, "investigated"),
        ["complaints.addPlan"] = (ComplaintStage.Plan, ComplaintPermissions.ComplaintAdvance, "planAdded"),
        ["complaints.submitPlans"] = (ComplaintStage.Plan, ComplaintPermissions.ComplaintAdvance, "plansSubmitted"),
        ["complaints.approve"] = (ComplaintStage.Approve, ComplaintPermissions.ComplaintApprove, "approved"),
        ["complaints.returnPlans"] = (ComplaintStage.Approve, ComplaintPermissions.ComplaintApprove, "returned"),
        ["complaints.implement"] = (ComplaintStage.Implement, ComplaintPermissions.ComplaintAdvance, "implemented"),
        ["complaints.close"] = (ComplaintStage.Summary, ComplaintPermissions.ComplaintAdvance, "closed"),
        ["complaints.withdraw"] = (null, ComplaintPermissions.ComplaintWithdraw, "withdrawn"),
    };

    public override string Verb => verb;

    /// <summary>
    /// The base decides who may read the complaint (numbers are sequential: a card's number proves
    /// nothing) before anything about it, its stage included, reaches the reply. The step's own
    /// permission is decided here, after the stage: a step already taken says "moved on" to everyone who may read it.
    /// </summary>
    protected override async Task<CardActionResult> RunAsync(CardActionContext context, Complaint c, CancellationToken cancellationToken)
    {
        var turnContext = context.Turn;
        var data = context.Data;
        var isInvoke = turnContext.Activity.Type == ActivityTypes.Invoke;
        var locale = context.Locale;
        var (stage, action, done) = Steps[verb];
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (!c.IsOpen || (stage != null && c.Stage != stage))
        {
            var moved = await views.ViewAsync(turnContext, c, actor, cancellationToken, views.L(turnContext, "movedOn", c.Number, cards.StageName(c.Stage, locale)), "Warning").ConfigureAwait(false);
            return await ReplyAsync(turnContext, isInvoke, moved, cancellationToken).ConfigureAwait(false);
        }
        if (!await Authorization.EnsureAllowedAsync(turnContext, action, ComplaintRoles.Resource(c), cancellationToken).ConfigureAwait(false))
        {
            return CardActionResult.Done;
        }
        // The card's version (ComplaintCards.VersionOf when it was made; cards made before it was
        // carried have none): an older card in the same stage — the plans sent back and submitted
        // anew, the customer not accepting and the stage entered again — saves nothing and shows
        // the complaint as it is now.
        var version = context.Field("version", 20);
        if (version.Length > 0 && version != ComplaintCards.VersionOf(c))
        {
            var current = await views.ViewAsync(turnContext, c, actor, cancellationToken, views.L(turnContext, "changed", c.Number), "Warning").ConfigureAwait(false);
            return await ReplyAsync(turnContext, isInvoke, current, cancellationToken).ConfigureAwait(false);
        }
        var values = ComplaintViews.Values(data);
        if (verb == "complaints.completeForm")
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Form(ComplaintCards.CompleteVerb, c.Number, locale, cards.FormValues(c), null, Source(c, locale))), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        StepOutcome outcome;
        try
        {
            outcome = verb switch
            {
                ComplaintCards.CompleteVerb => await Service.CompleteAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.judge" => await Service.JudgeAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.investigate" => await Service.InvestigateAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.addPlan" => await Service.AddPlanAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.submitPlans" => await Service.SubmitPlansAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.approve" => await Service.ApproveAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.returnPlans" => await Service.ReturnPlansAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.implement" => await Service.ImplementAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                "complaints.close" => await Service.CloseAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
                _ => await Service.WithdrawAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (StorageConflictException)
        {
            var fresh = await Service.GetAsync(c.TenantId, c.Number, cancellationToken).ConfigureAwait(false) ?? c;
            if (!await views.EnsureMaySeeAsync(turnContext, fresh, cancellationToken).ConfigureAwait(false))
            {
                return CardActionResult.Done;
            }
            var changed = await views.ViewAsync(turnContext, fresh, actor, cancellationToken, views.L(turnContext, "changed", c.Number), "Warning").ConfigureAwait(false);
            return await ReplyAsync(turnContext, isInvoke, changed, cancellationToken).ConfigureAwait(false);
        }
        if (!outcome.Saved)
        {
            var message = views.L(turnContext, "fix", outcome.Errors.Count);
            if (verb == ComplaintCards.CompleteVerb)
            {
                await turnContext.SendActivityAsync(MessageFactory.Text(message), cancellationToken).ConfigureAwait(false);
                await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Form(verb, c.Number, locale, values, outcome.Errors, Source(c, locale))), cancellationToken).ConfigureAwait(false);
                return CardActionResult.Done;
            }
            if (!isInvoke)
            {
                await turnContext.SendActivityAsync(MessageFactory.Text(message), cancellationToken).ConfigureAwait(false);
            }
            var again = await views.ViewAsync(turnContext, c, actor, cancellationToken, message, "Attention", values, outcome.Errors).ConfigureAwait(false);
            return await ReplyAsync(turnContext, isInvoke, again, cancellationToken).ConfigureAwait(false);
        }
        // The step is saved: nothing after this (the follow-through, the card read back, the
        // conversation state at the end of the turn) may answer "not saved".
        SavedTurns.Mark(turnContext);
        var saved = await flow.AfterAsync(c, outcome.Complaint!, actor.UserId, cancellationToken).ConfigureAwait(false);
        var key = done == "judged" ? (saved.Verdict == ComplaintVerdict.Unfounded ? "unfounded" : "founded") : done == "implemented" && saved.Stage == ComplaintStage.Plan ? "notAccepted" : done;
        var text = views.L(turnContext, "done." + key, saved.Number, cards.OwnerOf(saved, locale), saved.StageDueUtc is { } due ? Service.Time(due) : "—");
        if (saved.FollowUpTaskId != null && saved.Stage == ComplaintStage.Closed)
        {
            text += views.L(turnContext, "done.followUp");
        }
        Attachment card;
        try
        {
            card = await views.ViewAsync(turnContext, saved, actor, cancellationToken, text, "Good").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && StorageProblems.Is(e))
        {
            // Saved, but its card (with the history) cannot be read back now: say it is done; 投诉 {number} shows it later.
            if (isInvoke)
            {
                return new CardActionResult(Message: text);
            }
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        if (!isInvoke)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
        }
        return await ReplyAsync(turnContext, isInvoke, card, cancellationToken).ConfigureAwait(false);
    }

    private string? Source(Complaint c, string locale) =>
        c.FromCallbackTaskId == null ? null : views.In(locale, "form.fromCallback", c.ServiceItem ?? "—", c.RegisteredByName);

    /// <summary>Action.Execute: the card is replaced in place; Action.Submit: it comes as a new message.</summary>
    private static async Task<CardActionResult> ReplyAsync(ITurnContext turn, bool isInvoke, Attachment card, CancellationToken cancellationToken)
    {
        if (isInvoke)
        {
            return new CardActionResult(RefreshedCard: card);
        }
        await turn.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
