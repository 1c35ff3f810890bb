using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Minutes.Tests;

/// <summary>The whole story over HTTP, as Teams sends it: the recorder writes and submits the minutes, the owner lists and updates the decision.</summary>
public sealed class HttpEndToEndTests
{
    private const string Tenant = "tenant-minutes-http";
    private const string Recorder = "29:http-recorder";
    private const string Host = "29:http-host";
    private const string Alice = "29:http-alice";
    private const string Gm = "29:http-gm";
    private const string Occurrence = "weekly@202611300830";

    private static string Json(string from, string name, string locale, string? text = null, JsonObject? value = null)
    {
        var activity = TeamsHttp.From(Tenant, from, name, locale);
        if (text != null) activity["text"] = text;
        if (value != null) activity["value"] = value;
        return activity.ToJsonString();
    }

    /// <summary>The revision the card's submit button carries (as Teams would send it back).</summary>
    private static string Rev(JsonObject card) => (string)Replies.Button(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()), "提交会议纪要")["rev"]!;

    private static string CardText(JsonObject card) => TurnKit.Text(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()));

    [Fact]
    public async Task Write_submit_deliver_and_follow_up_over_http()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        var connector = new TeamsConnector();
        await using var factory = new BotFactory(new()
        {
            ["ChatRegs:Jobs:RunnerEnabled"] = "false",
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        });
        await using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
        }));
        var client = app.CreateClient();
        var services = app.Services;
        foreach (var table in services.GetRequiredService<TableNames>().All)
        {
            await services.GetRequiredService<TableServiceClient>().CreateTableIfNotExistsAsync(table);
        }
        try
        {
            var people = services.GetRequiredService<PeopleDirectory>();
            var references = services.GetRequiredService<ConversationReferenceStore>();
            foreach (var (id, name) in new[] { (Recorder, "陈静"), (Host, "张伟"), (Alice, "王小明"), (Gm, "总经理室") })
            {
                await people.EnsureKnownAsync(Tenant, id, name, "aad-" + id, null, "zh-CN");
                await references.CaptureAsync(new Activity
                {
                    Type = ActivityTypes.Message,
                    ChannelId = "msteams",
                    ServiceUrl = TeamsConnector.ServiceUrl,
                    From = new ChannelAccount(id, name),
                    Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
                    Conversation = new ConversationAccount(conversationType: "personal", id: "a:1to1-" + id, tenantId: Tenant),
                    Locale = "zh-CN",
                }, default);
            }
            await services.GetRequiredService<MeetingStore>().CreateSeriesAsync(new MeetingSeries
            {
                TenantId = Tenant,
                Id = "weekly",
                Name = "周工作例会",
                HostId = Host,
                RecorderId = Recorder,
                MinutesRecipients = [Gm],
                Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
                CreatedAt = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8)),
            }, [Alice], default);
            await services.GetRequiredService<CheckInStore>().TryAddAsync(Tenant, Occurrence,
                new CheckIn(Alice, "王小明", new DateTimeOffset(2026, 11, 30, 8, 20, 0, TimeSpan.FromHours(8)), CheckInStatus.Early, CheckInSources.Card), default);

            // The recorder opens the minutes: the form, pre-filled.
            var form = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Recorder, "陈静", "zh-CN", "会议纪要")));
            var formText = CardText(form);
            Assert.Contains("新纪要 · 已按日程、签到和议程预填", formText);
            Assert.Contains("12月2日 周三", formText);

            // Submitting without the discussion record: refused next to the field, nothing submitted.
            var refused = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Recorder, "陈静", "zh-CN", value: new JsonObject
            {
                ["verb"] = "minutes.submit", ["occurrence"] = Occurrence, ["rev"] = Rev(form), ["date"] = "2026-11-30", ["start"] = "08:30", ["end"] = "09:30",
                ["title_x0"] = "安全检查",
            })));
            Assert.Contains("有 2 处需要修改", CardText(refused));

            // Then complete.
            var replies = await TeamsHttp.PostAsync(client, Json(Recorder, "陈静", "zh-CN", value: new JsonObject
            {
                ["verb"] = "minutes.submit", ["occurrence"] = Occurrence, ["rev"] = Rev(refused), ["date"] = "2026-11-30", ["start"] = "08:30", ["end"] = "09:30",
                ["title_x0"] = "安全检查", ["discussion_x0"] = "王小明汇报检查计划。", ["outcome_x0"] = "同意。",
                ["desc_0"] = "完成消防通道清理", ["owner_0"] = Alice, ["due_0"] = "2026-12-04",
            }));
            Assert.Contains("会议纪要已提交（第 1 版），已发送给：", JsonReplies.Texts(replies));
            Assert.Contains("第 1 版 · 陈静", CardText(JsonReplies.LastCard(replies)));
            Assert.Contains(connector.To("a:1to1-" + Gm), c => c.Card != null && TurnKit.Text(c.Card).Contains("商议结果：同意。"));

            // The owner lists and updates the decision, in English.
            var item = (await services.GetRequiredService<MinutesStore>().ListItemsAsync(Tenant, default)).Single();
            var list = CardText(JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Alice, "王小明", "en-US", "my actions"))));
            Assert.Contains("完成消防通道清理", list);
            Assert.Contains("due Fri 4 Dec", list);
            var updated = CardText(JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Alice, "王小明", "en-US", value: new JsonObject
            {
                ["verb"] = "actions.update", ["item"] = item.Id, ["status"] = "Done", ["note"] = "cleared",
            }))));
            Assert.Contains("Updated to “Done”.", updated);
            Assert.Equal(ActionItemStatus.Done, (await services.GetRequiredService<MinutesStore>().GetItemAsync(Tenant, item.Id, default))!.Status);
        }
        finally
        {
            foreach (var table in services.GetRequiredService<TableNames>().All)
            {
                try { await services.GetRequiredService<TableServiceClient>().DeleteTableAsync(table); } catch { /* best effort */ }
            }
        }
    }
}
