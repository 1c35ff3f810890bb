using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Series;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Meetings.Tests;

/// <summary>A series with every field at its cap (Chinese, emoji, quotes) and 250 participants: created through the form, edited, read back whole.</summary>
public sealed class SizeTests : IAsyncLifetime
{
    private MeetingsHost _host = null!;

    private static readonly string[] Everyone = Enumerable.Range(0, 300).Select(i => $"29:m{i}").ToArray();

    public async Task InitializeAsync()
    {
        // The form offers 150 people by default (MeetingOptions.MaxPeopleInForm); this company lists everyone.
        _host = await MeetingsHost.StartAsync(configure: services => services.Configure<MeetingOptions>(o => o.MaxPeopleInForm = 400));
        await _host.KnowAsync([(MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), .. Everyone.Select((id, i) => (id, $"员工{i}😀"))]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Full(int length, string seed)
    {
        var text = new System.Text.StringBuilder(seed);
        while (text.Length < length)
        {
            text.Append("会议“室”😀'\"");
        }
        var s = text.ToString(0, length);
        return char.IsHighSurrogate(s[^1]) ? s[..^1] + "满" : s;
    }

    private static Dictionary<string, string> Form(string name, string location, IEnumerable<string> participants) => new()
    {
        ["verb"] = "meetings.saveSeries", ["name"] = name, ["conversation"] = MeetingsHost.MeetingChat, ["location"] = location,
        ["hostId"] = MeetingsHost.Host, ["recorder"] = MeetingsHost.Recorder, ["participants"] = string.Join(",", participants), ["kind"] = "weekly", ["days"] = "Monday,Thursday",
        ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
        ["dayOfMonth"] = "29", ["date"] = "2026-12-01", ["leaveApprover"] = "host", ["lateGrace"] = "5", ["windowBefore"] = "30", ["speakingLimit"] = "5",
    };

    [Fact]
    public async Task A_series_at_every_cap_with_250_participants_is_created_and_edited_whole()
    {
        var adapter = _host.Adapter(MeetingsHost.Office, null, MeetingsHost.MeetingChat, "channel");
        await _host.SayAsync(adapter, "新建例会");
        var name = Full(MeetingForm.MaxName, "例会");
        var location = Full(MeetingForm.MaxLocation, "地点");
        var first = Everyone.Take(250).ToList();
        var done = Assert.Single(await _host.SubmitAsync(adapter, Form(name, location, first)));
        Assert.StartsWith($"已新建例会“{name}”", done.AsMessageActivity().Text);
        Assert.Contains("参会 250 人", done.AsMessageActivity().Text);
        var series = Assert.Single(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
        Assert.Equal(name, series.Name);
        Assert.Equal(location, series.Location);
        Assert.Equal(first.Order(), (await _host.Store.ListParticipantsAsync(MeetingsHost.Tenant, series.Id, default)).Order());

        // The host edits it: new name and place at their caps, 150 people out and 150 in (300 row changes).
        var host = _host.Adapter(MeetingsHost.Host);
        var form = TurnKit.Card(Assert.Single(await _host.SubmitAsync(host, new { verb = "meetings.editSeries", series = series.Id })));
        Assert.Equal(name, (string?)TurnKit.Input(form, "name")["value"]);
        var newName = Full(MeetingForm.MaxName, "改名");
        var newLocation = Full(MeetingForm.MaxLocation, "新址");
        var second = Everyone.Skip(150).ToList();
        var saved = Assert.Single(await _host.SubmitAsync(host, Form(newName, newLocation, second)));
        Assert.StartsWith($"已保存例会“{newName}”", saved.AsMessageActivity().Text);
        var edited = (await _host.Store.GetSeriesAsync(MeetingsHost.Tenant, series.Id, default))!;
        Assert.Equal(newName, edited.Name);
        Assert.Equal(newLocation, edited.Location);
        Assert.Equal(second.Order(), (await _host.Store.ListParticipantsAsync(MeetingsHost.Tenant, series.Id, default)).Order());
        // Everyone newly in is expected at the next meeting; everyone out is not.
        var snapshot = (await _host.Cache.GetAsync(MeetingsHost.Tenant, series.Id, default))!;
        var next = snapshot.Occurrences(MeetingsHost.Start, MeetingsHost.Start.AddDays(14)).First();
        var expected = snapshot.AttendeesOf(next).ToHashSet();
        Assert.Contains("29:m299", expected);
        Assert.DoesNotContain("29:m0", expected);
    }
}
