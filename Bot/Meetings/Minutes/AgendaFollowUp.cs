using ChatRegs.Bot.Core;
using ChatRegs.Bot.Meetings.Agenda;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>(Not through <see cref="MinutesService"/>: that one reads the agenda.) The agenda card's 上次会议决议落实情况: every action item of the meeting before, with its status (cancelled ones left out).</summary>
public sealed class AgendaFollowUp(MinutesStore store, TimeProvider time) : IAgendaFollowUp
{
    public async Task<IReadOnlyList<AgendaFollowUpLine>> PreviousDecisionsAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var previous = MinutesService.PreviousOf(snapshot, occurrence);
        if (previous == null)
        {
            return [];
        }
        var today = TeamClock.DateIn(time.GetUtcNow(), snapshot.Series.Zone);
        return (await store.ListItemsAsync(snapshot.Series.TenantId, cancellationToken).ConfigureAwait(false))
            .Where(i => i.OccurrenceKey == previous.Key && i.Status != ActionItemStatus.Cancelled)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)
            .Select(i => new AgendaFollowUpLine(i.Description, i.OwnerName.Length > 0 ? i.OwnerName : i.OwnerId, i.Due, i.Status.ToString(), i.Note, i.IsOverdue(today)))
            .ToList();
    }
}
