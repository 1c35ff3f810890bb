using System.Net;
using System.Security.Claims;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json;

namespace ChatRegs.Bot.Proactive;

public enum DeliveryStatus
{
    Delivered,

    /// <summary>Cannot be delivered (recorded in DeliveryFailures); retrying will not help.</summary>
    Undeliverable,
}

/// <summary>The outcome of a proactive send. Transient failures are not a result: they throw <see cref="ProactiveDeliveryException"/>.</summary>
public sealed record DeliveryResult(DeliveryStatus Status, string? ConversationId, string? Reason = null)
{
    public bool Delivered => Status == DeliveryStatus.Delivered;
}

/// <summary>
/// A proactive message could not be sent for now (throttled beyond the retries, connector
/// errors, network). The job that sent it fails and is retried by the job runner.
/// </summary>
public sealed class ProactiveDeliveryException : Exception
{
    public ProactiveDeliveryException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Sends messages nobody asked for right now — reminders, approval requests, results — to a
/// person or a conversation, through the conversation references the bot recorded
/// (<see cref="ConversationReferenceStore"/>) and the bot adapter's
/// ContinueConversation, so the bot's middleware runs as for any turn.
/// <list type="bullet">
/// <item>To a person: their 1:1 chat with the bot. When they have none yet, one is created
/// through the connector (Teams allows it when the app is installed for them), using the
/// service URL of any conversation the bot knows in their tenant, and recorded.</item>
/// <item>Every connector call is paced and retried by <see cref="ConnectorThrottlingHandler"/>.</item>
/// <item>Permanent failures (403: bot removed, blocked or uninstalled; 404: conversation or
/// person gone; no way to reach them) are recorded in DeliveryFailures and returned as
/// <see cref="DeliveryStatus.Undeliverable"/>; they are never retried. Anything else throws
/// <see cref="ProactiveDeliveryException"/>, so a job fails and is retried with backoff.</item>
/// </list>
/// The callback overloads give a turn context for the conversation, whose
/// <c>Activity.Locale</c> is the locale last seen there: build the message in that language.
/// </summary>
public sealed class ProactiveSender
{
    public const string PersonTarget = "person";
    public const string ConversationTarget = "conversation";

    private readonly BotAdapter _adapter;
    private readonly BotFrameworkAuthentication _auth;
    private readonly ConversationReferenceStore _references;
    private readonly PersonalReferenceCache _personal;
    private readonly DeliveryFailureStore _failures;
    private readonly TimeProvider _time;
    private readonly ILogger<ProactiveSender> _logger;
    private readonly string? _appId;

    public ProactiveSender(
        BotAdapter adapter,
        BotFrameworkAuthentication auth,
        ConversationReferenceStore references,
        PersonalReferenceCache personal,
        DeliveryFailureStore failures,
        IConfiguration configuration,
        TimeProvider time,
        ILogger<ProactiveSender> logger)
    {
        _adapter = adapter;
        _auth = auth;
        _references = references;
        _personal = personal;
        _failures = failures;
        _time = time;
        _logger = logger;
        _appId = string.IsNullOrWhiteSpace(configuration["MicrosoftAppId"]) ? null : configuration["MicrosoftAppId"];
    }

    public Task<DeliveryResult> SendToPersonAsync(string tenantId, string userId, IActivity activity, string? purpose = null, CancellationToken cancellationToken = default) =>
        SendToPersonAsync(tenantId, userId, SendOne(activity), purpose, cancellationToken);

    /// <summary>Sends to the person's 1:1 chat with the bot, creating it when they have none.</summary>
    /// <param name="purpose">What the message was for, recorded with a failure (e.g. "meetings.checkinOpen 2026-06-29").</param>
    public async Task<DeliveryResult> SendToPersonAsync(string tenantId, string userId, Func<ITurnContext, CancellationToken, Task> send, string? purpose = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var (reference, cached) = await _personal.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        if (reference == null)
        {
            var created = await CreatePersonalConversationAsync(tenantId, userId, purpose, cancellationToken).ConfigureAwait(false);
            if (created.Result is { } failed)
            {
                return failed;
            }
            reference = created.Reference!;
        }
        if (!cached)
        {
            return await DeliverAsync(tenantId, userId, PersonTarget, reference, send, purpose, cancellationToken).ConfigureAwait(false);
        }

        // Through a reference kept in memory: when it fails, forget it, and if the stored one
        // differs (the person's chat changed on another instance), try that one.
        CachedReferenceFailed failedCached;
        try
        {
            return await DeliverAsync(tenantId, userId, PersonTarget, reference, send, purpose, cancellationToken, recordFailure: false).ConfigureAwait(false);
        }
        catch (ProactiveDeliveryException)
        {
            _personal.Invalidate(tenantId, userId);
            throw;
        }
        catch (CachedReferenceFailed e)
        {
            _personal.Invalidate(tenantId, userId);
            failedCached = e;
        }
        var stored = await _references.GetPersonalConversationAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        if (stored != null && (stored.Conversation?.Id != reference.Conversation?.Id || stored.ServiceUrl != reference.ServiceUrl))
        {
            return await DeliverAsync(tenantId, userId, PersonTarget, stored, send, purpose, cancellationToken).ConfigureAwait(false);
        }
        var error = failedCached.Error;
        return await UndeliverableAsync(tenantId, userId, PersonTarget, failedCached.Reason, (int?)error.Response?.StatusCode, error.Body?.Error?.Code,
            error.Body?.Error?.Message ?? error.Message, purpose, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A permanent failure through a cached reference, not recorded yet: the stored reference may be newer.</summary>
    private sealed class CachedReferenceFailed(ErrorResponseException error, string reason) : Exception(reason, error)
    {
        public ErrorResponseException Error { get; } = error;

        public string Reason { get; } = reason;
    }

    public Task<DeliveryResult> SendToConversationAsync(string tenantId, string conversationId, IActivity activity, string? purpose = null, CancellationToken cancellationToken = default) =>
        SendToConversationAsync(tenantId, conversationId, SendOne(activity), purpose, cancellationToken);

    /// <summary>Sends to a conversation the bot has seen (a group chat, channel, meeting chat or 1:1 chat).</summary>
    public async Task<DeliveryResult> SendToConversationAsync(string tenantId, string conversationId, Func<ITurnContext, CancellationToken, Task> send, string? purpose = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var reference = await _references.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        if (reference == null)
        {
            return await UndeliverableAsync(tenantId, conversationId, ConversationTarget, DeliveryFailureReasons.UnknownConversation, null, null,
                "The bot has no record of this conversation.", purpose, cancellationToken).ConfigureAwait(false);
        }
        return await DeliverAsync(tenantId, conversationId, ConversationTarget, reference, send, purpose, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends through a reference the caller already holds (read once from
    /// <see cref="ConversationReferenceStore"/> for many messages to one conversation).
    /// </summary>
    public Task<DeliveryResult> SendAsync(string tenantId, ConversationReference reference, Func<ITurnContext, CancellationToken, Task> send, string? purpose = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(reference);
        var conversationId = reference.Conversation?.Id ?? throw new ArgumentException("The reference names no conversation.", nameof(reference));
        return DeliverAsync(tenantId, conversationId, ConversationTarget, reference, send, purpose, cancellationToken);
    }

    public Task<DeliveryResult> SendAsync(string tenantId, ConversationReference reference, IActivity activity, string? purpose = null, CancellationToken cancellationToken = default) =>
        SendAsync(tenantId, reference, SendOne(activity), purpose, cancellationToken);

    private static Func<ITurnContext, CancellationToken, Task> SendOne(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return (turn, ct) => turn.SendActivityAsync(activity, ct);
    }

    private ClaimsIdentity Identity() => _appId == null
        // Local development without an app id: the same anonymous identity CloudAdapter gives turns.
        ? new ClaimsIdentity(new List<Claim>(), AuthenticationConstants.AnonymousAuthType)
        : new ClaimsIdentity(new List<Claim>
        {
            new(AuthenticationConstants.AudienceClaim, _appId),
            new(AuthenticationConstants.AppIdClaim, _appId),
        });

    private async Task<DeliveryResult> DeliverAsync(string tenantId, string target, string targetKind, ConversationReference reference, Func<ITurnContext, CancellationToken, Task> send, string? purpose, CancellationToken cancellationToken, bool recordFailure = true)
    {
        Exception? failure = null;
        var sent = false;
        // No activity id: the message is posted to the conversation, not as a reply to some
        // activity, and the recorded reference stays the same from one proactive turn to the next.
        var continuation = reference.GetContinuationActivity();
        continuation.Id = null;
        using (ConnectorContext.ForTenant(tenantId))
        {
            // The callback catches its own failures: left to the adapter, they would go to the
            // turn error handler, which answers users and clears conversation state.
            await _adapter.ContinueConversationAsync(Identity(), continuation, null, async (turn, ct) =>
            {
                try
                {
                    await send(turn, ct).ConfigureAwait(false);
                    sent = true;
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        ChatRegsTelemetry.ProactiveSends.Add(1, new("target", targetKind), new("outcome", sent ? "delivered" : failure is ErrorResponseException e && Permanent(e.Response?.StatusCode) != null ? "undeliverable" : "failed"));
        if (sent)
        {
            return new DeliveryResult(DeliveryStatus.Delivered, reference.Conversation?.Id);
        }
        if (failure is ErrorResponseException error && Permanent(error.Response?.StatusCode) is { } reason)
        {
            if (!recordFailure)
            {
                throw new CachedReferenceFailed(error, reason);
            }
            return await UndeliverableAsync(tenantId, target, targetKind, reason, (int?)error.Response?.StatusCode, error.Body?.Error?.Code,
                error.Body?.Error?.Message ?? error.Message, purpose, cancellationToken).ConfigureAwait(false);
        }
        if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw failure;
        }
        throw new ProactiveDeliveryException(
            failure == null
                ? $"The message to {targetKind} {target} was not sent: the turn stopped before it (see the turn error log)."
                : $"The message to {targetKind} {target} could not be sent for now: {Describe(failure)}",
            failure);
    }

    private async Task<(ConversationReference? Reference, DeliveryResult? Result)> CreatePersonalConversationAsync(string tenantId, string userId, string? purpose, CancellationToken cancellationToken)
    {
        var known = await _references.AnyOfTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (known?.ServiceUrl == null)
        {
            var result = await UndeliverableAsync(tenantId, userId, PersonTarget, DeliveryFailureReasons.UnknownConversation, null, null,
                "The person has no 1:1 chat with the bot, and the bot knows no conversation in this tenant to start one from.", purpose, cancellationToken).ConfigureAwait(false);
            return (null, result);
        }

        var bot = known.Bot ?? new ChannelAccount(_appId ?? "bot");
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount(bot.Id, bot.Name),
            Members = [new ChannelAccount(userId)],
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo(tenantId) },
        };
        ConversationResourceResponse created;
        try
        {
            using (ConnectorContext.ForTenant(tenantId))
            {
                var factory = _auth.CreateConnectorFactory(Identity());
                using var client = await factory.CreateAsync(known.ServiceUrl, null, cancellationToken).ConfigureAwait(false);
                created = await client.Conversations.CreateConversationAsync(parameters, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ErrorResponseException e) when (e.Response?.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            var result = await UndeliverableAsync(tenantId, userId, PersonTarget, DeliveryFailureReasons.NoPersonalChat, (int)e.Response.StatusCode, e.Body?.Error?.Code,
                e.Body?.Error?.Message ?? e.Message, purpose, cancellationToken).ConfigureAwait(false);
            return (null, result);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ProactiveDeliveryException($"Could not start a 1:1 chat with {userId} for now: {Describe(e)}", e);
        }

        var reference = new ConversationReference
        {
            ChannelId = known.ChannelId,
            ServiceUrl = created.ServiceUrl ?? known.ServiceUrl,
            Bot = bot,
            User = new ChannelAccount(userId),
            Conversation = new ConversationAccount(isGroup: false, conversationType: "personal", id: created.Id, tenantId: tenantId),
        };
        // Record it like any 1:1 chat, so the next message goes straight there.
        await _references.CaptureAsync(reference.GetContinuationActivity(), cancellationToken).ConfigureAwait(false);
        _personal.Remember(tenantId, userId, reference);
        _logger.LogInformation("Started a 1:1 chat with {UserId} in tenant {TenantId}.", userId, tenantId);
        return (reference, null);
    }

    private async Task<DeliveryResult> UndeliverableAsync(string tenantId, string target, string targetKind, string reason, int? status, string? errorCode, string? detail, string? purpose, CancellationToken cancellationToken)
    {
        _logger.LogWarning("Gave up on a message to {TargetKind} {Target} of tenant {TenantId}: {Reason} ({Status} {ErrorCode}: {Detail}).",
            targetKind, target, tenantId, reason, status, errorCode, detail);
        await _failures.RecordAsync(new DeliveryFailure(tenantId, target, targetKind, reason, status, errorCode, detail, purpose, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return new DeliveryResult(DeliveryStatus.Undeliverable, null, reason);
    }

    private static string? Permanent(HttpStatusCode? status) => status switch
    {
        HttpStatusCode.Forbidden => DeliveryFailureReasons.BotRemoved,
        HttpStatusCode.NotFound => DeliveryFailureReasons.ConversationGone,
        _ => null,
    };

    private static string Describe(Exception e) => e is ErrorResponseException error
        ? $"{(int?)error.Response?.StatusCode} {error.Body?.Error?.Code} {error.Body?.Error?.Message}".Trim()
        : $"{e.GetType().Name}: {e.Message}";
}
