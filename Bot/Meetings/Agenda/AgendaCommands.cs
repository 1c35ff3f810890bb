using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>
/// "议题" / "topic" [meeting name]: the topic form for my next meeting (asks which, with a card,
/// when I take part in several; in a meeting's own conversation, that meeting).
/// </summary>
public sealed class TopicCommand(AgendaService agenda, AgendaCards cards, TopicForms forms, Localizer localizer) : IChatCommand
{
    public string Id => "topic";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var (targets, nameMissed) = await agenda.TargetsAsync(turnContext, arguments, AgendaPermissions.SubmitTopic, notStarted: true, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            var text = nameMissed ? localizer.Get(locale, "agenda.noneNamed", arguments.Trim()) : localizer.Get(locale, "agenda.topic.noMeetings");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (targets.Count > 1)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Chooser(targets, locale, localizer.Get(locale, "agenda.chooser.topic"), TopicForms.FormVerb,
                localizer.Get(locale, "agenda.chooser.topicButton"))), cancellationToken).ConfigureAwait(false);
            return;
        }
        var context = await agenda.LoadAsync(targets[0].Snapshot.Series.TenantId, targets[0].Occurrence.Key, cancellationToken).ConfigureAwait(false);
        var form = context == null ? null : await forms.FormAsync(turnContext, context, cancellationToken).ConfigureAwait(false);
        if (form != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(form), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// "议程" / "agenda" [meeting name]: my next meeting's agenda. The host (or that meeting's
/// substitute host), the recorder and the office get the review card (accept, reject,
/// reorder, post); participants see the agenda as it stands and their own topics' status.
/// </summary>
public sealed class AgendaCommand(AgendaService agenda, AgendaCards cards, AgendaActions actions, Localizer localizer) : IChatCommand
{
    public string Id => "agenda";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var (targets, nameMissed) = await agenda.TargetsAsync(turnContext, arguments, AgendaPermissions.ViewAgenda, notStarted: false, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            var text = nameMissed ? localizer.Get(locale, "agenda.noneNamed", arguments.Trim()) : localizer.Get(locale, "agenda.noMeetings");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (targets.Count > 1)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Chooser(targets, locale, localizer.Get(locale, "agenda.chooser.agenda"), AgendaActions.OpenVerb,
                localizer.Get(locale, "agenda.chooser.agendaButton"))), cancellationToken).ConfigureAwait(false);
            return;
        }
        var context = await agenda.LoadAsync(targets[0].Snapshot.Series.TenantId, targets[0].Occurrence.Key, cancellationToken).ConfigureAwait(false);
        var card = context == null ? null : await actions.OpenCardAsync(turnContext, context, cancellationToken).ConfigureAwait(false);
        if (card != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// "发布议程" / "post agenda" [meeting name]: posts the next meeting's agenda card to the
/// meeting's conversation, or updates the card posted before. Host, substitute host,
/// recorder or office only.
/// </summary>
public sealed class PostAgendaCommand(AgendaService agenda, AgendaCards cards, AgendaPublisher publisher, Localizer localizer) : IChatCommand
{
    public string Id => "postAgenda";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var (targets, nameMissed) = await agenda.TargetsAsync(turnContext, arguments, AgendaPermissions.ManageAgenda, notStarted: false, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            var text = nameMissed ? localizer.Get(locale, "agenda.noneNamed", arguments.Trim()) : localizer.Get(locale, "agenda.post.noMeetings");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (targets.Count > 1)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Chooser(targets, locale, localizer.Get(locale, "agenda.chooser.post"), AgendaActions.PostVerb,
                localizer.Get(locale, "agenda.chooser.postButton"))), cancellationToken).ConfigureAwait(false);
            return;
        }
        var context = await agenda.LoadAsync(targets[0].Snapshot.Series.TenantId, targets[0].Occurrence.Key, cancellationToken).ConfigureAwait(false);
        if (context == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "agenda.unknownMeeting")), cancellationToken).ConfigureAwait(false);
            return;
        }
        var outcome = await publisher.PublishAsync(turnContext, context, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Text(outcome.Message), cancellationToken).ConfigureAwait(false);
    }
}
