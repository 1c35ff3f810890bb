using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json.Linq;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>
/// Where the app is in a Teams meeting's chat, Teams tells the bot who joins
/// (event "application/vnd.microsoft.meetingParticipantJoin", the payload
/// <see cref="TeamsActivityHandler.OnTeamsMeetingParticipantsJoinAsync"/> receives): each
/// participant who joins while the check-in of that conversation's meeting is open is checked
/// in, silently (no message in the meeting chat per person). A middleware, so the meeting
/// feature needs no change to the bot class; the turn then continues as usual.
/// </summary>
public sealed class MeetingEventsMiddleware(CheckInService checkIns, ILogger<MeetingEventsMiddleware> logger) : IMiddleware
{
    public const string ParticipantJoinEvent = "application/vnd.microsoft.meetingParticipantJoin";

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        if (activity.Type == ActivityTypes.Event && activity.Name == ParticipantJoinEvent && activity.ChannelId == Channels.Msteams
            && activity.Value is JObject value && activity.Conversation?.Id is { } conversationId)
        {
            var tenant = Tenants.Of(activity) ?? "";
            var details = value.ToObject<MeetingParticipantsEventDetails>();
            var open = await checkIns.OpenInConversationAsync(tenant, conversationId, cancellationToken).ConfigureAwait(false);
            foreach (var member in details?.Members ?? [])
            {
                var user = member.User;
                if (user?.Id == null || member.Meeting?.InMeeting == false)
                {
                    continue;
                }
                foreach (var (snapshot, occurrence) in open)
                {
                    var outcome = await checkIns.CheckInAsync(snapshot, occurrence, user.Id, user.Name, CheckInSources.MeetingJoin, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Meeting join of {UserId} in {ConversationId}: {Result} for {Occurrence}.", user.Id, conversationId, outcome.Result, occurrence.Key);
                }
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}
