using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Runs the guided flows. Features register their dialogs in DI as <see cref="Dialog"/>; a
/// command starts one with <see cref="BeginAsync"/>, and while it waits for an answer every
/// message of that person in that conversation goes to it first (<see cref="ContinueAsync"/>).
/// <list type="bullet">
/// <item>In a 1:1 chat the dialog stack lives in <see cref="ConversationState"/> (as the SDK keeps it).</item>
/// <item>In a shared conversation (group chat, channel, meeting chat) a flow belongs to the person
/// who started it: the stack lives in <see cref="PrivateConversationState"/> (the SDK's
/// conversation + user state), so another member's text, buttons or 取消 reach only their own
/// flow, and two people can each run one. The dialogs and DialogSet are the same; only the
/// state property the host hands the DialogSet differs.</item>
/// <item>A personal flow (<see cref="IPersonalFlow"/>) started in a shared conversation runs in the
/// person's 1:1 chat (through <see cref="ProactiveSender"/>, which creates that chat when Teams
/// allows); the shared conversation is only told so, and never sees its content.</item>
/// <item>A flow keeps the language it started in (kept beside its stack) unless the person chose a
/// language (<see cref="TurnLanguage.IsChosen"/>): answers typed in the other language, or a
/// Teams client with another locale, do not switch it half-way. In a shared conversation it speaks
/// the chat's language, like everything posted there.</item>
/// </list>
/// State survives a restart of the bot.
/// </summary>
public sealed class DialogHost
{
    private readonly DialogSet _dialogs;
    private readonly DialogSet _perPerson;
    private readonly ConversationState _conversationState;
    private readonly ProactiveSender _sender;
    private readonly ILogger<DialogHost> _logger;
    private readonly IDialogText _text;
    private readonly IStatePropertyAccessor<string> _flowLanguage;

    public DialogHost(ConversationState conversationState, PrivateConversationState privateState, IEnumerable<Dialog> dialogs, ProactiveSender sender, IDialogText text, ILogger<DialogHost> logger)
    {
        _conversationState = conversationState;
        _text = text;
        _sender = sender;
        _logger = logger;
        _dialogs = new DialogSet(conversationState.CreateProperty<DialogState>(nameof(DialogState)));
        _flowLanguage = conversationState.CreateProperty<string>("FlowLanguage");
        _perPerson = new DialogSet(privateState.CreateProperty<DialogState>(nameof(DialogState)));
        foreach (var dialog in dialogs)
        {
            _dialogs.Add(dialog);
            _perPerson.Add(dialog);
        }
    }

    /// <summary>A group chat, channel or meeting chat: everything posted there is seen by all its members.</summary>
    public static bool IsShared(IActivity activity) =>
        activity.Conversation?.IsGroup == true || activity.Conversation?.ConversationType is not (null or "" or "personal");

    /// <returns>True when a running flow of this person took the turn.</returns>
    public async Task<bool> ContinueAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (await WaitingFlowAsync(turnContext, cancellationToken).ConfigureAwait(false) is not { } dc)
        {
            return false;
        }
        if (!IsShared(turnContext.Activity) && !TurnLanguage.IsChosen(turnContext)
            && await _flowLanguage.GetAsync(turnContext, () => "", cancellationToken).ConfigureAwait(false) is { Length: > 0 } started)
        {
            TurnLanguage.Use(turnContext, started);
        }
        var result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        return result.Status != DialogTurnStatus.Empty;
    }

    /// <summary>
    /// Asks this person's waiting flow its question again, in the turn's language (after they chose
    /// another one in the middle of it); false when no flow is waiting.
    /// </summary>
    public async Task<bool> RepromptAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (await WaitingFlowAsync(turnContext, cancellationToken).ConfigureAwait(false) is not { } dc)
        {
            return false;
        }
        await dc.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The id of this person's flow waiting for an answer in this conversation, or null.</summary>
    public async Task<string?> ActiveDialogIdAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        (await WaitingFlowAsync(turnContext, cancellationToken).ConfigureAwait(false))?.ActiveDialog?.Id;

    /// <summary>The dialog context of this person's flow waiting in this conversation, or null when none waits.</summary>
    private async Task<DialogContext?> WaitingFlowAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (SetFor(turnContext) is not { } dialogs)
        {
            return null;
        }
        DialogText.Use(turnContext, _text);
        var dc = await dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return dc.ActiveDialog == null ? null : dc;
    }

    public async Task BeginAsync(ITurnContext turnContext, string dialogId, object? options, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        if (IsShared(activity) && _dialogs.Find(dialogId) is IPersonalFlow)
        {
            await BeginInPersonalChatAsync(turnContext, dialogId, options, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (SetFor(turnContext) is not { } dialogs)
        {
            // A shared conversation's message without a sender: nobody to keep the flow for.
            await turnContext.SendActivityAsync(MessageFactory.Text(Text(turnContext, "dialogs.shared.personalUnreachable")), cancellationToken).ConfigureAwait(false);
            return;
        }
        await BeginHereAsync(dialogs, turnContext, dialogId, options, cancellationToken).ConfigureAwait(false);
    }

    private DialogSet? SetFor(ITurnContext turnContext)
    {
        var activity = turnContext.Activity;
        if (!IsShared(activity))
        {
            return _dialogs;
        }
        return string.IsNullOrEmpty(activity.From?.Id) || string.IsNullOrEmpty(activity.Conversation?.Id) ? null : _perPerson;
    }

    private async Task BeginHereAsync(DialogSet dialogs, ITurnContext turnContext, string dialogId, object? options, CancellationToken cancellationToken)
    {
        // The dialogs' words (ChatRegs.Dialogs has none of its own) for this turn.
        DialogText.Use(turnContext, _text);
        var dc = await dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        // A new command replaces whatever flow this person left waiting.
        await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(dialogs, _dialogs))
        {
            await _flowLanguage.SetAsync(turnContext, TurnLanguage.Current(turnContext), cancellationToken).ConfigureAwait(false);
        }
        await dc.BeginDialogAsync(dialogId, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the flow in the sender's 1:1 chat and tells the shared conversation only that it did
    /// (or, when the person cannot be reached privately, how to start it there).
    /// </summary>
    private async Task BeginInPersonalChatAsync(ITurnContext turnContext, string dialogId, object? options, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        var person = activity.From;
        var personalLanguage = TurnLanguage.Personal(turnContext);
        var delivered = false;
        Exception? flowFailure = null;
        if (tenant != null && !string.IsNullOrEmpty(person?.Id) && person.Role != RoleTypes.Bot)
        {
            try
            {
                var result = await _sender.SendToPersonAsync(tenant, person.Id, async (turn, ct) =>
                {
                    try
                    {
                        // The turn is the bot's own (a continuation): it speaks the person's language, not the shared chat's.
                        TurnLanguage.Use(turn, personalLanguage);
                        turn.Activity.From = new ChannelAccount(person.Id, person.Name, person.Role, person.AadObjectId);
                        turn.Activity.Conversation.TenantId ??= tenant;
                        await BeginHereAsync(_dialogs, turn, dialogId, options, ct).ConfigureAwait(false);
                        await _conversationState.SaveChangesAsync(turn, false, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not (OperationCanceledException or ErrorResponseException or HttpRequestException))
                    {
                        // Not the connector refusing the message, nor Teams out of reach on the network
                        // (both are "cannot reach you" and end as a ProactiveDeliveryException): the flow itself failed.
                        flowFailure = e;
                        throw;
                    }
                }, "flow " + dialogId, cancellationToken).ConfigureAwait(false);
                delivered = result.Delivered;
            }
            catch (ProactiveDeliveryException e) when (flowFailure == null)
            {
                _logger.LogWarning(e, "Could not start {DialogId} in the 1:1 chat of {UserId}.", dialogId, person.Id);
            }
        }
        if (flowFailure != null)
        {
            // The flow itself failed (storage…): the turn's error handler answers, in the group, without content.
            throw flowFailure;
        }
        var key = delivered ? "dialogs.shared.movedToPersonal" : "dialogs.shared.personalUnreachable";
        await turnContext.SendActivityAsync(MessageFactory.Text(Text(turnContext, key)), cancellationToken).ConfigureAwait(false);
    }

    private static string Text(ITurnContext turnContext, string key) => Localizer.Default.Get(turnContext.Activity.Locale ?? "", key);
}
