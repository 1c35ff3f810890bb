using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// Multi-row changes under storage faults (issue #18): for every request a change makes, a run
/// where exactly that request fails — before it reaches storage, or after storage applied it
/// and the answer was lost — must tell the user the truth ("saved" only when saved; "not saved"
/// only when nothing changed), and pressing the same button again must finish the change once:
/// one series with all its participants and its check-in jobs, one occurrence change with its
/// jobs moved and its notice sent once. Each run uses a tenant of its own, so the request count
/// of the calibration run holds for every run. The class's tests share one bot
/// (<see cref="SharedHttpHost"/>), each test with its own tenants and clock.
/// </summary>
public sealed class AtomicChangeFaultTests(SharedHttpHost bot) : IClassFixture<SharedHttpHost>, IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 16, 0, 0, China); // Thursday

    private HttpFeatureHost _host = null!;
    private StorageFaults _faults = null!;

    public async Task InitializeAsync()
    {
        // one bot for the class (its tenants are the test's own, its clock starts at Start for each test)
        _host = await bot.StartAsync(Start, configure: services => StorageFaults.Install(services));
        _faults = _host.Get<StorageFaults>();
        _faults.Off();
    }

    public async Task DisposeAsync()
    {
        _faults.Off();
        await _host.DisposeAsync();
    }

    public static TheoryData<StorageFault> Kinds => new() { StorageFault.BeforeSending, StorageFault.ResponseLost };

    // ---- helpers ----

    private JsonObject In(string tenant, JsonObject activity)
    {
        activity["conversation"]!["tenantId"] = tenant;
        activity["channelData"]!["tenant"]!["id"] = tenant;
        return activity;
    }

    private Task<JsonArray> SayAsync(string tenant, string userId, string text)
    {
        var activity = In(tenant, _host.Activity(userId, "zh-CN", "message"));
        activity["text"] = text;
        return _host.PostAsync(activity);
    }

    /// <summary>Posts a submit; <paramref name="arm"/> runs once the activity is built (building it reads the directory), just before it is sent.</summary>
    private Task<JsonArray> SubmitAsync(string tenant, string userId, JsonObject value, Action? arm = null)
    {
        var activity = In(tenant, _host.Activity(userId, "zh-CN", "message"));
        activity["value"] = value.DeepClone();
        arm?.Invoke();
        return _host.PostAsync(activity);
    }

    private async Task<JsonObject> ExecuteAsync(string tenant, string userId, JsonObject data, Action? arm = null)
    {
        var activity = In(tenant, _host.Activity(userId, "zh-CN", "invoke"));
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = (string?)data["verb"], ["data"] = data.DeepClone() }, ["trigger"] = "manual" };
        arm?.Invoke();
        var response = await _host.SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string Text(JsonNode? node) =>
        node?.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    private const string NotSaved = "没有保存成功";

    private async Task SeedAsync(string tenant)
    {
        await BotSeed.PersonAsync(_host.Services, tenant, "29:office", "陈静", "zh-CN", roles: "office");
        foreach (var (id, name) in new[] { ("29:host", "张伟"), ("29:a", "王小明"), ("29:b", "李娜"), ("29:c", "刘洋") })
        {
            await BotSeed.PersonAsync(_host.Services, tenant, id, name, "zh-CN");
        }
    }

    // ---- a new series ----

    private static JsonObject SeriesForm(string name) => new()
    {
        ["verb"] = "meetings.saveSeries", ["name"] = name, ["conversation"] = FeatureHost.ChatOf("29:office"), ["location"] = "三楼会议室",
        ["hostId"] = "29:host", ["recorder"] = "-", ["participants"] = "29:a,29:b,29:c", ["kind"] = "weekly", ["days"] = "Monday", ["start"] = "08:30", ["end"] = "09:30",
        ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07", ["dayOfMonth"] = "29", ["date"] = "2026-12-01",
        ["leaveApprover"] = "host", ["lateGrace"] = "0", ["windowBefore"] = "30", ["speakingLimit"] = "5",
    };

    private async Task<string> CreateSeriesAsync(string tenant, Action arm)
    {
        await SeedAsync(tenant);
        Assert.Contains("新建例会", Text(await SayAsync(tenant, "29:office", "新建例会")));
        var replies = Text(await SubmitAsync(tenant, "29:office", SeriesForm("周工作例会"), arm));
        _faults.Off();
        return replies;
    }

    /// <summary>Exactly one series with all its participants, and its next check-in scheduled (by the turn, or by its follow-through job).</summary>
    private async Task AssertOneCompleteSeriesAsync(string tenant, string because)
    {
        var store = _host.Get<MeetingStore>();
        var series = Assert.Single(await store.ListSeriesAsync(tenant, default));
        Assert.Equal(["29:a", "29:b", "29:c"], (await store.ListParticipantsAsync(tenant, series.Id, default)).Order().ToArray());
        _host.MoveTo(_host.Clock.GetUtcNow() + MeetingJobs.AfterDelay + TimeSpan.FromSeconds(5));
        await _host.RunDueJobsAsync();
        var next = (await store.OccurrencesAsync(series, _host.Clock.GetUtcNow(), _host.Clock.GetUtcNow().AddDays(8), default)).First();
        var open = await _host.Get<JobScheduler>().GetAsync(tenant, MeetingJobs.OpenJobId(next));
        Assert.True(open != null, $"{because}: the series' next check-in is scheduled");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_new_series_is_saved_whole_or_not_at_all_and_a_retry_saves_it_once(StorageFault kind)
    {
        var counted = await CreateSeriesAsync($"t-series-{kind}-count", _faults.Count);
        var requests = _faults.Seen;
        Assert.Contains("已新建例会“周工作例会”", counted);
        Assert.True(requests >= 5, string.Join("\n", _faults.Requests));
        await AssertOneCompleteSeriesAsync($"t-series-{kind}-count", "no fault");

        for (var n = 1; n <= requests; n++)
        {
            var tenant = $"t-series-{kind}-{n}";
            var first = await CreateSeriesAsync(tenant, () => _faults.FailAt(n, kind));
            var because = $"request {n} of {requests} ({_faults.InjectedInto}) failing {kind}";
            Assert.True(_faults.Injected, because);
            var saved = first.Contains("已新建例会");
            var notSaved = first.Contains(NotSaved);
            Assert.True(saved || notSaved, $"{because}: told nothing: {first}");
            var stored = await _host.Get<MeetingStore>().ListSeriesAsync(tenant, default);
            if (!saved)
            {
                // "Not saved" and nothing else: nothing may have changed.
                Assert.True(stored.Count == 0, $"{because}: told \"not saved\" but the series exists");
            }
            else
            {
                Assert.True(stored.Count == 1, because);
            }
            if (notSaved)
            {
                var again = Text(await SubmitAsync(tenant, "29:office", SeriesForm("周工作例会")));
                Assert.True(again.Contains("已新建例会") && !again.Contains(NotSaved), $"{because}: the retry: {again}");
            }
            await AssertOneCompleteSeriesAsync(tenant, because);
        }
    }


    // ---- one occurrence moved ----

    private const string MovedText = "已将周工作例会从 11月30日 周一 08:30–09:30 调整到 12月1日 周二 14:00–15:00";
    private static readonly DateTimeOffset MovedTo = new(2026, 12, 1, 14, 0, 0, China);

    private async Task<(MeetingSeries Series, MeetingOccurrence Before)> SeedSeriesAsync(string tenant)
    {
        await SeedAsync(tenant);
        var series = await BotSeed.SeriesAsync(_host.Services, new MeetingSeries
        {
            TenantId = tenant,
            Id = "weekly",
            Name = "周工作例会",
            HostId = "29:host",
            Location = "三楼会议室",
            ConversationId = "19:meeting-weekly@thread.v2",
            Schedule = MeetingSchedule.WeeklyOn(new TimeOnly(8, 30), new TimeOnly(9, 30), DayOfWeek.Monday),
        }, ["29:a", "29:b", "29:c"]);
        await _host.Get<MeetingJobs>().ScheduleUpcomingAsync(tenant, series.Id, default);
        var before = (await _host.Get<MeetingStore>().OccurrencesAsync(series, _host.Clock.GetUtcNow(), _host.Clock.GetUtcNow().AddDays(8), default)).First();
        Assert.NotNull(await _host.Get<JobScheduler>().GetAsync(tenant, MeetingJobs.OpenJobId(before)));
        return (series, before);
    }

    private static JsonObject Move(string occurrence, string version = "") => new()
    {
        ["verb"] = "meetings.move", ["occurrence"] = occurrence, ["version"] = version, ["date"] = "2026-12-01", ["start"] = "14:00", ["end"] = "15:00", ["substitute"] = "-", ["note"] = "领导出差",
    };

    private int NoticesTo(string userId) => _host.Connector.PostedTo(FeatureHost.ChatOf(userId)).Count(c => c.Text?.StartsWith("【会议调整】周工作例会") == true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_moved_occurrence_is_moved_once_its_jobs_follow_and_everyone_is_told_once(StorageFault kind)
    {
        var requests = 0;
        for (var n = 0; n <= requests; n++)
        {
            // n = 0: the calibration run, no fault.
            var tenant = $"t-move-{kind}-{n}";
            var (series, before) = await SeedSeriesAsync(tenant);
            var noticesBefore = new[] { "29:a", "29:b", "29:c" }.ToDictionary(id => id, NoticesTo);
            var first = Text(await SubmitAsync(tenant, "29:office", Move(before.Key), n == 0 ? _faults.Count : () => _faults.FailAt(n, kind)));
            _faults.Off();
            var because = $"request {n} of {requests} ({_faults.InjectedInto}) failing {kind}";
            if (n == 0)
            {
                requests = _faults.Seen;
                Assert.Contains(MovedText, first);
                Assert.True(requests >= 5, string.Join("\n", _faults.Requests));
            }
            else
            {
                Assert.True(_faults.Injected, because);
            }
            var saved = first.Contains(MovedText);
            var notSaved = first.Contains(NotSaved);
            Assert.True(saved || notSaved, $"{because}: told nothing: {first}");
            _host.Get<MeetingCache>().Invalidate(tenant);
            var change = (await _host.Get<MeetingStore>().ChangesAsync(tenant, series.Id, default)).GetValueOrDefault(before.Key);
            if (saved)
            {
                Assert.True(change?.MovedStart == MovedTo, $"{because}: told \"moved\" but it is not");
            }
            else
            {
                Assert.True(change == null, $"{because}: told \"not saved\" but the occurrence was changed");
            }
            if (notSaved)
            {
                // The same card pressed again.
                var again = Text(await SubmitAsync(tenant, "29:office", Move(before.Key)));
                Assert.True(again.Contains(MovedText) && !again.Contains(NotSaved), $"{because}: the retry: {again}");
            }

            _host.MoveTo(_host.Clock.GetUtcNow() + MeetingJobs.AfterDelay + TimeSpan.FromSeconds(5));
            await _host.RunDueJobsAsync();
            _host.Get<MeetingCache>().Invalidate(tenant);
            var moved = (await _host.Get<MeetingStore>().GetOccurrenceAsync(series, before.Key, default))!;
            Assert.True(moved.Moved && moved.Start == MovedTo, because);
            var jobs = _host.Get<JobScheduler>();
            Assert.True((await jobs.GetAsync(tenant, MeetingJobs.OpenJobId(before)))?.Status == JobStatus.Cancelled, $"{because}: the old check-in is cancelled");
            Assert.True((await jobs.GetAsync(tenant, MeetingJobs.OpenJobId(moved)))?.Status == JobStatus.Pending, $"{because}: the new check-in is scheduled");
            foreach (var (id, count) in noticesBefore)
            {
                Assert.True(NoticesTo(id) == count + 1, $"{because}: {id} is told once, not {NoticesTo(id) - count} times");
            }
        }
    }

    // ---- one occurrence cancelled ----

    private const string CancelledText = "已取消周工作例会";

    private int CancelNoticesTo(string userId) => _host.Connector.PostedTo(FeatureHost.ChatOf(userId)).Count(c => c.Text?.StartsWith("【会议取消】周工作例会") == true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_cancelled_occurrence_is_cancelled_once_its_check_in_is_cancelled_and_everyone_is_told_once(StorageFault kind)
    {
        var requests = 0;
        for (var n = 0; n <= requests; n++)
        {
            // n = 0: the calibration run, no fault.
            var tenant = $"t-cancel-{kind}-{n}";
            var (series, before) = await SeedSeriesAsync(tenant);
            var noticesBefore = new[] { "29:a", "29:b", "29:c" }.ToDictionary(id => id, CancelNoticesTo);
            var cancel = new JsonObject { ["verb"] = "meetings.cancelOccurrence", ["occurrence"] = before.Key, ["version"] = "", ["note"] = "放假" };
            var first = Text(await SubmitAsync(tenant, "29:office", cancel, n == 0 ? _faults.Count : () => _faults.FailAt(n, kind)));
            _faults.Off();
            var because = $"request {n} of {requests} ({_faults.InjectedInto}) failing {kind}";
            if (n == 0)
            {
                requests = _faults.Seen;
                Assert.Contains(CancelledText, first);
                Assert.True(requests >= 4, string.Join("\n", _faults.Requests));
            }
            else
            {
                Assert.True(_faults.Injected, because);
            }
            var saved = first.Contains(CancelledText);
            var notSaved = first.Contains(NotSaved);
            Assert.True(saved || notSaved, $"{because}: told nothing: {first}");
            _host.Get<MeetingCache>().Invalidate(tenant);
            var change = (await _host.Get<MeetingStore>().ChangesAsync(tenant, series.Id, default)).GetValueOrDefault(before.Key);
            if (saved)
            {
                Assert.True(change?.Cancelled == true, $"{because}: told \"cancelled\" but it is not");
            }
            else
            {
                Assert.True(change == null, $"{because}: told \"not saved\" but the occurrence was changed");
            }
            if (notSaved)
            {
                // The same card pressed again.
                var again = Text(await SubmitAsync(tenant, "29:office", cancel));
                Assert.True(again.Contains(CancelledText) && !again.Contains(NotSaved), $"{because}: the retry: {again}");
            }

            _host.MoveTo(_host.Clock.GetUtcNow() + MeetingJobs.AfterDelay + TimeSpan.FromSeconds(5));
            await _host.RunDueJobsAsync();
            _host.Get<MeetingCache>().Invalidate(tenant);
            Assert.True((await _host.Get<MeetingStore>().GetOccurrenceAsync(series, before.Key, default))!.Cancelled, because);
            Assert.True((await _host.Get<JobScheduler>().GetAsync(tenant, MeetingJobs.OpenJobId(before)))?.Status == JobStatus.Cancelled, $"{because}: the check-in is cancelled");
            foreach (var (id, count) in noticesBefore)
            {
                Assert.True(CancelNoticesTo(id) == count + 1, $"{because}: {id} is told once, not {CancelNoticesTo(id) - count} times");
            }
        }
    }

    [Fact]
    public async Task Two_managers_on_the_same_occurrence_the_second_is_told_and_shown_the_current_state()
    {
        var tenant = "t-two-managers";
        var (series, before) = await SeedSeriesAsync(tenant);

        // Both opened the occurrence card while it was unchanged (version ""). The office moves it …
        Assert.Contains(MovedText, Text(await SubmitAsync(tenant, "29:office", Move(before.Key))));

        // … and the host, from the card he opened before, cancels it: refused, with the meeting as it is now.
        var cancel = new JsonObject { ["verb"] = "meetings.cancelOccurrence", ["occurrence"] = before.Key, ["version"] = "", ["note"] = "放假" };
        var activity = In(tenant, _host.Activity("29:host", "en-US", "message"));
        activity["value"] = cancel.DeepClone();
        var refused = await _host.PostAsync(activity);
        var text = Text(refused);
        Assert.Contains("Someone else changed this meeting a moment ago, so your change was not saved.", text);
        Assert.Contains("14:00", text); // the current time, as moved
        _host.Get<MeetingCache>().Invalidate(tenant);
        var now = (await _host.Get<MeetingStore>().GetOccurrenceAsync(series, before.Key, default))!;
        Assert.True(now.Moved);
        Assert.False(now.Cancelled);

        // A forged card with a made-up version is refused the same way; the card he got back works.
        cancel["version"] = "W/\"datetime'2026-01-01T00%3A00%3A00Z'\"";
        activity = In(tenant, _host.Activity("29:host", "en-US", "message"));
        activity["value"] = cancel.DeepClone();
        Assert.Contains("Someone else changed this meeting", Text(await _host.PostAsync(activity)));
        var version = refused.SelectMany(r => ((JsonArray?)r?["attachments"] ?? []).Select(a => a?["content"])).SelectMany(JsonReplies.Nodes)
            .OfType<JsonObject>().Select(o => (string?)o["verb"] == "meetings.cancelOccurrence" ? (string?)o["version"] : null).First(v => v != null);
        Assert.False(string.IsNullOrEmpty(version));
        cancel["version"] = version;
        activity = In(tenant, _host.Activity("29:host", "en-US", "message"));
        activity["value"] = cancel.DeepClone();
        Assert.DoesNotContain("Someone else changed", Text(await _host.PostAsync(activity)));
        _host.Get<MeetingCache>().Invalidate(tenant);
        Assert.True((await _host.Get<MeetingStore>().GetOccurrenceAsync(series, before.Key, default))!.Cancelled);
    }
}
