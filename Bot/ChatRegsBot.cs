using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Help;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot;

/// <summary>
/// The bot: routes typed commands and card actions to features, welcomes each conversation
/// once, and saves conversation state (the chat's and each person's in it) at the end of every turn.
/// There is no per-user state: what a person keeps (language, roles) is in the People table.
/// </summary>
public sealed class ChatRegsBot : TeamsActivityHandler
{
    private readonly ConversationState _conversationState;
    private readonly PrivateConversationState _privateState;
    private readonly CommandRouter _commands;
    private readonly CardActionRouter _cardActions;
    private readonly IHelpCard _help;
    private readonly MemberDiscovery _members;
    private readonly DialogHost _flows;
    private readonly ILogger<ChatRegsBot> _logger;
    private readonly IReadOnlyList<IMeetingEventHandler> _meetingEvents;
    private readonly FileConsentHandler _fileConsent;
    private readonly ProcessedActivityStore _processed;
    private readonly TimeProvider _time;

    public ChatRegsBot(ConversationState conversationState, PrivateConversationState privateState, CommandRouter commands, CardActionRouter cardActions, IHelpCard help, MemberDiscovery members, DialogHost flows, FileConsentHandler fileConsent, ILogger<ChatRegsBot> logger,
        IEnumerable<IMeetingEventHandler> meetingEvents, ProcessedActivityStore processed, TimeProvider time)
    {
        _processed = processed;
        _time = time;
        _meetingEvents = meetingEvents.ToList();
        _fileConsent = fileConsent;
        _flows = flows;
        _logger = logger;
        _members = members;
        _conversationState = conversationState;
        _privateState = privateState;
        _commands = commands;
        _cardActions = cardActions;
        _help = help;
    }

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        // Member lists from a channel are data like any other: drop entries without an id.
        var activity = turnContext.Activity;
        activity.MembersAdded = activity.MembersAdded?.Where(m => !string.IsNullOrEmpty(m?.Id)).ToList();
        activity.MembersRemoved = activity.MembersRemoved?.Where(m => !string.IsNullOrEmpty(m?.Id)).ToList();
        await base.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        // Save even when nothing changed is not needed: BotState writes only what changed, with
        // its ETag, so a concurrent write by another instance fails instead of being lost.
        await _conversationState.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        // Each person's flow in a group chat or channel (written only when that person has one).
        await _privateState.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        // Teams prefixes channel messages with an @mention of the bot: drop it before anyone reads the text.
        turnContext.Activity.Text = CommandRouter.TextWithoutMention(turnContext);
        var submitted = turnContext.Activity.Value as JObject;
        var verb = CardActionRouter.VerbOf(submitted);

        // A button whose verb a feature handles (check in, approve, …) acts at once, whatever
        // flow is open: it never reads or writes the conversation's dialog state, so a
        // thousand people pressing "签到" in one meeting chat do not contend on it.
        if (verb != null && _cardActions.Handles(verb))
        {
            await _cardActions.HandleSubmitAsync(turnContext, submitted!, cancellationToken).ConfigureAwait(false);
            return;
        }
        // "语言 English" typed while a flow waits is the person choosing their language, not an
        // answer: the choice is saved, and the flow asks its question again in that language.
        if (verb == null && await SwitchLanguageInFlowAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        // A guided flow waiting for an answer gets everything else first (its own forms, and
        // typed text: it handles 取消/帮助 itself).
        if (await _flows.ContinueAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (verb != null && DialogHost.IsShared(turnContext.Activity))
        {
            // Not a feature's button, and this person has no flow here: a form of someone else's
            // flow (or of their own ended one). Say so, without running or showing anything.
            await turnContext.SendActivityAsync(MessageFactory.Text(Localization.Localizer.Default.Get(turnContext.Activity.Locale ?? "", "dialogs.shared.notYourForm")), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (verb != null)
        {
            // A form whose flow has ended (or another stale button).
            await _cardActions.HandleSubmitAsync(turnContext, submitted!, cancellationToken).ConfigureAwait(false);
            return;
        }
        await _commands.RunAsync(turnContext, turnContext.Activity.Text, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SwitchLanguageInFlowAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.Value != null
            || _commands.Match(turnContext.Activity.Text) is not { Command: Language.LanguageCommand command, Arguments: var arguments }
            || Language.LanguageNames.Parse(arguments) == null
            || await _flows.ActiveDialogIdAsync(turnContext, cancellationToken).ConfigureAwait(false) == null)
        {
            return false;
        }
        await command.RunAsync(turnContext, arguments, cancellationToken).ConfigureAwait(false);
        await _flows.RepromptAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The bot answers two invokes: <c>adaptiveCard/action</c> (Action.Execute, through the card
    /// action router) and <c>fileConsent/invoke</c> (the person took or declined a file we
    /// offered, through <see cref="OnTeamsFileConsentAsync"/>). Every other invoke — message
    /// extensions, task modules, tabs, sign-in, configuration, health checks, none of which the
    /// manifest asks Teams for — is answered 400 without reaching the Bot Framework's handlers:
    /// they answer 501, and a Teams invoke whose value is null or not an object throws inside them
    /// (<c>SafeCast</c>) before any of our code could say anything.
    /// </summary>
    protected override async Task<InvokeResponse> OnInvokeActivityAsync(ITurnContext<IInvokeActivity> turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.Name == FileConsentHandler.InvokeName && FileConsentHandler.Parse(turnContext.Activity.Value) == null)
        {
            // Not a consent response at all (the Bot Framework's handler would answer 400, or throw
            // on a null value): the person is told the file is unknown, and Teams gets its 200.
            await _fileConsent.HandleAsync(turnContext, null, cancellationToken).ConfigureAwait(false);
            return new InvokeResponse { Status = (int)System.Net.HttpStatusCode.OK };
        }
        if (turnContext.Activity.Name is not ("adaptiveCard/action" or FileConsentHandler.InvokeName))
        {
            return new InvokeResponse { Status = (int)System.Net.HttpStatusCode.BadRequest, Body = new { error = "This bot does not handle this invoke." } };
        }
        var response = await base.OnInvokeActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return response is { Status: (int)System.Net.HttpStatusCode.NotImplemented }
            ? new InvokeResponse { Status = (int)System.Net.HttpStatusCode.BadRequest, Body = new { error = "This bot does not handle this invoke." } }
            : response;
    }

    /// <summary>
    /// A file consent card's answer, accept or decline (or an action Teams does not send: "unknown
    /// file"), answered 200 whatever happened, as Teams expects; the person is told in the chat.
    /// </summary>
    protected override async Task<InvokeResponse> OnTeamsFileConsentAsync(ITurnContext<IInvokeActivity> turnContext, FileConsentCardResponse fileConsentCardResponse, CancellationToken cancellationToken)
    {
        await _fileConsent.HandleAsync(turnContext, fileConsentCardResponse, cancellationToken).ConfigureAwait(false);
        return new InvokeResponse { Status = (int)System.Net.HttpStatusCode.OK };
    }

    protected override Task<AdaptiveCardInvokeResponse> OnAdaptiveCardInvokeAsync(ITurnContext<IInvokeActivity> turnContext, AdaptiveCardInvokeValue invokeValue, CancellationToken cancellationToken) =>
        _cardActions.HandleExecuteAsync(turnContext, invokeValue, cancellationToken);

    protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
    {
        // Teams announces the bot's own arrival in a conversation as a member added.
        if (membersAdded.Any(m => m.Id == turnContext.Activity.Recipient?.Id))
        {
            await WelcomeOnceAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _members.RecordJoinedAsync(turnContext, membersAdded, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task OnTeamsMembersAddedAsync(IList<TeamsChannelAccount> teamsMembersAdded, TeamInfo teamInfo, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken) =>
        OnMembersAddedAsync(teamsMembersAdded.Cast<ChannelAccount>().ToList(), turnContext, cancellationToken);

    // Teams' meeting events (the app in a meeting's chat): TeamsActivityHandler has parsed the
    // details (Hosting/TeamsEventPayloads refused what does not parse); the features act on them.

    protected override async Task OnTeamsMeetingStartAsync(MeetingStartEventDetails meeting, ITurnContext<IEventActivity> turnContext, CancellationToken cancellationToken)
    {
        foreach (var handler in _meetingEvents)
        {
            await handler.MeetingStartedAsync(turnContext, meeting, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnTeamsMeetingEndAsync(MeetingEndEventDetails meeting, ITurnContext<IEventActivity> turnContext, CancellationToken cancellationToken)
    {
        foreach (var handler in _meetingEvents)
        {
            await handler.MeetingEndedAsync(turnContext, meeting, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnTeamsMeetingParticipantsJoinAsync(MeetingParticipantsEventDetails meeting, ITurnContext<IEventActivity> turnContext, CancellationToken cancellationToken)
    {
        foreach (var handler in _meetingEvents)
        {
            await handler.ParticipantsJoinedAsync(turnContext, meeting, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnTeamsMeetingParticipantsLeaveAsync(MeetingParticipantsEventDetails meeting, ITurnContext<IEventActivity> turnContext, CancellationToken cancellationToken)
    {
        foreach (var handler in _meetingEvents)
        {
            await handler.ParticipantsLeftAsync(turnContext, meeting, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task OnInstallationUpdateAddAsync(ITurnContext<IInstallationUpdateActivity> turnContext, CancellationToken cancellationToken) =>
        WelcomeOnceAsync(turnContext, cancellationToken);

    /// <summary>The welcome's insert-once row in ProcessedActivities (no Teams activity id has this shape).</summary>
    private const string WelcomeClaim = "chatregs:welcome";

    private async Task WelcomeOnceAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var accessor = _conversationState.CreateProperty<WelcomeState>(nameof(WelcomeState));
        var welcome = await accessor.GetAsync(turnContext, () => new WelcomeState(), cancellationToken).ConfigureAwait(false);
        if (welcome.Welcomed)
        {
            return;
        }
        // Teams announces an installation twice at once (installationUpdate and the bot's own
        // conversationUpdate; Microsoft's Teams emulator sends both in the same millisecond), so
        // both turns read "not welcomed": an insert-once row lets one of them welcome.
        if (turnContext.Activity.Conversation?.Id is { } conversationId)
        {
            var claim = await _processed.ClaimAsync(Tenants.Of(turnContext.Activity) ?? "", conversationId, WelcomeClaim, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (claim.IsAlreadyExisting)
            {
                welcome.Welcomed = true;
                return;
            }
        }
        await _help.SendAsync(turnContext, showWelcome: true, cancellationToken).ConfigureAwait(false);
        welcome.Welcomed = true;
        await DiscoverMembersAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Learns who is in the conversation. Only Teams serves the members API; elsewhere, or if
    /// the call fails, the people are still learnt one by one on first contact.
    /// </summary>
    private async Task DiscoverMembersAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.ChannelId != Microsoft.Bot.Connector.Channels.Msteams
            || turnContext.TurnState.Get<Microsoft.Bot.Connector.IConnectorClient>() == null)
        {
            return;
        }
        try
        {
            await _members.DiscoverAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Best effort: the welcome stands, and people are still learnt on first contact.
            _logger.LogWarning(e, "Could not list the members of {ConversationId}.", turnContext.Activity.Conversation?.Id);
        }
    }
}
