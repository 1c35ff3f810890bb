using System.Text.Json.Nodes;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// The stores moved to <c>Saved&lt;T&gt;</c> last (issue #18: a role edit, a callback import of
/// several tasks, a job's lease) under storage faults, as <see cref="AtomicChangeFaultTests"/> does
/// for the meeting changes: for every request the change makes, a run where exactly that request
/// fails — before it reaches storage, or after storage applied it and the answer was lost — tells
/// the truth ("saved" only when saved; "not saved" only when nothing changed), and doing it again
/// finishes the change once. Each run uses a tenant of its own.
/// </summary>
public sealed class ConflictStyleFaultTests(SharedHttpHost bot) : IClassFixture<SharedHttpHost>, IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 16, 0, 0, China);
    private const string NotSaved = "没有保存成功，请稍后再试";

    private HttpFeatureHost _host = null!;
    private StorageFaults _faults = null!;

    public async Task InitializeAsync()
    {
        // one bot for the class (its tenants are the test's own, its clock starts at Start for each test)
        _host = await bot.StartAsync(Start, new Dictionary<string, string?>
        {
            ["ChatRegs:Jobs:LeaseDuration"] = "00:02:00",
            ["ChatRegs:Jobs:RetryBaseDelay"] = "00:00:10",
            ["ChatRegs:Proactive:MaxRetries"] = "0",
        }, services =>
        {
            StorageFaults.Install(services);
            services.AddSingleton<IJobHandler, NoticeJob>();
        });
        _faults = _host.Get<StorageFaults>();
        _faults.Off();
    }

    public async Task DisposeAsync()
    {
        _faults.Off();
        await _host.DisposeAsync();
    }

    public static TheoryData<StorageFault> Kinds => new() { StorageFault.BeforeSending, StorageFault.ResponseLost };

    private static JsonObject In(string tenant, JsonObject activity)
    {
        activity["conversation"]!["tenantId"] = tenant;
        activity["channelData"]!["tenant"]!["id"] = tenant;
        return activity;
    }

    /// <summary>Posts an activity; <paramref name="arm"/> runs once it is built, just before it is sent.</summary>
    private async Task<JsonArray> PostAsync(string tenant, string userId, Action<JsonObject> fill, Action? arm)
    {
        var activity = In(tenant, _host.Activity(userId, "zh-CN", "message"));
        fill(activity);
        arm?.Invoke();
        try
        {
            return await _host.PostAsync(activity);
        }
        finally
        {
            _faults.Off();
        }
    }

    private static string Text(JsonNode? node) =>
        node?.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    /// <summary>Runs the change once per request it makes: n = 0 counts them (no fault), then request n fails with <paramref name="kind"/>.</summary>
    private async Task ForEveryRequestAsync(StorageFault kind, Func<int, Action, Task> run)
    {
        await run(0, _faults.Count);
        var requests = _faults.Seen;
        Assert.True(requests >= 3, string.Join("\n", _faults.Requests));
        for (var n = 1; n <= requests; n++)
        {
            var at = n;
            await run(n, () => _faults.FailAt(at, kind));
            Assert.True(_faults.Injected, $"request {n} of {requests} was not made");
        }
    }

    private string Because(int n, StorageFault kind) => n == 0 ? "no fault" : $"request {n} ({_faults.InjectedInto}) failing {kind}";

    // ---- a role edit ----

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_role_edit_is_saved_once_with_one_audit_entry_or_not_at_all(StorageFault kind)
    {
        await ForEveryRequestAsync(kind, async (n, arm) =>
        {
            var tenant = $"t-role-{kind}-{n}";
            await BotSeed.PersonAsync(_host.Services, tenant, "29:office", "陈静", "zh-CN", roles: Roles.Office);
            await BotSeed.PersonAsync(_host.Services, tenant, "29:a", "王小明", "zh-CN");
            var people = _host.Get<PeopleDirectory>();
            var etag = (await people.GetAsync(tenant, "29:a"))!.ETag;
            void Fill(JsonObject a) => a["value"] = new JsonObject
            {
                ["verb"] = "roles.save", ["userId"] = "29:a", ["etag"] = etag, ["roles"] = Roles.Manager, ["team"] = "", ["onDuty"] = "false",
            };

            var first = Text(await PostAsync(tenant, "29:office", Fill, arm));
            var because = Because(n, kind);
            var saved = first.Contains("已保存 王小明 的角色");
            Assert.True(saved ^ first.Contains(NotSaved), $"{because}: {first}");
            var person = (await people.GetAsync(tenant, "29:a"))!;
            var audit = (await people.ListAuditAsync(tenant)).Count(e => e.TargetId == "29:a");
            Assert.True(person.Has(Roles.Manager) == saved, $"{because}: told {(saved ? "saved" : "not saved")}, stored {person.Has(Roles.Manager)}");
            Assert.True(audit == (saved ? 1 : 0), $"{because}: {audit} audit entries");

            if (!saved)
            {
                // The same card pressed again: nothing changed, so its version still holds.
                var again = Text(await PostAsync(tenant, "29:office", Fill, null));
                Assert.True(again.Contains("已保存 王小明 的角色"), $"{because}: the retry: {again}");
            }
            Assert.True((await people.GetAsync(tenant, "29:a"))!.Has(Roles.Manager), because);
            Assert.Equal(1, (await people.ListAuditAsync(tenant)).Count(e => e.TargetId == "29:a"));
        });
    }

    // ---- a department's approver ----

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_department_change_is_saved_once_with_one_audit_entry_or_not_at_all(StorageFault kind)
    {
        await ForEveryRequestAsync(kind, async (n, arm) =>
        {
            var tenant = $"t-dept-{kind}-{n}";
            await BotSeed.PersonAsync(_host.Services, tenant, "29:office", "陈静", "zh-CN", roles: Roles.Office);
            await BotSeed.PersonAsync(_host.Services, tenant, "29:a", "王小明", "zh-CN");
            await BotSeed.PersonAsync(_host.Services, tenant, "29:b", "李娜", "zh-CN");
            var people = _host.Get<PeopleDirectory>();
            await people.SaveDepartmentAsync((await people.GetAsync(tenant, "29:office"))!, "客服部", "29:a");
            void Fill(JsonObject a) => a["value"] = new JsonObject
            {
                ["verb"] = "roles.saveDepartment", ["departmentName"] = "客服部", ["approverUserId"] = "29:b", ["query"] = "",
            };

            var first = Text(await PostAsync(tenant, "29:office", Fill, arm));
            var because = Because(n, kind);
            var saved = first.Contains("已保存部门“客服部”");
            Assert.True(saved ^ first.Contains(NotSaved), $"{because}: {first}");
            var approver = (await people.GetDepartmentAsync(tenant, "客服部"))!.ApproverUserId;
            var audit = (await people.ListAuditAsync(tenant)).Count(e => e.TargetId == "客服部");
            Assert.True((approver == "29:b") == saved, $"{because}: told {(saved ? "saved" : "not saved")}, approver {approver}");
            Assert.True(audit == (saved ? 2 : 1), $"{because}: {audit} audit entries");

            if (!saved)
            {
                var again = Text(await PostAsync(tenant, "29:office", Fill, null));
                Assert.True(again.Contains("已保存部门“客服部”"), $"{because}: the retry: {again}");
            }
            Assert.Equal("29:b", (await people.GetDepartmentAsync(tenant, "客服部"))!.ApproverUserId);
            Assert.Equal(2, (await people.ListAuditAsync(tenant)).Count(e => e.TargetId == "客服部"));
        });
    }

    // ---- a callback import of several tasks ----

    /// <summary>150 service records: two transactions of tasks.</summary>
    private static readonly string Rows = string.Join("\n", Enumerable.Range(1, 150).Select(i => $"客户{i:D3},女士,1380000{i:D4},否,汽车保养,2026-11-20"));

    private static int Added(JsonArray replies)
    {
        var fact = JsonReplies.Nodes(replies).OfType<JsonObject>()
            .FirstOrDefault(o => (string?)o["title"] == "新增回访" && o["value"] != null);
        return fact == null ? -1 : int.Parse((string)fact["value"]!);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_callback_import_says_how_many_were_saved_and_importing_again_adds_the_rest_once(StorageFault kind)
    {
        await ForEveryRequestAsync(kind, async (n, arm) =>
        {
            var tenant = $"t-import-{kind}-{n}";
            await BotSeed.PersonAsync(_host.Services, tenant, "29:sup", "刘洋", "zh-CN", roles: Roles.CsSupervisor);
            await BotSeed.PersonAsync(_host.Services, tenant, "29:rep", "李娜", "zh-CN", onDuty: true, roles: Roles.CsRep);
            void Fill(JsonObject a) => a["text"] = "导入回访\n" + Rows;

            var replies = await PostAsync(tenant, "29:sup", Fill, arm);
            var first = Text(replies);
            var because = Because(n, kind);
            var stored = (await _host.Get<CallbackService>().AllTasksAsync(tenant, default)).Count;
            var told = Added(replies);
            if (told < 0)
            {
                // No result card: "not saved" and nothing else, so nothing may be stored.
                Assert.True(first.Contains(NotSaved), $"{because}: told nothing: {first}");
                Assert.True(stored == 0, $"{because}: told \"not saved\" but {stored} tasks are stored");
            }
            else
            {
                // The card's count is what is stored (a "not saved" after it, from the turn's state
                // write, says what was saved stands), and any not saved are said to be.
                Assert.True(told == stored, $"{because}: told {told} added, {stored} stored: {first}");
                Assert.True(stored == 150 || first.Contains("未能保存"), $"{because}: {stored} stored and the rest not mentioned");
            }

            if (stored < 150)
            {
                var again = await PostAsync(tenant, "29:sup", Fill, null);
                Assert.True(Added(again) == 150 - stored, $"{because}: the retry: {again}");
            }
            var tasks = await _host.Get<CallbackService>().AllTasksAsync(tenant, default);
            Assert.True(tasks.Count == 150 && tasks.Select(t => t.Phone).Distinct().Count() == 150, $"{because}: {tasks.Count} tasks");
        });
    }

    // ---- a job's lease ----

    /// <summary>A notice to everyone in the job's data, through <see cref="JobDeliveries"/> (as the features' notices are sent).</summary>
    private sealed class NoticeJob(JobDeliveries deliveries) : IJobHandler
    {
        public string Kind => "test.notice";

        public async Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            var to = job.DataAs<string[]>()!;
            await deliveries.SendToEachAsync(job, to, _ => (turn, ct) => turn.SendActivityAsync("会议改到周二 09:00", cancellationToken: ct), "test.notice", cancellationToken);
        }
    }

    private int NoticesTo(string userId) => _host.Connector.PostedTo(FeatureHost.ChatOf(userId)).Count(c => c.Text == "会议改到周二 09:00");

    private async Task RunJobsAsync()
    {
        try
        {
            await _host.RunDueJobsAsync();
        }
        catch (Exception e) when (ChatRegs.Bot.Core.StorageProblems.Is(e))
        {
            // The runner's loop logs it and polls again.
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_job_claimed_run_and_finished_through_faults_messages_everyone_once(StorageFault kind)
    {
        await ForEveryRequestAsync(kind, async (n, arm) =>
        {
            var tenant = $"t-job-{kind}-{n}";
            await BotSeed.PersonAsync(_host.Services, tenant, "29:a", "王小明", "zh-CN");
            await BotSeed.PersonAsync(_host.Services, tenant, "29:b", "李娜", "zh-CN");
            var before = (NoticesTo("29:a"), NoticesTo("29:b"));
            await _host.Get<JobScheduler>().ScheduleAsync(tenant, "test.notice", _host.Clock.GetUtcNow(), new[] { "29:a", "29:b" }, jobId: "notice");

            arm();
            await RunJobsAsync();
            _faults.Off();
            var because = Because(n, kind);

            // Whatever the fault left (a lease nobody renews, a retry after a backoff), later polls finish it.
            for (var i = 0; i < 3; i++)
            {
                _host.MoveTo(_host.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
                await RunJobsAsync();
            }
            var job = await _host.Get<JobScheduler>().GetAsync(tenant, "notice");
            Assert.True(job?.Status == JobStatus.Done, $"{because}: {job?.Status} {job?.LastError}");
            Assert.True(NoticesTo("29:a") == before.Item1 + 1 && NoticesTo("29:b") == before.Item2 + 1,
                $"{because}: 29:a told {NoticesTo("29:a") - before.Item1} times, 29:b {NoticesTo("29:b") - before.Item2}");
        });
    }

}
