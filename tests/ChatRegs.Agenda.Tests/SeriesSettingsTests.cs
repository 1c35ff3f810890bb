using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>
/// The series' topic cutoff (default: until the host posts the agenda) and the speaking limit
/// per speaker ((二)六(一): 每人发言时间控制在5分钟以内), as participants and the host meet them.
/// </summary>
public sealed class SeriesSettingsTests
{
    private static object Form(string title, int minutes = 5) =>
        new { occurrence = Next, formId = Guid.NewGuid().ToString("N"), title, presenter = Alice, material = "要点：检查范围、分工、时间。", minutes };

    private static async Task<AgendaHost> StartAsync(string cutoff)
    {
        var host = await AgendaHost.StartAsync();
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"), (Bob, "李娜"), (Lucy, "Lucy"), (Office, "刘主任"));
        await host.WeeklyAsync([Alice, Bob, Lucy], topicCutoff: cutoff);
        await host.KnowMeetingChatAsync();
        return host;
    }

    [Fact]
    public async Task By_default_topics_are_taken_until_the_host_posts_the_agenda()
    {
        await using var host = await StartAsync(TopicCutoffs.AgendaPosted);
        // Sunday evening, long after the old fixed cutoff (17:00 on Friday): still open.
        host.At(2026, 11, 29, 20, 0);
        var form = Seen.Text(TurnKit.Card(Assert.Single(await host.SayAsync(host.Adapter(Alice), "议题"))));
        Assert.Contains("议题征集截止：主持人发布议程时（最晚 11月30日 周一 08:30）。", form);
        Assert.Contains("每人发言不超过 5 分钟", form);
        var en = Seen.Text(TurnKit.Card(Assert.Single(await host.SayAsync(host.Adapter(Lucy, "en-US"), "topic"))));
        Assert.Contains("Topics are accepted until when the host posts the agenda (at the latest Mon 30 Nov 08:30).", en);
        Assert.Contains("已提交", Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), TopicForms.SubmitVerb, Form("安全检查")))));

        // The host posts the agenda at 20:30: collection is closed from then on.
        host.At(2026, 11, 29, 20, 30);
        var topic = Assert.Single((await host.Store.ReadAsync(Tenant, Next, default)).Topics);
        await host.ExecuteAsync(host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = topic.Id });
        Assert.Equal("议程已发布到“周例会”。", Seen.All(await host.SayAsync(host.Adapter(Host), "发布议程")));
        var posted = Seen.Text(Assert.Single(host.Connector.To(MeetingChat)).Card!);
        Assert.DoesNotContain("议题征集中", posted);

        host.At(2026, 11, 29, 20, 31);
        var late = Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), TopicForms.SubmitVerb, Form("发布后才想到的"))));
        Assert.Contains("已于 11月29日 周日 20:30 截止", late);
        Assert.Equal(["安全检查"], (await host.Store.ReadAsync(Tenant, Next, default)).Topics.Select(t => t.Title));
    }

    [Fact]
    public async Task Until_the_start_and_the_working_day_before_are_the_other_choices()
    {
        await using var host = await StartAsync(TopicCutoffs.MeetingStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.FromHours(8)), (await host.Agenda.LoadAsync(Tenant, Next, default))!.Deadline);
        await using var other = await StartAsync(TopicCutoffs.WorkingDayBefore);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.FromHours(8)), (await other.Agenda.LoadAsync(Tenant, Next, default))!.Deadline);
    }

    [Fact]
    public async Task The_speaking_limit_is_per_speaker_so_a_topic_may_take_longer_and_the_agenda_says_so()
    {
        await using var host = await StartAsync(TopicCutoffs.AgendaPosted);
        // 15 minutes for a topic with several speakers: accepted (the limit is each speaker's, not the topic's).
        Assert.Contains("已提交", Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), TopicForms.SubmitVerb, Form("年终总结", 15)))));
        // More than the meeting lasts: refused.
        var over = Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), TopicForms.SubmitVerb, Form("太长的议题", 61))));
        Assert.Contains("超出会议时长：这次会议只有 60 分钟。", over);
        var overEn = Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Lucy, "en-US"), TopicForms.SubmitVerb, Form("too long", 61), "en-US")));
        Assert.Contains("Longer than the meeting: it lasts only 60 minutes.", overEn);

        var topic = Assert.Single((await host.Store.ReadAsync(Tenant, Next, default)).Topics);
        await host.ExecuteAsync(host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = topic.Id });
        await host.SayAsync(host.Adapter(Host), "发布议程");
        var agenda = Seen.Text(Assert.Single(host.Connector.To(MeetingChat)).Card!);
        Assert.Contains("汇报人：王小明 · 15 分钟 · 每人发言 ≤ 5 分钟", agenda);
        Assert.Contains("每人发言控制在 5 分钟以内", agenda);
    }
}
