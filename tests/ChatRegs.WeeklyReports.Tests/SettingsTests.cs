using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>The office's per-department settings card: validation next to the fields, saving, and this week's jobs following.</summary>
public sealed class SettingsTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private static JsonObject Save(string day, string deadline, string reminder, string extra = "", string approver = "true", string office = "true", string etag = "") => new()
    {
        ["verb"] = WeeklyReportSettingsCards.SaveVerb,
        ["team"] = "综合部",
        ["etag"] = etag,
        ["deadlineDay"] = day,
        ["deadlineTime"] = deadline,
        ["reminderTime"] = reminder,
        ["includeApprover"] = approver,
        ["includeOffice"] = office,
        ["digestAtDeadline"] = "true",
        ["extraRecipients"] = extra,
    };

    [Theory]
    [InlineData("zh-CN", "周报 设置")]
    [InlineData("en", "report settings")]
    public async Task The_office_moves_a_deadline_and_this_weeks_reminders_follow(string locale, string command)
    {
        await using var host = await StartAsync(Local(2026, 11, 24, 9));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", locale);
        await host.AddPersonAsync("29:liu", "刘洋", null, locale);
        await host.AddPersonAsync("29:liu2", "刘洋洋", null, locale);
        await host.AddPersonAsync("29:office", "陈静", null, locale, "office");

        // Everyone else is refused.
        Assert.Equal(Strings.Get(locale, "weeklyReports.auth.settings"), ReadableText(await host.SayAsync("29:zhang", command, locale)));
        Assert.Equal(Strings.Get(locale, "weeklyReports.auth.settings"), ReadableText(await host.SubmitAsync("29:zhang", Save("Thursday", "16:00", "10:00"), locale)));

        var list = ReadableText(await host.SayAsync("29:office", command, locale));
        Assert.Contains("综合部", list);
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.scheduleLine", Strings.Get(locale, "weeklyReports.days.friday"), "17:00", "14:00"), list);
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.recipientsLine", string.Join(Strings.Get(locale, "weeklyReports.digest.nameSeparator"), "张伟", "陈静")), list);
        await host.RunDueJobsAsync();
        var reminder = WeeklyReportPlanner.ReminderJobId("综合部", "2026-W48", 1);
        Assert.Equal(Local(2026, 11, 27, 14), (await host.Get<JobScheduler>().GetAsync(Tenant, reminder))!.DueUtc);

        var form = ReadableText(await host.SubmitAsync("29:office", new JsonObject { ["verb"] = WeeklyReportSettingsCards.EditVerb, ["team"] = "综合部" }, locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.includeApprover", "张伟"), form);

        // Wrong input: each problem next to its field, everything typed kept, nothing saved.
        var bad = await host.SubmitAsync("29:office", Save("Someday", "17:00", "18:00", extra: "刘、不存在的人"), locale);
        var badText = ReadableText(bad);
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.errors.day"), badText);
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.errors.reminderAfterDeadline", "17:00"), badText);
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.errors.ambiguousPerson", "刘", string.Join(Strings.Get(locale, "weeklyReports.digest.nameSeparator"), "刘洋", "刘洋洋")), badText);
        Assert.Contains("刘、不存在的人", badText);
        Assert.Null(await host.Get<TeamSettingsStore>().GetAsync(Tenant, "综合部"));
        var unknown = ReadableText(await host.SubmitAsync("29:office", Save("Friday", "17:00", "14:00", extra: "不存在的人"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.errors.unknownPerson", "不存在的人"), unknown);
        var nobody = ReadableText(await host.SubmitAsync("29:office", Save("Friday", "17:00", "14:00", approver: "false", office: "false"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.errors.noRecipients"), nobody);

        // Thursday 16:00, reminder at 10:00, plus 刘洋洋 (by e-mail): saved, and this week's jobs move.
        var saved = ReadableText(await host.SubmitAsync("29:office", Save("Thursday", "16:00", "10:00", extra: "liu2@contoso.com"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.saved", "综合部"), saved);
        var settings = await host.Get<TeamSettingsStore>().GetAsync(Tenant, "综合部");
        Assert.Equal(DayOfWeek.Thursday, settings!.DeadlineDay);
        Assert.Equal(["29:liu2"], settings.ExtraRecipients);
        Assert.Equal(Local(2026, 11, 26, 10), (await host.Get<JobScheduler>().GetAsync(Tenant, reminder))!.DueUtc);
        Assert.Equal(Local(2026, 11, 26, 16), (await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.DigestJobId("综合部", "2026-W48")))!.DueUtc);

        // Saving from a stale card (someone saved since) changes nothing and shows the latest.
        var stale = ReadableText(await host.SubmitAsync("29:office", Save("Monday", "09:00", "08:00"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.settings.changedMeanwhile"), stale);
        Assert.Equal(DayOfWeek.Thursday, (await host.Get<TeamSettingsStore>().GetAsync(Tenant, "综合部"))!.DeadlineDay);

        // Thursday 16:00 is the deadline now: a hand-in after it is late, and the digest goes to 刘洋洋 too.
        host.MoveTo(Local(2026, 11, 26, 16));
        await host.RunDueJobsAsync();
        Assert.Single(host.Connector.To(Chat("29:liu2")));
        Assert.Single(host.Connector.To(Chat("29:office")));
        Assert.Empty(host.Connector.To(Chat("29:liu")));
    }
}
