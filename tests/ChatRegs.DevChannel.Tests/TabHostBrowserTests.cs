using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// The Teams meeting panel (Bot/Tabs) in the local chat page's frame, hosted by the page's small
/// Teams host (Bot/DevChannel/wwwroot/tabhost.js) that answers teams-js — context, theme and an SSO
/// token for the selected sample person — in Debian's Chromium (js/tabs-e2e.js). The sample
/// meeting is moved to start ten minutes from now, with two topics on its posted agenda: the
/// employee sees the agenda and presses 签到 (recorded once, by the chat's check-in service),
/// the host sees the roll and corrects it, the panel speaks English when the page does and follows
/// the theme, and the personal tab shows the employee's meetings and weekly report.
/// </summary>
[Trait("Category", "Slow")] // starts Chromium and Node: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class TabHostBrowserTests
{
    [Fact]
    public async Task The_meeting_panel_in_the_pages_frame_shows_the_agenda_checks_in_and_shows_the_host_the_roll()
    {
        await using var factory = new DevChannelFactory(new Dictionary<string, string?> { ["ChatRegs:Tabs:DevTokens"] = "true" }, kestrelPort: Azurite.FreePort());
        factory.StartServer();
        await factory.SeedAsync();
        var occurrence = await MoveNextMeetingToSoonAsync(factory.Services);

        var repo = Azurite.RepoRoot();
        var screenshots = Path.Combine(repo, "artifacts", "tabs");
        var script = Path.Combine(repo, "tests", "ChatRegs.DevChannel.Tests", "js", "tabs-e2e.js");
        var (exitCode, output) = await NodeScript.RunAsync(script, TimeSpan.FromMinutes(4), ["--url", factory.LoggedPageAddress(), "--out", screenshots]);
        Assert.True(exitCode == 0, $"The browser script failed (exit {exitCode}):\n{output}");

        JObject Step(string name) => JObject.Parse(output.Split('\n').Single(l => l.StartsWith("{\"step\":\"" + name + "\"", StringComparison.Ordinal)));
        var employee = Step("employee");
        Assert.Equal(["上周工作回顾", "客服投诉处理情况"], employee["agenda"]!.Values<string>());
        Assert.Equal("签到", (string?)employee["button"]);
        Assert.StartsWith("已签到", (string?)Step("checkedIn")["state"]);
        var host = Step("host");
        Assert.Contains("王小明", host["roll"]!.Values<string>());
        Assert.Equal("签到表", (string?)host["rollTitle"]);
        var corrected = Step("corrected");
        Assert.Equal(["李娜"], corrected["excused"]!.Values<string>());
        Assert.StartsWith("已更正：李娜 → 准假（出差）", (string?)corrected["status"]);
        var english = Step("english");
        Assert.Equal("Agenda", (string?)english["agendaTitle"]);
        Assert.Equal("Roll", (string?)english["rollTitle"]);
        Assert.Equal("dark", (string?)Step("theme")["theme"]);
        var personal = Step("personal");
        Assert.Equal("我的例会事项 · 王小明", (string?)personal["title"]);
        Assert.Contains("周工作例会", personal["meetings"]!.Values<string>());
        Assert.Contains("还没有提交", (string?)personal["report"]);
        Assert.Contains("\"step\":\"done\"", output);

        // One record, made by the panel's button through the same check-in service as chat.
        var checkIn = await factory.Services.GetRequiredService<CheckInStore>().GetAsync(DevPeople.TenantId, occurrence.Key, DevPeople.Employee.Id, default);
        Assert.NotNull(checkIn);
        Assert.Equal("tab", checkIn!.Source);
        foreach (var shot in new[] { "01-employee-panel.png", "02-checked-in.png", "03-host-roll.png", "04-english.png", "05-dark.png", "06-personal.png" })
        {
            Assert.True(File.Exists(Path.Combine(screenshots, shot)), shot + " missing");
        }
    }

    /// <summary>The sample meeting's first occurrence not over yet, moved (as 调整本次 does) to start in ten minutes, with a posted two-topic agenda.</summary>
    private static async Task<MeetingOccurrence> MoveNextMeetingToSoonAsync(IServiceProvider services)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var cache = services.GetRequiredService<MeetingCache>();
        var snapshot = (await cache.GetAsync(DevPeople.TenantId, DevSeeder.SampleSeriesId, default))!;
        // The first one not over yet (today's, when the test runs during it: the panel shows the meeting open for check-in).
        var next = snapshot.Occurrences(now.AddHours(-3), now.AddDays(8)).First(o => o.End > now);
        var start = now.AddMinutes(10);
        await services.GetRequiredService<MeetingStore>().SaveChangeAsync(DevPeople.TenantId,
            new MeetingStore.OccurrenceChange(next.Key, false, start, start.AddMinutes(60), null, null, DevPeople.Host.Id, now), default);
        cache.Invalidate(DevPeople.TenantId, DevSeeder.SampleSeriesId);
        var agenda = services.GetRequiredService<AgendaService>();
        var order = 0;
        foreach (var (title, who, minutes) in new[] { ("上周工作回顾", DevPeople.Employee, 10), ("客服投诉处理情况", DevPeople.CsRep, 5) })
        {
            order++;
            (await agenda.FileTopicAsync(new Topic
            {
                TenantId = DevPeople.TenantId, OccurrenceKey = next.Key, Id = "t" + order, Title = title, PresenterId = who.Id, PresenterName = who.Name,
                Material = "材料", Minutes = minutes, Order = order, Status = TopicStatus.Accepted, SubmittedById = who.Id, SubmittedByName = who.Name, SubmittedAt = now.AddMinutes(order - 10),
            }, default)).OrThrow();
        }
        await agenda.RecordPostAsync(new AgendaPost { TenantId = DevPeople.TenantId, OccurrenceKey = next.Key, ConversationId = DevPeople.MeetingConversationId, PostedAt = now, PostedById = DevPeople.Host.Id, PostedByName = DevPeople.Host.Name, Revision = 1 }, default);
        return next;
    }
}
