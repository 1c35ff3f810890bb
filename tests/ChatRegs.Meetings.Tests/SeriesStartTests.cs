using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// A series' meetings start when the series does (issue #21): a Monday series created on a
/// Saturday has no meeting last Monday — not in the roll, the minutes, leave, or the meeting list.
/// </summary>
public sealed class SeriesStartTests
{
    private static readonly DateTimeOffset Saturday = new(2026, 12, 5, 10, 0, 0, FeatureHost.Shanghai);

    private static object Form() => new Dictionary<string, string>
    {
        ["verb"] = "meetings.saveSeries", ["name"] = "周工作例会", ["conversation"] = MeetingsHost.MeetingChat, ["location"] = "三楼会议室",
        ["hostId"] = MeetingsHost.Host, ["recorder"] = MeetingsHost.Recorder, ["participants"] = "29:a,29:b", ["kind"] = "weekly", ["days"] = "Monday",
        ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
        ["dayOfMonth"] = "29", ["date"] = "2026-12-07", ["leaveApprover"] = "host", ["lateGrace"] = "5", ["windowBefore"] = "30", ["speakingLimit"] = "5",
    };

    private static string All(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity().Text + "\n" + (r.AsMessageActivity().Attachments?.Count > 0 ? TurnKit.Text(TurnKit.Card(r)) : "")));

    [Fact]
    public async Task A_monday_series_created_on_saturday_has_no_meeting_last_monday()
    {
        await using var host = await MeetingsHost.StartAsync(Saturday);
        await host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"), ("29:b", "李娜"));
        var office = host.Adapter(MeetingsHost.Office, null, MeetingsHost.MeetingChat, "channel");
        await host.SayAsync(office, "新建例会");
        var created = Assert.Single(await host.SubmitAsync(office, Form()));
        Assert.Contains("下一次：12月7日 周一", created.AsMessageActivity().Text);

        var everything = new List<string>();
        foreach (var (user, command) in new[] { (MeetingsHost.Host, "签到表"), (MeetingsHost.Recorder, "会议纪要"), ("29:a", "请假"), ("29:a", "例会"), (MeetingsHost.Host, "考勤") })
        {
            var text = All(await host.SayAsync(host.Adapter(user), command));
            everything.Add($"{command}: {text}");
            Assert.DoesNotContain("11月30日", text);
            Assert.DoesNotContain("11-30", text);
        }
        // Leave offers the coming Monday only.
        Assert.Contains("12月7日", everything[2]);
    }
}
