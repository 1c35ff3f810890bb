using System.Diagnostics;
using System.Net;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Proactive;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ChatRegs.Scheduling.Tests.Proactive;

/// <summary>
/// Proactive messages through the real adapter, the real connector client and the pacing
/// handler, against <see cref="FakeConnector"/> (which answers 429 whenever Teams' limits
/// are exceeded) — on a fake clock, so minutes of pacing take a second or two.
/// </summary>
public sealed class ProactiveSenderTests(ITestOutputHelper output)
{
    private const string Tenant = "tenant-1";

    [Fact]
    public async Task A_429_with_Retry_After_is_honoured_and_a_fan_out_stays_within_the_limits()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 8, 25, 0, TimeSpan.FromHours(8)));
        await using var host = await SchedulingHost.StartAsync(clock);
        var conversations = Enumerable.Range(1, 60).Select(i => $"19:chat-{i}@thread.v2").ToList();
        foreach (var conversation in conversations)
        {
            await host.RememberConversationAsync(Tenant, conversation, "29:user");
        }
        var victim = conversations[2];
        var injected = false;
        host.Connector.Inject = request =>
        {
            if (request.ConversationId != victim || injected)
            {
                return null;
            }
            injected = true;
            var busy = FakeConnector.Error(HttpStatusCode.TooManyRequests, "TooManyRequests", "Slow down.");
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
            return busy;
        };

        var sends = Task.WhenAll(conversations.Select(c => host.Sender.SendToConversationAsync(Tenant, c, MessageFactory.Text("签到已开始 " + c))));
        await SchedulingHost.WaitUntilAsync(() => sends.IsCompleted || host.Limiter.Waiting + host.Connector.Requests.Count == conversations.Count, TimeSpan.FromSeconds(60));
        await host.DriveAsync(sends, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(2));
        var results = await sends;

        Assert.All(results, r => Assert.True(r.Delivered));
        var delivered = host.Connector.Delivered;
        Assert.Equal(conversations.Order(), delivered.Select(d => d.ConversationId!).Order());
        Assert.Empty(host.Connector.Throttled); // the limiter kept to 50/s for the tenant: Teams never had to say 429

        var refused = Assert.Single(host.Connector.Requests, r => r.Injected);
        var retried = Assert.Single(delivered, d => d.ConversationId == victim);
        Assert.True(retried.At - refused.At >= TimeSpan.FromSeconds(3), $"retried after {retried.At - refused.At}, before Retry-After");
        Assert.True(FakeConnector.MaxInAnySecond(delivered.Select(d => d.At)) <= 50);
        var span = delivered.Where(d => d.ConversationId != victim).Max(d => d.At) - delivered.Min(d => d.At);
        Assert.InRange(span.TotalSeconds, 58 / 50.0, 58 / 50.0 + 0.1); // 59 messages paced at 50/s
    }

    [Fact]
    public async Task A_thousand_messages_to_one_conversation_pace_at_the_per_conversation_limit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 8, 25, 0, TimeSpan.FromHours(8)));
        await using var host = await SchedulingHost.StartAsync(clock);
        const string conversation = "19:meeting-weekly-ops@thread.v2";
        await host.RememberConversationAsync(Tenant, conversation, "29:host", "groupChat", "zh-CN");
        // One message first: the bot records the conversation on its first proactive turn.
        var warmUp = host.Sender.SendToConversationAsync(Tenant, conversation, MessageFactory.Text("会议提醒"));
        await host.DriveAsync(warmUp, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        var real = Stopwatch.StartNew();

        // The reference is read once, as a feature sending many messages to one conversation would.
        var reference = await host.Services.GetRequiredService<ConversationReferenceStore>().GetConversationAsync(Tenant, conversation, default);
        var sends = Task.WhenAll(Enumerable.Range(1, 1000).Select(i => host.Sender.SendAsync(Tenant, reference!, MessageFactory.Text($"提醒 {i}"))));
        // Every message is queued at the limiter (or sent) before the clock moves.
        await SchedulingHost.WaitUntilAsync(() => sends.IsCompleted || host.Limiter.Waiting + host.Connector.Requests.Count == 1001, TimeSpan.FromSeconds(90));
        var queued = real.Elapsed;
        await host.DriveAsync(sends, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        var results = await sends;

        Assert.All(results, r => Assert.True(r.Delivered));
        var delivered = host.Connector.Delivered.Skip(1).ToList();
        Assert.Equal(1000, delivered.Count);
        Assert.Empty(host.Connector.Throttled);
        Assert.Equal(7, FakeConnector.MaxInAnySecond(delivered.Select(d => d.At)));
        var span = delivered.Max(d => d.At) - delivered.Min(d => d.At);
        output.WriteLine($"1000 messages to one conversation: {span.TotalSeconds:F2} s of Teams time, {real.Elapsed.TotalSeconds:F2} s real ({queued.TotalSeconds:F2} s to queue them).");
        // ≈ 1000/7 s: one message every 1/7 s (measured on a clock stepped by 1 ms, so each gap is 143 ms).
        Assert.InRange(span.TotalSeconds, 999 / 7.0, 999 * 0.143 + 0.001);
    }

    [Fact]
    public async Task A_person_without_a_chat_gets_one_and_the_unreachable_are_recorded_not_retried()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 8, 25, 0, TimeSpan.FromHours(8)));
        await using var host = await SchedulingHost.StartAsync(clock);
        await host.RememberConversationAsync(Tenant, "19:team-chat@thread.v2", "29:someone");
        await host.RememberConversationAsync(Tenant, "a:removed", "29:left", "personal");
        host.Connector.Installed.Add("29:new-hire");
        host.Connector.Broken["a:removed"] = HttpStatusCode.Forbidden;

        var work = Task.Run(async () => new[]
        {
            await host.Sender.SendToPersonAsync(Tenant, "29:new-hire", MessageFactory.Text("欢迎"), "welcome"),
            await host.Sender.SendToPersonAsync(Tenant, "29:new-hire", MessageFactory.Text("第二条"), "welcome"),
            await host.Sender.SendToPersonAsync(Tenant, "29:not-installed", MessageFactory.Text("你好"), "welcome"),
            await host.Sender.SendToPersonAsync(Tenant, "29:left", MessageFactory.Text("你好"), "welcome"),
            await host.Sender.SendToConversationAsync(Tenant, "19:never-seen@thread.v2", MessageFactory.Text("你好"), "welcome"),
        });
        await host.DriveAsync(work, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        var results = await work;

        Assert.True(results[0].Delivered);
        Assert.Equal("a:1to1-29:new-hire", results[0].ConversationId);
        Assert.Equal("a:1to1-29:new-hire", results[1].ConversationId);
        Assert.Single(host.Connector.Requests, r => r.Kind == "create" && r.Member == "29:new-hire"); // the new chat was remembered
        Assert.Equal(2, host.Connector.Delivered.Count(d => d.ConversationId == "a:1to1-29:new-hire"));
        Assert.Equal(DeliveryFailureReasons.NoPersonalChat, results[2].Reason);
        Assert.Equal(DeliveryFailureReasons.BotRemoved, results[3].Reason);
        Assert.Equal(DeliveryFailureReasons.UnknownConversation, results[4].Reason);
        Assert.Single(host.Connector.Requests, r => r.ConversationId == "a:removed"); // 403 is not retried

        var failures = await host.Services.GetRequiredService<DeliveryFailureStore>().ListRecentAsync(Tenant, 10, default);
        Assert.Equal(["19:never-seen@thread.v2", "29:left", "29:not-installed"], failures.Select(f => f.Target).Order());
        var removed = Assert.Single(failures, f => f.Target == "29:left");
        Assert.Equal(403, removed.StatusCode);
        Assert.Equal("BotNotInConversationRoster", removed.ErrorCode);
        Assert.All(failures, f => Assert.Equal("welcome", f.Purpose));
    }

    [Fact]
    public async Task The_first_person_met_in_a_tenant_can_be_messaged_while_their_rows_still_wait_in_the_buffer()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 8, 25, 0, TimeSpan.FromHours(8)));
        // The buffer holds its rows for ten minutes here, so that they are surely still waiting.
        await using var host = await SchedulingHost.StartAsync(clock, configure: services =>
            services.AddSingleton(sp => new ChatRegs.Bot.Storage.BufferedRowWriter(sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ChatRegs.Bot.Storage.BufferedRowWriter>>(), TimeSpan.FromMinutes(10))));
        // The bot is added to a group chat: the tenant's first conversation, recorded off the turn's path.
        await host.Services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Microsoft.Bot.Schema.Activity
        {
            Type = Microsoft.Bot.Schema.ActivityTypes.Message,
            ChannelId = "msteams",
            ServiceUrl = FakeConnector.ServiceUrl,
            From = new Microsoft.Bot.Schema.ChannelAccount("29:someone", "王小明"),
            Recipient = new Microsoft.Bot.Schema.ChannelAccount("28:bot", "ChatRegs", Microsoft.Bot.Schema.RoleTypes.Bot),
            Conversation = new Microsoft.Bot.Schema.ConversationAccount(isGroup: true, conversationType: "groupChat", id: "19:first-chat@thread.v2", tenantId: Tenant),
        }, default);
        var buffer = host.Services.GetRequiredService<ChatRegs.Bot.Storage.BufferedRowWriter>();
        Assert.NotEmpty(buffer.PendingIn(host.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(host.Services.GetRequiredService<ChatRegs.Bot.Storage.TableNames>().ConversationReferences), "tenant-1", ""));
        host.Connector.Installed.Add("29:new-hire");

        // A welcome to someone else of the tenant, who has no chat with the bot yet: started from that conversation.
        var work = host.Sender.SendToPersonAsync(Tenant, "29:new-hire", MessageFactory.Text("欢迎"), "welcome");
        await host.DriveAsync(work, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        var result = await work;

        Assert.True(result.Delivered, $"{result.Reason}");
        Assert.Single(host.Connector.Requests, r => r.Kind == "create" && r.Member == "29:new-hire");
        Assert.Single(host.Connector.Delivered, d => d.ConversationId == "a:1to1-29:new-hire");
    }
}
