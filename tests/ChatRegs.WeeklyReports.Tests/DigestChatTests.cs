using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// 汇总印发 to a chat: the office names a group chat (typing the command there), the digest is
/// posted there at the deadline — every page, in the chat's language, without buttons — once per
/// run of the job; nobody else can name or stop it; stopping it leaves the recipients as they were.
/// </summary>
public sealed class DigestChatTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private const string Group = "19:zonghe-work@thread.v2";

    private static async Task<WeeklyHost> TeamAsync()
    {
        var host = await StartAsync(Local(2026, 11, 27, 9));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部");
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        await host.AddPersonAsync("29:office", "陈静", null, "zh-CN", "office");
        await host.AddPersonAsync("29:office-en", "Jane Chen", null, "en", "office");
        return host;
    }

    /// <summary>A message typed in the group chat, which Teams names (a group chat's topic).</summary>
    private static Task<JsonArray> SayInGroupAsync(WeeklyHost host, string userId, string text, string locale = "zh-CN")
    {
        var activity = host.Feature.Activity(userId, locale, "message", Group, "groupChat");
        activity["conversation"]!["name"] = "综合部工作群";
        activity["text"] = text;
        return host.Feature.PostAsync(activity);
    }

    private static string Digest(string locale) => Strings.Get(locale, "commands.digest.name");

    [Fact]
    public async Task Only_the_office_names_the_chat_and_only_from_inside_it()
    {
        await using var host = await TeamAsync();
        var store = host.Get<TeamSettingsStore>();

        // A member of the chat cannot have everyone's reports posted there; nor can the department head.
        foreach (var who in new[] { "29:wang", "29:zhang" })
        {
            Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.officeOnly"), ReadableText(await SayInGroupAsync(host, who, "周报汇总 发到本群 综合部")));
        }
        Assert.Null(await store.GetAsync(Tenant, "综合部"));

        // The office, in its 1:1 chat: told where to type it.
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.notHere", "周报汇总"), ReadableText(await host.SayAsync("29:office", "周报汇总 发到本群 综合部")));
        // Without a department, or one that does not exist.
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.usagePost", "周报汇总"), ReadableText(await SayInGroupAsync(host, "29:office", "周报汇总 发到本群")));
        Assert.StartsWith(Strings.Get("zh-CN", "weeklyReports.digest.unknownTeam", "销售部", "").TrimEnd(), ReadableText(await SayInGroupAsync(host, "29:office", "周报汇总 发到本群 销售部")));
        Assert.Null(await store.GetAsync(Tenant, "综合部"));

        // The office in the group chat: saved, and the chat is told everyone in it will read the reports.
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.posted", "综合部", "周报汇总"), ReadableText(await SayInGroupAsync(host, "29:office", "周报汇总 发到本群 综合部")));
        var saved = await store.GetAsync(Tenant, "综合部");
        Assert.Equal((Group, "综合部工作群"), (saved!.DigestChatId, saved.DigestChatName));
        // The recipients are as they were, and the settings card says where else it goes.
        var settings = ReadableText(await host.SayAsync("29:office", "周报 设置"));
        Assert.Contains(Strings.Get("zh-CN", "weeklyReports.chat.settingsLine", "综合部工作群"), settings);
        Assert.Contains("张伟", settings);

        // Stopping it: the office only (from anywhere); a member's attempt changes nothing.
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.officeOnly"), ReadableText(await SayInGroupAsync(host, "29:wang", "周报汇总 不发到群 综合部")));
        Assert.Equal(Group, (await store.GetAsync(Tenant, "综合部"))!.DigestChatId);
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.stopped", "综合部", "综合部工作群"), ReadableText(await host.SayAsync("29:office", "周报汇总 不发到群 综合部")));
        Assert.Null((await store.GetAsync(Tenant, "综合部"))!.DigestChatId);
        Assert.DoesNotContain(Strings.Get("zh-CN", "weeklyReports.chat.settingsLine", "综合部工作群"), ReadableText(await host.SayAsync("29:office", "周报 设置")));
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.notSet", "综合部"), ReadableText(await host.SayAsync("29:office", "周报汇总 不发到群 综合部")));

        // In English, by the English office administrator.
        Assert.Equal(Strings.Get("en", "weeklyReports.chat.posted", "综合部", "digest"), ReadableText(await SayInGroupAsync(host, "29:office-en", "digest post here 综合部", "en")));
        Assert.Equal(Group, (await store.GetAsync(Tenant, "综合部"))!.DigestChatId);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task At_the_deadline_the_chat_gets_every_page_in_its_language_once_without_buttons(string chatLanguage)
    {
        await using var host = await TeamAsync();
        if (chatLanguage == "en")
        {
            Assert.Contains("English", ReadableText(await SayInGroupAsync(host, "29:office", "本群语言 English")));
        }
        await SayInGroupAsync(host, "29:office", "周报汇总 发到本群 综合部");
        // Twenty more people with long reports: the digest takes more than one page.
        for (var i = 0; i < 20; i++)
        {
            var id = $"29:p{i:D2}";
            await host.AddPersonAsync(id, $"员工{i:D2}", "综合部");
            await Seed.ReportAsync(host, "综合部", "2026-W48", id, $"员工{i:D2}", Local(2026, 11, 27, 10), false,
                $"第{i}人的总结：" + new string('结', 1900), $"第{i}人的计划：" + new string('计', 1900));
        }
        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:wang", "王小明", Local(2026, 11, 27, 10), false, "完成三季度考勤汇总。", "起草年终考核方案。");
        await host.RunDueJobsAsync();
        host.Connector.Clear();

        host.MoveTo(Local(2026, 11, 27, 17));
        await host.RunDueJobsAsync();

        var digest = host.Get<WeeklyDigestCards>();
        var status = await host.Get<WeeklyReportService>().StatusAsync(Tenant, "综合部", "2026-W48");
        var pages = digest.AllPages(new WeeklyDigest(status), chatLanguage, interactive: false).Count;
        Assert.True(pages >= 2, $"the test wants a digest of several pages, not {pages}");
        var posted = host.Connector.PostedTo(Group);
        Assert.Equal(pages, posted.Count);
        var heading = Strings.Get(chatLanguage, "weeklyReports.digest.heading", "综合部", ReportText.Week(Strings, chatLanguage, "2026-W48"));
        for (var page = 1; page <= pages; page++)
        {
            var text = posted[page - 1].ReadableText;
            Assert.Contains(heading, text);
            Assert.Contains(Strings.Get(chatLanguage, "weeklyReports.digest.page", page, pages), text);
            // No buttons: paging and exports are for the recipients' own chats.
            var body = posted[page - 1].Body!.ToJsonString();
            Assert.DoesNotContain(WeeklyDigestCards.ExportVerb, body);
            Assert.DoesNotContain(WeeklyDigestCards.PageVerb, body);
        }
        Assert.Contains("完成三季度考勤汇总。", string.Join("\n", posted.Select(p => p.ReadableText)));
        // The recipients still get theirs, in their own language, with the buttons.
        var office = Assert.Single(host.Connector.To(Chat("29:office")));
        Assert.Contains(Strings.Get("zh-CN", "weeklyReports.digest.heading", "综合部", ReportText.Week(Strings, "zh-CN", "2026-W48")), office.ReadableText);
        Assert.Contains(WeeklyDigestCards.ExportVerb, office.Body!.ToJsonString());
        Assert.Contains(host.Connector.To(Chat("29:zhang")), m => m.Body!.ToJsonString().Contains(WeeklyDigestCards.ExportVerb, StringComparison.Ordinal));

        // The job run again (a retry, another instance): the chat gets nothing twice.
        var job = (await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.DigestJobId("综合部", "2026-W48")))!;
        await host.Get<WeeklyReportNotifier>().SendDigestAsync(job, "综合部", "2026-W48", default);
        Assert.Equal(pages, host.Connector.PostedTo(Group).Count);
    }

    [Fact]
    public async Task In_a_channel_it_goes_to_the_thread_the_office_typed_in_named_after_the_channel()
    {
        await using var host = await TeamAsync();
        const string thread = "19:general@thread.tacv2;messageid=1733472000000";
        var activity = host.Feature.Activity("29:office", "zh-CN", "message", thread, "channel");
        activity["channelData"]!["channel"] = new JsonObject { ["id"] = "19:general@thread.tacv2", ["name"] = "周报公告" };
        activity["text"] = "周报汇总 发到本群 综合部";
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.chat.posted", "综合部", "周报汇总"), ReadableText(await host.Feature.PostAsync(activity)));
        var saved = await host.Get<TeamSettingsStore>().GetAsync(Tenant, "综合部");
        Assert.Equal((thread, "周报公告"), (saved!.DigestChatId, saved.DigestChatName));

        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:wang", "王小明", Local(2026, 11, 27, 10), false, "完成三季度考勤汇总。", "起草年终考核方案。");
        await host.RunDueJobsAsync();
        host.Connector.Clear();
        host.MoveTo(Local(2026, 11, 27, 17));
        await host.RunDueJobsAsync();
        Assert.Contains("完成三季度考勤汇总。", Assert.Single(host.Connector.PostedTo(thread)).ReadableText);
    }

    [Fact]
    public async Task A_chat_the_bot_was_removed_from_does_not_stop_the_digest_reaching_its_recipients()
    {
        await using var host = await TeamAsync();
        await SayInGroupAsync(host, "29:office", "周报汇总 发到本群 综合部");
        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:wang", "王小明", Local(2026, 11, 27, 10), false, "完成三季度考勤汇总。", "起草年终考核方案。");
        await host.RunDueJobsAsync();
        host.Connector.Clear();
        host.Connector.Refuse[Group] = System.Net.HttpStatusCode.Forbidden;

        host.MoveTo(Local(2026, 11, 27, 17));
        await host.RunDueJobsAsync();

        Assert.Contains(WeeklyDigestCards.ExportVerb, Assert.Single(host.Connector.To(Chat("29:office"))).Body!.ToJsonString());
        Assert.Contains(host.Connector.To(Chat("29:zhang")), m => m.Body!.ToJsonString().Contains(WeeklyDigestCards.ExportVerb, StringComparison.Ordinal));
        Assert.Contains(host.Connector.Calls, c => c.ConversationId == Group && c.Method == "POST(403)");
        var job = (await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.DigestJobId("综合部", "2026-W48")))!;
        Assert.NotEqual(JobStatus.Parked, job.Status);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
