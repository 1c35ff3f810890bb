using ChatRegs.Bot.DevChannel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// The page's meeting buttons in the sample meeting (周工作例会, Monday 08:30–09:30): each sends the
/// Teams meeting event, and the page is told what it caused — reminders in people's own chats,
/// the person's line on the roll, the final roll sent to the host and recorder.
/// </summary>
public sealed class MeetingButtonsTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task Start_join_leave_and_end_show_their_result_on_the_page()
    {
        // Monday 30 Nov 2026, 08:00 in Shanghai: the sample meeting is created then (its first meeting is today's).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, China));
        await using var factory = new DevChannelFactory(new() { ["ChatRegs:Jobs:RunnerEnabled"] = "true" }, services: s => s.AddSingleton<TimeProvider>(clock));
        var http = factory.CreateClient();
        async Task<string> Press(string kind, string person, string locale = "zh-CN") =>
            (string?)(await DirectLineClient.PostJsonAsync(http, "/devchannel/meeting", new JObject { ["event"] = kind, ["person"] = person, ["locale"] = locale }))["result"] ?? "";
        string Transcript(DevPerson person) => string.Join("\n", factory.Services.GetRequiredService<DevTranscripts>()
            .For(person.PersonalConversationId).Since(0, person.Id).Activities.Select(a => a.ToString()));
        // What an event causes is a job: the page's own poll runs it, unless the runner's background
        // poll claimed it first; then it arrives a moment later (as in Teams). Waits up to 10 s.
        async Task<string> ArrivedAsync(DevPerson person, string text)
        {
            for (var waited = 0; waited < 100 && !Transcript(person).Contains(text, StringComparison.Ordinal); waited++)
            {
                await Task.Delay(100);
            }
            return Transcript(person);
        }

        await DirectLineClient.PostJsonAsync(http, "/devchannel/session", new JObject { ["person"] = "host", ["chat"] = "meeting" });
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 25, 0, China));
        Assert.Equal("王小明 在签到表上：提前 (08:25)", await Press("join", "employee"));

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 31, 0, China));
        var started = await Press("start", "host");
        Assert.StartsWith("会议开始：未签到的 ", started);
        Assert.DoesNotContain("王小明", started);
        Assert.Contains("李娜", started);
        Assert.Contains("【会议已开始】周工作例会", await ArrivedAsync(DevPeople.CsRep, "【会议已开始】周工作例会"));
        Assert.DoesNotContain("【会议已开始】", Transcript(DevPeople.Employee));

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 0, 0, China));
        Assert.Equal("王小明 on the roll: left early 09:00", await Press("leave", "employee", "en-US"));

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 10, 0, China));
        Assert.Equal("会议结束：签到表已定稿（实到 1/5 人），已发给主持人和记录员。", await Press("end", "host"));
        Assert.Contains("会议已于 09:10 结束，以下为最终签到表。", await ArrivedAsync(DevPeople.Host, "会议已于 09:10 结束，以下为最终签到表。"));
    }
}
