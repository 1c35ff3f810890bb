using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;
using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>
/// The agenda card posted to the meeting's chat refreshes (Adaptive Card <c>refresh</c>,
/// Universal Actions) into each expected person's own view when they see it: their own topics
/// and where they stand, and the review button only for whoever manages the agenda.
/// </summary>
public sealed class AgendaRefreshTests : IAsyncLifetime
{
    private AgendaHost _host = null!;

    public async Task InitializeAsync() => _host = await StartWithMeetingAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>The refresh as Teams sends it for <paramref name="userId"/> seeing the card in the meeting's chat.</summary>
    private async Task<(JObject Response, List<Microsoft.Bot.Schema.IActivity> Messages)> RefreshAsync(string userId, JObject data, string? locale = null) =>
        await _host.ExecuteWithRepliesAsync(_host.Adapter(userId, locale, MeetingChat, "channel"), "agenda.view", data, locale);

    [Fact]
    public async Task The_posted_agenda_shows_each_person_their_topics_and_the_host_the_review_button()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "十二月安全检查安排", 5);
        await AgendaFlows.SubmitTopicAsync(_host, Bob, "年终总结材料的报送", 3);
        await _host.ExecuteAsync(_host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = a.Id });
        Assert.Equal("议程已发布到“周例会”。", Seen.All(await _host.SayAsync(_host.Adapter(Host), "发布议程")));

        // The card as posted: no buttons, a refresh for the meeting's expected people, host and recorder first.
        var posted = _host.Connector.To(MeetingChat).Single().Card!;
        Assert.Empty(Seen.Actions(posted));
        var refresh = Seen.Refresh(posted)!.Value;
        Assert.Equal("agenda.view", refresh.Verb);
        Assert.Equal([Host, Recorder, Alice, Bob, Lucy], refresh.UserIds);

        // 王小明 sees his topic on the agenda; not 李娜's, not the review.
        var alice = Seen.CardOf((await RefreshAsync(Alice, refresh.Data)).Response);
        Assert.Contains("十二月安全检查安排 — 已列入议程", Seen.Text(alice));
        Assert.DoesNotContain("年终总结材料的报送", Seen.Text(alice));
        Assert.DoesNotContain("agenda.review", Seen.Actions(alice).Select(x => x.Verb));

        // 李娜 sees where her topic stands (still pending, not on the agenda).
        var bob = Seen.CardOf((await RefreshAsync(Bob, refresh.Data)).Response);
        Assert.Contains("年终总结材料的报送 — 待审", Seen.Text(bob));
        Assert.DoesNotContain("agenda.review", Seen.Actions(bob).Select(x => x.Verb));

        // The host and the recorder: the review button.
        Assert.Contains("agenda.review", Seen.Actions(Seen.CardOf((await RefreshAsync(Host, refresh.Data)).Response)).Select(x => x.Verb));
        Assert.Contains("agenda.review", Seen.Actions(Seen.CardOf((await RefreshAsync(Recorder, refresh.Data)).Response)).Select(x => x.Verb));

        // In English for an English client.
        var lucy = Seen.CardOf((await RefreshAsync(Lucy, refresh.Data, "en-US")).Response);
        Assert.Contains("Agenda", Seen.Text(lucy));
        Assert.DoesNotContain("会议议程", Seen.Text(lucy));
        Assert.Contains("Review topics", Seen.Text(Seen.CardOf((await RefreshAsync(Host, refresh.Data, "en-US")).Response)));

        // Someone who may not see the agenda gets no card (the reason only), nor does a forged key.
        var (stranger, said) = await RefreshAsync(Stranger, refresh.Data);
        Assert.NotEqual("application/vnd.microsoft.card.adaptive", (string?)stranger["type"]);
        Assert.DoesNotContain("十二月安全检查安排", stranger.ToString() + Seen.All(said));
        var (forged, _) = await RefreshAsync(Alice, new JObject { ["occurrence"] = "weekly@209901010830" });
        Assert.NotEqual("application/vnd.microsoft.card.adaptive", (string?)forged["type"]);
    }
}
