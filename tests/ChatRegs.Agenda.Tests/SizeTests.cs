using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>A topic with every field at its cap, in Chinese with emoji and quotes: filed whole, reviewed, and on the posted agenda.</summary>
public sealed class SizeTests : IAsyncLifetime
{
    private AgendaHost _host = null!;

    public async Task InitializeAsync() => _host = await StartWithMeetingAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Full(int length, string seed)
    {
        var text = new System.Text.StringBuilder(seed);
        while (text.Length < length)
        {
            text.Append("顾客说“水渍”😀'\"");
        }
        var s = text.ToString(0, length);
        return char.IsHighSurrogate(s[^1]) ? s[..^1] + "满" : s;
    }

    [Fact]
    public async Task A_topic_at_every_cap_is_filed_whole_accepted_moved_and_on_the_posted_agenda()
    {
        var title = Full(TopicForms.MaxTitle, "议题");
        var material = Full(TopicForms.MaxMaterial, "材料");
        var receipt = Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Alice), TopicForms.SubmitVerb, new
        {
            occurrence = Next,
            formId = Guid.NewGuid().ToString("N"),
            title,
            presenter = Alice,
            material,
            minutes = 5,
        })));
        Assert.Contains("已提交", receipt);
        Assert.Contains(title, receipt);
        var topic = Assert.Single((await _host.Store.ReadAsync(Tenant, Next, default)).Topics);
        Assert.Equal(title, topic.Title);
        Assert.Equal(material, topic.Material);

        // A second topic, then the host accepts both and moves the big one down: every update of it is written.
        var other = await AgendaFlows.SubmitTopicAsync(_host, Bob, "食堂菜单", 3);
        Assert.Contains("已列入议程：" + title, Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = topic.Id }))));
        Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = other.Id }));
        Assert.Contains($"“{title}”已移到第 2 项。", Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.down", new { occurrence = Next, topic = topic.Id }))));
        Assert.Equal(["食堂菜单", title], (await _host.Store.ReadAsync(Tenant, Next, default)).Items.Select(t => t.Title));
        Assert.Equal(material, (await _host.Store.GetTopicAsync(Tenant, Next, topic.Id, default))!.Material);

        Assert.Equal("议程已发布到“周例会”。", Seen.All(await _host.SayAsync(_host.Adapter(Host), "发布议程")));
        var posted = Seen.Text(Assert.Single(_host.Connector.To(MeetingChat)).Card!);
        Assert.Contains(title, posted);
        Assert.True(posted.IndexOf("食堂菜单", StringComparison.Ordinal) < posted.IndexOf(title, StringComparison.Ordinal), "the big topic is second");
    }
}
