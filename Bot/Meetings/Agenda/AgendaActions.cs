using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>
/// The agenda's card actions (Action.Execute: the card answered replaces the clicked one).
/// Each names the meeting by its occurrence key and, where it matters, a topic id; who may act
/// is decided from the turn's identity against that meeting (never from the card's data).
/// </summary>
public sealed class AgendaActions(AgendaService agenda, AgendaCards cards, TopicForms forms, AgendaPublisher publisher, Localizer localizer)
{
    public const string OpenVerb = "agenda.open";
    public const string ViewVerb = "agenda.view";
    public const string ReviewVerb = "agenda.review";
    public const string AcceptVerb = "agenda.accept";
    public const string RejectVerb = "agenda.reject";
    public const string UpVerb = "agenda.up";
    public const string DownVerb = "agenda.down";
    public const string PostVerb = "agenda.post";

    private static string Locale(ITurnContext turn) => turn.Activity.Locale ?? "";

    private string L(ITurnContext turn, string key, params object?[] args) => localizer.Get(Locale(turn), "agenda." + key, args);

    /// <summary>The topic form for a meeting (verb <see cref="TopicForms.FormVerb"/>; the sender may submit topics).</summary>
    public async Task<CardActionResult> TopicFormAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken ct)
    {
        if (context.Occurrence.Cancelled || context.Occurrence.Start <= agenda.Now)
        {
            var key = context.Occurrence.Cancelled ? "topic.cancelled" : "topic.started";
            return new CardActionResult(Message: L(turn, key, context.Series.Name, MeetingText.When(context.Occurrence, Locale(turn))));
        }
        var form = await forms.FormAsync(turn, context, ct).ConfigureAwait(false);
        return form == null ? CardActionResult.Done : new CardActionResult(RefreshedCard: form);
    }

    /// <summary>What <c>议程</c> shows for one meeting: the review card to whoever manages it, else the agenda as it stands.</summary>
    public async Task<Microsoft.Bot.Schema.Attachment?> OpenCardAsync(ITurnContext turn, AgendaContext context, CancellationToken ct)
    {
        if (await agenda.MayAsync(turn, AgendaPermissions.ManageAgenda, context.Snapshot, context.Occurrence, ct).ConfigureAwait(false))
        {
            return cards.Review(context, Locale(turn), agenda.Now);
        }
        if (!await agenda.EnsureAsync(turn, AgendaPermissions.ViewAgenda, context.Snapshot, context.Occurrence, ct).ConfigureAwait(false))
        {
            return null;
        }
        return await ViewCardAsync(turn, context, ct).ConfigureAwait(false);
    }

    /// <summary>The agenda as the sender sees it: their own topics with where they stand, and the review button if they manage it.</summary>
    private async Task<Microsoft.Bot.Schema.Attachment> ViewCardAsync(ITurnContext turn, AgendaContext context, CancellationToken ct)
    {
        var me = turn.Activity.From?.Id ?? "";
        var mine = context.State.Topics.Where(t => t.SubmittedById == me || t.PresenterId == me).ToList();
        var canManage = await agenda.MayAsync(turn, AgendaPermissions.ManageAgenda, context.Snapshot, context.Occurrence, ct).ConfigureAwait(false);
        return cards.Agenda(context, Locale(turn), agenda.Now, context.State.Post?.Revision ?? 0, posted: false, mine, canManage);
    }

    /// <summary>The review card to whoever manages the agenda, else the agenda as it stands (the sender may view it).</summary>
    public async Task<CardActionResult> OpenAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken ct)
    {
        var card = await OpenCardAsync(turn, context, ct).ConfigureAwait(false);
        return card == null ? CardActionResult.Done : new CardActionResult(RefreshedCard: card);
    }

    /// <summary>The agenda as participants see it (also the host's preview).</summary>
    /// <summary>
    /// The agenda as the sender sees it (the sender may view it): also the posted card's refresh,
    /// which Teams sends for each of the meeting's first 60 expected people when they see it.
    /// </summary>
    public async Task<CardActionResult> ViewAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken ct) =>
        new(RefreshedCard: await ViewCardAsync(turn, context, ct).ConfigureAwait(false));

    /// <summary>The review card (the sender manages the agenda).</summary>
    public Task<CardActionResult> ReviewAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken ct) =>
        Task.FromResult(new CardActionResult(RefreshedCard: cards.Review(context, Locale(turn), agenda.Now)));

    /// <summary>Accept, reject, move up or down one topic (the sender manages the agenda); answers with the review card as it now stands.</summary>
    public async Task<CardActionResult> DecideAsync(ITurnContext turn, AgendaContext context, JObject data, string verb, CancellationToken ct)
    {
        var now = agenda.Now;
        var locale = Locale(turn);
        if (context.Occurrence.End <= now)
        {
            return new CardActionResult(RefreshedCard: cards.Review(context, locale, now, L(turn, "review.over"), messageIsWarning: true));
        }
        var id = CardFields.Field(data, "topic");
        var topic = context.State.Topics.FirstOrDefault(t => t.Id == id);
        if (topic == null)
        {
            return new CardActionResult(RefreshedCard: cards.Review(context, locale, now, L(turn, "review.noSuchTopic"), messageIsWarning: true));
        }
        var by = turn.Activity.From;
        string message;
        var warning = false;
        switch (verb)
        {
            case AcceptVerb or RejectVerb:
            {
                var status = verb == AcceptVerb ? TopicStatus.Accepted : TopicStatus.Rejected;
                if (topic.Status == status)
                {
                    message = L(turn, status == TopicStatus.Accepted ? "review.alreadyAccepted" : "review.alreadyRejected", topic.Title);
                    break;
                }
                await agenda.UpdateTopicAsync(topic with
                {
                    Status = status,
                    DecidedById = by?.Id,
                    DecidedByName = by?.Name,
                    DecidedAt = now,
                }, ct).ConfigureAwait(false);
                message = L(turn, status == TopicStatus.Accepted ? "review.accepted" : "review.rejected", topic.Title);
                break;
            }
            default:
            {
                var items = context.State.Items.ToList();
                var index = items.FindIndex(t => t.Id == topic.Id);
                var other = index < 0 ? -1 : verb == UpVerb ? index - 1 : index + 1;
                if (index < 0)
                {
                    message = L(turn, "review.notOnAgenda", topic.Title);
                    warning = true;
                }
                else if (other < 0 || other >= items.Count)
                {
                    message = L(turn, verb == UpVerb ? "review.alreadyFirst" : "review.alreadyLast", topic.Title);
                }
                else
                {
                    var neighbour = items[other];
                    if (neighbour.Order == topic.Order)
                    {
                        // Equal positions (same submission tick) cannot be swapped: give the neighbour its own first.
                        neighbour = await agenda.UpdateTopicAsync(neighbour with { Order = neighbour.Order + (verb == UpVerb ? -1 : 1) }, ct).ConfigureAwait(false);
                    }
                    await agenda.SwapOrderAsync(topic, neighbour, ct).ConfigureAwait(false);
                    message = L(turn, "review.moved", topic.Title, other + 1);
                }
                break;
            }
        }
        var fresh = await agenda.ReloadAsync(context, ct).ConfigureAwait(false) ?? context;
        return new CardActionResult(RefreshedCard: cards.Review(fresh, locale, now, message, warning));
    }

    /// <summary>Posts (or updates) the agenda card in the meeting's conversation; answers with the review card and what happened.</summary>
    public async Task<CardActionResult> PostAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken ct)
    {
        var outcome = await publisher.PublishAsync(turn, context, ct).ConfigureAwait(false);
        return new CardActionResult(RefreshedCard: cards.Review(outcome.Context, Locale(turn), agenda.Now, outcome.Message, messageIsWarning: !outcome.Published));
    }
}

/// <summary>
/// One verb of the agenda's cards on the card-action base: the meeting the card names is loaded
/// in the sender's tenant (<see cref="AgendaService.LoadAsync"/>; unknown: "agenda.unknownMeeting")
/// and <paramref name="permission"/> decided on it (host, recorder, participants as stored)
/// before <paramref name="run"/>, which only does the verb's work. A refusal is sent as a message of its own.
/// </summary>
public sealed class AgendaActionHandler(string verb, string permission, AgendaService agenda, IAuthorizationService authorization,
    Func<ITurnContext, AgendaContext, JObject, CancellationToken, Task<CardActionResult>> run) : CardActionHandler<AgendaContext>(authorization)
{
    public override string Verb => verb;

    protected override string Permission => permission;

    protected override string NotFoundKey => "agenda.unknownMeeting";

    protected override Task<AgendaContext?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        agenda.LoadAsync(action.Tenant, action.Field("occurrence"), cancellationToken);

    protected override AuthorizationResource ResourceOf(AgendaContext record) => AgendaService.ResourceOf(record.Snapshot, record.Occurrence);

    protected override Task<CardActionResult> RefuseAsync(CardActionContext action, AgendaContext? record, string text, CancellationToken cancellationToken) =>
        action.SendAsync(text, cancellationToken);

    protected override Task<CardActionResult> RunAsync(CardActionContext action, AgendaContext record, CancellationToken cancellationToken) =>
        run(action.Turn, record, action.Data, cancellationToken);
}
