using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// A feature that acts on Teams' own meeting events, where the app is in the meeting's chat
/// (the manifest's meeting RSC permissions): the meeting starts or ends, participants join or
/// leave. <see cref="ChatRegsBot"/> hands each event, as TeamsActivityHandler parsed it, to every
/// registered handler; the event's tenant and conversation are the turn's, never the payload's.
/// A handler answers nothing in the chat unless it means to, and never throws for what the
/// payload holds (ids missing, long lists): it ignores what it cannot use.
/// </summary>
public interface IMeetingEventHandler
{
    Task MeetingStartedAsync(ITurnContext<IEventActivity> turnContext, MeetingStartEventDetails meeting, CancellationToken cancellationToken) => Task.CompletedTask;

    Task MeetingEndedAsync(ITurnContext<IEventActivity> turnContext, MeetingEndEventDetails meeting, CancellationToken cancellationToken) => Task.CompletedTask;

    Task ParticipantsJoinedAsync(ITurnContext<IEventActivity> turnContext, MeetingParticipantsEventDetails participants, CancellationToken cancellationToken) => Task.CompletedTask;

    Task ParticipantsLeftAsync(ITurnContext<IEventActivity> turnContext, MeetingParticipantsEventDetails participants, CancellationToken cancellationToken) => Task.CompletedTask;
}
