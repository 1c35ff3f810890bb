using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// What a reminder costs in Table Storage requests, counted by the storage client's counting
/// policy (ChatRegs:Diagnostics:CountStorageRequests): due jobs are read and claimed in batches,
/// people's 1:1 chats come from the reference cache, and a finished job costs one write.
/// Counts, not timings.
/// </summary>
public sealed class ReminderStorageRequestTests
{
    private const string Tenant = "tenant-r";

    private static Dictionary<string, string?> Settings(string instance) => new()
    {
        [StorageDiagnostics.Switch] = "true",
        ["ChatRegs:Jobs:InstanceId"] = instance,
        ["ChatRegs:Jobs:BatchSize"] = "200",
        ["ChatRegs:Jobs:MaxConcurrency"] = "8",
    };

    [Fact]
    public async Task A_fan_out_of_reminders_costs_at_most_two_and_a_half_storage_requests_each_and_reaches_everyone_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var handler = new ReminderHandler();
        await using var host = await SchedulingHost.StartAsync(clock, Settings("bot-count"), s => s.AddSingleton<IJobHandler>(sp => handler.Bind(sp)));
        var people = Enumerable.Range(1, 120).Select(i => $"29:person-{i:D3}").ToList();
        foreach (var person in people)
        {
            await host.RememberConversationAsync(Tenant, ChatOf(person), person, "personal", "zh-CN");
            await host.Scheduler.ScheduleAsync(Tenant, ReminderHandler.KindName, clock.GetUtcNow().AddMinutes(1), new { userId = person }, jobId: "weekly-" + person);
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        var before = counter.Total;
        var referencesBefore = Requests(counter, host.TablePrefix + "ConversationReferences");

        await host.DriveAsync(host.Runner.PollAsync(), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(2));

        // Everyone got exactly one reminder, and every job is done with no due row left.
        var delivered = host.Connector.Delivered;
        Assert.Equal(people.Select(ChatOf).Order(), delivered.Select(d => d.ConversationId!).Order());
        Assert.All(delivered, d => Assert.Equal("请在今天 17:00 前提交本周周报。", d.Text));
        var jobs = await host.Store.ListAsync(Tenant, [], default);
        Assert.Equal(people.Count, jobs.Count(j => j.Status == JobStatus.Done && j.Runs == 1 && j.Attempts == 1));
        Assert.Empty(await host.Store.QueryDueAsync(clock.GetUtcNow().AddDays(1), 1000, default));

        var perReminder = (double)(counter.Total - before) / people.Count;
        Assert.True(perReminder <= 2.5, $"{perReminder:N2} storage requests per reminder: {string.Join(", ", counter.ByTable.Select(kv => kv.Key + "=" + kv.Value))}");
        // The 120 chats came from one read of the tenant's people, not one read each.
        Assert.Equal(1, Requests(counter, host.TablePrefix + "ConversationReferences") - referencesBefore);
    }

    [Fact]
    public async Task A_reminder_follows_a_person_whose_1to1_chat_changed_after_it_was_cached()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        await using var host = await SchedulingHost.StartAsync(clock, Settings("bot-cache"));
        const string person = "29:li-na";
        await host.RememberConversationAsync(Tenant, "a:old-chat", person, "personal", "zh-CN");
        var first = host.Sender.SendToPersonAsync(Tenant, person, MessageFactory.Text("第一次提醒"));
        await host.DriveAsync(first, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Assert.True((await first).Delivered);

        // She writes to the bot from a new 1:1 chat (reinstalled the app): the bot records it.
        var adapter = host.Bot.CreateAdapter(conversationId: "a:new-chat", userId: person, tenantId: Tenant, locale: "en-US");
        await adapter.SendTextToBotAsync("help", host.Bot.Bot.OnTurnAsync, default);

        var second = host.Sender.SendToPersonAsync(Tenant, person, MessageFactory.Text("第二次提醒"));
        await host.DriveAsync(second, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Assert.True((await second).Delivered);

        var sent = host.Connector.Delivered.Where(d => d.Text is "第一次提醒" or "第二次提醒").ToList();
        Assert.Equal(["a:old-chat", "a:new-chat"], sent.OrderBy(d => d.At).Select(d => d.ConversationId));
    }

    private static string ChatOf(string person) => "a:dm-" + person;

    private static long Requests(StorageRequestCounter counter, string table) =>
        counter.ByTable.Where(kv => kv.Key.EndsWith(" " + table, StringComparison.Ordinal) || kv.Key.Contains(" " + table + "(", StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>The Friday reminder: one message to the person's 1:1 chat.</summary>
    private sealed class ReminderHandler : IJobHandler
    {
        public const string KindName = "test.weeklyReminder";

        private ProactiveSender? _sender;

        public string Kind => KindName;

        public IJobHandler Bind(IServiceProvider services)
        {
            _sender = services.GetRequiredService<ProactiveSender>();
            return this;
        }

        public async Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            var userId = job.DataAs<Data>()!.UserId;
            var result = await _sender!.SendToPersonAsync(job.TenantId, userId, MessageFactory.Text("请在今天 17:00 前提交本周周报。"), KindName, cancellationToken);
            if (!result.Delivered)
            {
                throw new PermanentJobFailureException("undeliverable");
            }
        }

        private sealed record Data(string UserId);
    }
}
