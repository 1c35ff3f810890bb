using System.Text.Json.Nodes;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Bot.WeeklyReports;

namespace ChatRegs.Bot.Tabs;

/// <summary>
/// The personal tab's data, all of it the caller's own (the token's person; nothing else can be
/// named): my meetings of the next two weeks, my open action items, my latest leave requests and
/// whether my weekly report for this week is in.
/// </summary>
public sealed class TabPersonal(
    MeetingCache cache,
    MinutesService minutes,
    LeaveStore leave,
    LeaveText leaveText,
    WeeklyReportStore reports,
    TimeProvider time)
{
    public const int MaxLeave = 10;

    public async Task<IResult> GetAsync(Person person, string language, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var meetings = (await cache.OccurrencesAsync(person.TenantId, now.AddHours(-2), now.AddDays(14), cancellationToken).ConfigureAwait(false))
            .Where(m => m.Occurrence.End >= now && m.Snapshot.AttendeesOf(m.Occurrence).Contains(person.UserId))
            .OrderBy(m => m.Occurrence.Start)
            .Take(20)
            .Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Snapshot.Series.Name,
                ["when"] = MeetingText.When(m.Occurrence, language),
                ["location"] = m.Snapshot.Series.Location,
                ["cancelled"] = m.Occurrence.Cancelled,
                ["host"] = m.Snapshot.NameOf(m.Occurrence.HostId),
            }).ToArray();

        var requests = (await leave.ListByRequesterAsync(person.TenantId, person.UserId, cancellationToken).ConfigureAwait(false))
            .OrderByDescending(r => r.FromUtc)
            .Take(MaxLeave)
            .Select(r => (JsonNode)new JsonObject
            {
                ["what"] = leaveText.Title(r, language),
                ["status"] = leaveText.Status(language, r.Status),
                ["code"] = r.Status.ToString(),
            }).ToArray();

        var zone = TimeZones.Find(person.TimeZone);
        var week = IsoWeek.Of(now, zone);
        var report = await reports.FindAsync(person.TenantId, person.UserId, week, cancellationToken).ConfigureAwait(false);

        return Results.Json(new JsonObject
        {
            ["language"] = language,
            ["me"] = new JsonObject { ["name"] = person.Name },
            ["meetings"] = new JsonArray(meetings),
            ["actions"] = TabMeetingPanel.Actions(await minutes.ItemsAsync(person.TenantId, cancellationToken).ConfigureAwait(false), person, language),
            ["leave"] = new JsonArray(requests),
            ["weeklyReport"] = new JsonObject
            {
                ["week"] = week,
                ["submitted"] = report != null,
                ["text"] = report != null ? TabText.Get(language, "personal.reportIn", week) : TabText.Get(language, "personal.reportMissing", week),
            },
        });
    }
}
