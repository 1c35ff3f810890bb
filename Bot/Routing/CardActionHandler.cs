using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// One card action's turn, as a card action handler sees it: who (from the activity), in
/// which tenant and language, and the card's fields (read through <see cref="CardFields"/>).
/// </summary>
public sealed class CardActionContext(ITurnContext turn, JObject data)
{
    public ITurnContext Turn { get; } = turn;

    /// <summary>The card's submitted data. Read it with <see cref="Field"/>, <see cref="Text"/> or <see cref="CardFields"/>.</summary>
    public JObject Data { get; } = data;

    public Activity Activity => Turn.Activity;

    /// <summary>The turn's tenant (from the activity, never the card): every record is loaded in it.</summary>
    public string Tenant { get; } = Tenants.Of(turn.Activity) ?? "";

    public string Locale => Turn.Activity.Locale ?? "";

    /// <summary>The sender (from the activity, never the card).</summary>
    public string UserId => Turn.Activity.From?.Id ?? "";

    /// <inheritdoc cref="CardFields.Field"/>
    public string Field(string name, int maxLength = CardFields.MaxLength) => CardFields.Field(Data, name, maxLength);

    /// <inheritdoc cref="CardFields.Text"/>
    public string? Text(string name, int maxLength = CardFields.MaxLength) => CardFields.Text(Data, name, maxLength);

    /// <summary>A localized string in the sender's language.</summary>
    public string L(string key, params object?[] args) => Localizer.Default.Get(Locale, key, args);

    /// <summary>An answer that is one localized message.</summary>
    public CardActionResult Say(string key, params object?[] args) => new(Message: L(key, args));

    /// <summary>Sends <paramref name="text"/> as a message of its own (not the action's answer) and answers with nothing more.</summary>
    public async Task<CardActionResult> SendAsync(string text, CancellationToken cancellationToken)
    {
        await Turn.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>
/// A card action that needs a permission decided from the sender's roles and no record: the
/// base asks the authorization service for <see cref="Permission"/> before
/// <see cref="RunAsync"/> runs, and answers a refusal with the rule's localized reason.
/// (For an action on one record, see <see cref="CardActionHandler{TRecord}"/>.)
/// <para>
/// Every card action derives from one of the two bases. Only an action anyone may press, with
/// no permission and no record to load, implements <see cref="ICardActionHandler"/> directly:
/// <c>NewComplaintAction</c> (the complaint form's first card, given to anyone who asks),
/// <c>RunCommandAction</c> (a help card's button: runs the command, which decides itself) and
/// <c>ShowDutiesAction</c> (the regulation's duties, public). The architecture test
/// <c>CardActionRulesTests</c> holds that list.
/// </para>
/// </summary>
public abstract class CardActionHandler(IAuthorizationService authorization) : ICardActionHandler
{
    /// <summary>For a second decision inside the handler (e.g. a step's own permission after its stage is checked).</summary>
    protected IAuthorizationService Authorization => authorization;

    public abstract string Verb { get; }

    /// <inheritdoc cref="ICardActionHandler.GuardsRedelivery"/>
    public virtual bool GuardsRedelivery => false;

    /// <inheritdoc cref="ICardActionHandler.PersonalOnlyReasonKey"/>
    public virtual string? PersonalOnlyReasonKey => null;

    /// <summary>The action asked of the authorization service (a constant of the feature's XPermissions).</summary>
    protected abstract string Permission { get; }

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var action = new CardActionContext(turnContext, data);
        var decision = await authorization.AuthorizeAsync(turnContext, Permission, null, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return await RefuseAsync(action, action.L(decision.ReasonKey ?? "auth.notAllowed"), cancellationToken).ConfigureAwait(false);
        }
        return await RunAsync(action, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the action does, once the sender is allowed.</summary>
    protected abstract Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken);

    /// <summary>How the base answers with a refusal: by default the message as the action's answer (sent for an Action.Submit, the invoke's answer for an Action.Execute).</summary>
    protected virtual Task<CardActionResult> AnswerAsync(CardActionContext action, string text, CancellationToken cancellationToken) =>
        Task.FromResult(new CardActionResult(Message: text));

    /// <summary>How a refusal is answered: by default as <see cref="AnswerAsync"/> does.</summary>
    protected virtual Task<CardActionResult> RefuseAsync(CardActionContext action, string text, CancellationToken cancellationToken) =>
        AnswerAsync(action, text, cancellationToken);
}

/// <summary>
/// A card action on one record (a leave request, a callback task, a complaint, a roll…). Before
/// the handler body runs, the base:
/// <list type="number">
/// <item>when <see cref="PermissionOnRecord"/> is false (the rule grants by role only), decides
/// <see cref="Permission"/> first, so someone without the role learns nothing about the record;</item>
/// <item>loads the record the card names with <see cref="LoadAsync"/>, always in the turn's
/// tenant (another tenant's id, a forged or stale one: not found, answered with
/// <see cref="NotFoundKey"/>);</item>
/// <item>when <see cref="PermissionOnRecord"/> is true, decides <see cref="Permission"/> on the
/// record as stored (<see cref="ResourceOf"/>: its host, approver, owner…);</item>
/// </list>
/// and only then calls <see cref="RunAsync"/> with the record. A refusal answers the rule's
/// localized reason; nothing of the record reaches it.
/// </summary>
public abstract class CardActionHandler<TRecord>(IAuthorizationService authorization) : ICardActionHandler
    where TRecord : class
{
    /// <summary>For a second decision inside the handler (e.g. a step's own permission after its stage is checked).</summary>
    protected IAuthorizationService Authorization => authorization;

    public abstract string Verb { get; }

    /// <inheritdoc cref="ICardActionHandler.GuardsRedelivery"/>
    public virtual bool GuardsRedelivery => false;

    /// <inheritdoc cref="ICardActionHandler.PersonalOnlyReasonKey"/>
    public virtual string? PersonalOnlyReasonKey => null;

    /// <summary>The action asked of the authorization service (a constant of the feature's XPermissions).</summary>
    protected abstract string Permission { get; }

    /// <summary>
    /// True (the default): the permission names people on the record (an approver, a host), so it
    /// is decided after loading, on <see cref="ResourceOf"/>. False: it is granted by role alone,
    /// and decided before anything is read.
    /// </summary>
    protected virtual bool PermissionOnRecord => true;

    /// <summary>The localized message (a key in Bot/Localization) when the record is not found.</summary>
    protected abstract string NotFoundKey { get; }

    /// <summary>The arguments of <see cref="NotFoundKey"/>'s text (e.g. the number the card named).</summary>
    protected virtual object?[] NotFoundArguments(CardActionContext action) => [];

    /// <summary>Finds the record the card names, in <see cref="CardActionContext.Tenant"/>; null when there is none.</summary>
    protected abstract Task<TRecord?> LoadAsync(CardActionContext action, CancellationToken cancellationToken);

    /// <summary>The record as the authorization service sees it (who holds which role on it), as stored.</summary>
    protected virtual AuthorizationResource? ResourceOf(TRecord record) => null;

    /// <summary>What the action does, with the record, once the sender is allowed.</summary>
    protected abstract Task<CardActionResult> RunAsync(CardActionContext action, TRecord record, CancellationToken cancellationToken);

    /// <summary>Called with the record when the permission on it was refused (to log who tried), before the refusal is answered.</summary>
    protected virtual void OnRefused(CardActionContext action, TRecord record)
    {
    }

    /// <summary>How the base answers a refusal or a missing record: by default the message as the action's answer.</summary>
    protected virtual Task<CardActionResult> AnswerAsync(CardActionContext action, string text, CancellationToken cancellationToken) =>
        Task.FromResult(new CardActionResult(Message: text));

    /// <summary>
    /// How a refusal is answered: <paramref name="text"/> is the rule's localized reason;
    /// <paramref name="record"/> the record as loaded, or null when the sender was refused by role
    /// before anything was read. By default as <see cref="AnswerAsync"/> does.
    /// </summary>
    protected virtual Task<CardActionResult> RefuseAsync(CardActionContext action, TRecord? record, string text, CancellationToken cancellationToken) =>
        AnswerAsync(action, text, cancellationToken);

    /// <summary>
    /// Decides <see cref="Permission"/> for the sender on <paramref name="resource"/> (null: by
    /// role alone). By default the authorization service, with the sender's directory entry. Override
    /// only to decide the same rule more cheaply where it needs no role (a check-in: participation
    /// only, decided from the cached meeting, without a directory read in the rush).
    /// </summary>
    protected virtual Task<AuthorizationDecision> DecideAsync(CardActionContext action, AuthorizationResource? resource, CancellationToken cancellationToken) =>
        authorization.AuthorizeAsync(action.Turn, Permission, resource, cancellationToken);

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var action = new CardActionContext(turnContext, data);
        if (!PermissionOnRecord)
        {
            var byRole = await DecideAsync(action, null, cancellationToken).ConfigureAwait(false);
            if (!byRole.Allowed)
            {
                return await RefuseAsync(action, null, action.L(byRole.ReasonKey ?? "auth.notAllowed"), cancellationToken).ConfigureAwait(false);
            }
        }
        var record = action.Tenant.Length == 0 ? null : await LoadAsync(action, cancellationToken).ConfigureAwait(false);
        if (record == null)
        {
            return await AnswerAsync(action, action.L(NotFoundKey, NotFoundArguments(action)), cancellationToken).ConfigureAwait(false);
        }
        if (PermissionOnRecord)
        {
            var decision = await DecideAsync(action, ResourceOf(record), cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                OnRefused(action, record);
                return await RefuseAsync(action, record, action.L(decision.ReasonKey ?? "auth.notAllowed"), cancellationToken).ConfigureAwait(false);
            }
        }
        return await RunAsync(action, record, cancellationToken).ConfigureAwait(false);
    }
}
