using System.Diagnostics;
using Microsoft.Bot.Builder;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Diagnostics;

/// <summary>
/// The first middleware of every turn: one span (<c>"turn {type}"</c> on
/// <see cref="ChatRegsTelemetry.Source"/>) around the whole turn, so the storage and connector
/// calls it makes are its children, and a count and duration in the turn metrics.
/// <para>
/// The tags are the activity's type, its channel, the conversation type, a known invoke or
/// event name, and the outcome: never an id, a name, a locale or any text a person typed or
/// a card carried (an unknown invoke or event name counts as "other", since it is not ours).
/// </para>
/// </summary>
public sealed class TurnTelemetryMiddleware : IMiddleware
{
    /// <summary>The invoke and event names Teams sends that say something about the turn.</summary>
    private static readonly HashSet<string> KnownNames = new(StringComparer.Ordinal)
    {
        "adaptiveCard/action", "task/fetch", "task/submit", "fileConsent/invoke", "signin/verifyState", "signin/tokenExchange",
        "application/vnd.microsoft.meetingStart", "application/vnd.microsoft.meetingEnd",
        "application/vnd.microsoft.meetingParticipantJoin", "application/vnd.microsoft.meetingParticipantLeave",
    };

    /// <summary>Activity types are a closed list in the protocol; anything else is "other".</summary>
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "message", "invoke", "event", "conversationUpdate", "installationUpdate", "messageReaction", "messageUpdate", "messageDelete", "typing", "endOfConversation",
    };

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var type = Known(KnownTypes, activity?.Type);
        var channel = Safe(activity?.ChannelId);
        var conversationType = Safe(activity?.Conversation?.ConversationType) ?? "personal";
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        using var span = ChatRegsTelemetry.Source.StartActivity("turn " + type, ActivityKind.Internal);
        if (span != null)
        {
            span.SetTag("activity.type", type);
            span.SetTag("channel", channel);
            span.SetTag("conversation.type", conversationType);
            if (activity?.Name != null)
            {
                span.SetTag("activity.name", Known(KnownNames, activity.Name));
            }
        }
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            outcome = "error";
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            span?.SetTag("outcome", outcome);
            var tags = new TagList
            {
                { "activity.type", type },
                { "channel", channel },
                { "conversation.type", conversationType },
                { "outcome", outcome },
            };
            ChatRegsTelemetry.Turns.Add(1, tags);
            ChatRegsTelemetry.TurnDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private static string Known(HashSet<string> known, string? value) => value != null && known.Contains(value) ? value : "other";

    /// <summary>Channel ids and conversation types are short protocol words; anything else is "other".</summary>
    private static string? Safe(string? value) =>
        value == null ? null : value.Length <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : "other";
}
