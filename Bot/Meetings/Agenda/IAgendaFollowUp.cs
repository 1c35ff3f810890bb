namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>One decision of the previous meeting as the agenda card shows it (上次会议决议落实情况). <see cref="Status"/> is a key under "minutes.itemStatus".</summary>
public sealed record AgendaFollowUpLine(string Description, string OwnerName, DateOnly Due, string Status, string Note, bool Overdue);

/// <summary>
/// Where the agenda gets the previous meeting's decisions and their status. The minutes
/// feature provides it (Meetings/Minutes); without it the agenda card has no such section.
/// </summary>
public interface IAgendaFollowUp
{
    Task<IReadOnlyList<AgendaFollowUpLine>> PreviousDecisionsAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken);
}
