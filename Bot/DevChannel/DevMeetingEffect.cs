using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Scheduling;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// What a meeting button of the page caused, told on the page: the bot's due jobs (the start
/// reminders, the roll after the end) run at once instead of at the runner's next poll, as if
/// Teams' few seconds had passed; then one line from the sample meeting's roll says what changed
/// (who was reminded, that the roll is final, where the person now stands). Read-only otherwise.
/// </summary>
public sealed class DevMeetingEffect(JobRunner runner, IOptions<JobOptions> jobs, CheckInService checkIns, AttendanceService attendance, Localizer localizer, TimeProvider time)
{
    public async Task<string> DescribeAsync(string kind, DevPerson person, string? locale, CancellationToken cancellationToken)
    {
        locale = string.IsNullOrWhiteSpace(locale) ? Localizer.Chinese : locale;
        string L(string key, params object?[] args) => localizer.Get(locale, "devchannel.meeting." + key, args);
        if (jobs.Value.RunnerEnabled)
        {
            await runner.PollAsync(cancellationToken).ConfigureAwait(false);
        }
        // The meeting chat's occurrence the event was about: open now (started, else the next), or one that just ended.
        var now = time.GetUtcNow();
        var open = await checkIns.OpenInConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, cancellationToken).ConfigureAwait(false);
        var current = open.OrderBy(p => p.Occurrence.Start <= now ? 0 : 1).ThenBy(p => (p.Occurrence.Start - now).Duration()).Select(p => p.Occurrence).FirstOrDefault();
        if (current == null)
        {
            return L("noMeeting");
        }
        var roll = await attendance.GetRollAsync(DevPeople.TenantId, current.Key, cancellationToken).ConfigureAwait(false);
        if (roll == null)
        {
            return L("noMeeting");
        }
        switch (kind)
        {
            case "start":
                var missing = roll.Entries.Where(e => e.Status == AttendanceStatus.Absent && e.CheckIn == null && e.Correction == null).Select(e => e.Name).ToList();
                return missing.Count == 0 ? L("startedAllHere") : L("started", string.Join(MeetingText.IsEnglish(locale) ? ", " : "、", missing));
            case "end":
                return roll.EndedAt != null ? L("ended", roll.Present.Count(), roll.Entries.Count) : L("noMeeting");
            default:
                var entry = roll.Entries.FirstOrDefault(e => e.UserId == person.Id);
                if (entry == null)
                {
                    return L("notExpected", person.Name);
                }
                var status = MeetingText.Status(localizer, locale, entry.Status);
                if (entry.LeftAt is { } left)
                {
                    status += " " + MeetingText.Time(left, current.Series);
                }
                else if (entry.CheckIn != null)
                {
                    status += " (" + MeetingText.CheckInTime(entry.CheckIn.At, entry.CheckIn.Status == CheckInStatus.Late, current.Series) + ")";
                }
                return L("person", person.Name, status);
        }
    }
}
