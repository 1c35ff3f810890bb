using ChatRegs.Bot.Localization;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// Office administrators named in configuration (ChatRegs:Bootstrap:OfficeAdmins) are office
/// everywhere: they open the settings, appear among the digest's recipients and receive it; one
/// who never talked to the bot is listed by the configured id, not silently dropped.
/// </summary>
public sealed class ConfiguredOfficeTests
{
    private static readonly Localizer Strings = Localizer.Default;

    [Theory]
    [InlineData("zh-CN", "周报 设置")]
    [InlineData("en", "report settings")]
    public async Task A_configured_office_admin_gets_the_digest_and_one_never_met_is_listed_by_id(string locale, string command)
    {
        await using var host = await StartAsync(Local(2026, 11, 27, 9), new()
        {
            // 陈静 by user principal name, and someone by an AAD object id nobody known has.
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "chen@contoso.com",
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:1"] = "aad-not-yet-met",
        });
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", locale);
        // No stored role: office only by configuration. She has talked to the bot (her 1:1 chat is known).
        await host.AddPersonAsync("29:chen", "陈静", null, locale);

        var list = ReadableText(await host.SayAsync("29:chen", command, locale));
        var separator = Strings.Get(locale, "weeklyReports.digest.nameSeparator");
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.recipientsLine",
            string.Join(separator, "张伟", "陈静", Strings.Get(locale, "weeklyReports.settings.notYetMet", "aad-not-yet-met"))), list);

        // Friday 17:00: the digest goes to the department head and to her.
        await host.RunDueJobsAsync();
        host.Connector.Clear();
        host.MoveTo(Local(2026, 11, 27, 17));
        await host.RunDueJobsAsync();
        var heading = Strings.Get(locale, "weeklyReports.digest.heading", "综合部", ReportText.Week(Strings, locale, "2026-W48"));
        var digest = Assert.Single(host.Connector.To(Chat("29:chen"))).ReadableText;
        Assert.Contains(heading, digest);
        // The department head (also reminded: he has not handed in) gets it too.
        Assert.Contains(host.Connector.To(Chat("29:zhang")), m => m.ReadableText.Contains(heading));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("aad-not-yet-met") && e.Message.Contains("digest"));
    }
}
