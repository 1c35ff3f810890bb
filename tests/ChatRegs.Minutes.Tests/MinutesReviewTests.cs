using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>
/// 例会制度(四) 第十条 (计划发展部每周对各部门会议记录进行抽检): the minutes reviewer's weekly list, opening
/// and marking each minutes checked with a remark, what the office sees; and 督办 across every
/// meeting for the supervision role (例会制度(二) 六(三) 纪检监察室).
/// </summary>
public sealed class MinutesReviewTests
{
    private const string Planner = "29:planner";
    private const string PlannerEn = "29:planner-en";
    private const string Inspector = "29:inspector";

    private static async Task<MinutesHost> StartWithRolesAsync()
    {
        var host = await StartAsync();
        await host.Feature.PersonAsync(Planner, "计划发展部 李明", roles: [Roles.MinutesReviewer]);
        await host.Feature.PersonAsync(PlannerEn, "Planner", locale: "en-US", roles: [Roles.MinutesReviewer]);
        await host.Feature.PersonAsync(Inspector, "纪检监察室 周敏", roles: [Roles.Supervisor]);
        return host;
    }

    private static JObject Mark(string remark, string occurrence = Meeting) =>
        new() { ["verb"] = MinutesReviews.MarkVerb, ["occurrence"] = occurrence, ["remarkField"] = "remark0", ["remark0"] = remark };

    private static string CardText(JObject body) => TurnKit.Text(body["value"] as JObject ?? body);

    [Fact]
    public async Task The_reviewer_opens_the_weeks_minutes_and_marks_them_checked_and_the_office_sees_who_checked_what()
    {
        await using var host = await StartWithRolesAsync();
        var before = TurnKit.Text(Replies.Card(await host.SayAsync(Planner, "纪要审核")));
        Assert.Contains("会议纪要审核（例会制度(四) 第十条）", before);
        Assert.Contains("周工作例会", before);
        Assert.Contains("纪要未提交", before);

        await host.SubmitMinutesAsync();
        var list = Replies.Card(await host.SayAsync(Planner, "纪要审核"));
        Assert.Contains("纪要第 1 版，待审核", TurnKit.Text(list));
        Assert.Contains("共 1 次会议：纪要已提交 1 份，已审核 0 份。", TurnKit.Text(list));
        Assert.Contains(MinutesReviews.MarkVerb, list.ToString());

        // Opening the minutes: the reviewer may read every meeting's.
        var minutes = TurnKit.Text(Replies.Card(await host.SubmitAsync(Planner, new { verb = "minutes.open", occurrence = Meeting })));
        Assert.Contains("十二月安全检查安排", minutes);

        // No remark: refused, nothing recorded.
        var (empty, _) = await host.ExecuteAsync(Mark("   "), Planner);
        Assert.Contains("请填写审核意见。", CardText(empty));
        Assert.Empty(await host.Store.ListReviewsAsync(Tenant, default));

        var (marked, _) = await host.ExecuteAsync(Mark("记录完整，决议均有负责人和期限。"), Planner);
        var text = CardText(marked);
        Assert.Contains("已标记《周工作例会》", text);
        Assert.Contains("已审核：计划发展部 李明，2026-11-30 10:00；意见：记录完整，决议均有负责人和期限。", text);
        var review = Assert.Single((await host.Store.ListReviewsAsync(Tenant, default)).Values);
        Assert.Equal((Planner, 1), (review.ReviewerId, review.Version));

        // The office sees who checked what, without the reviewer's buttons.
        var office = Replies.Card(await host.SayAsync(Office, "纪要审核"));
        Assert.Contains("已审核：计划发展部 李明", TurnKit.Text(office));
        Assert.DoesNotContain(MinutesReviews.MarkVerb, office.ToString());
    }

    [Fact]
    public async Task People_without_the_role_are_refused_and_a_forged_mark_changes_nothing()
    {
        await using var host = await StartWithRolesAsync();
        await host.SubmitMinutesAsync();
        Assert.Contains("只有会议纪要审核人员或办公室可以查看纪要审核情况。", Replies.All(await host.SayAsync(Alice, "纪要审核")));
        Assert.Contains("只有会议纪要审核人员或办公室可以查看纪要审核情况。", Replies.All(await host.SayAsync(Host, "纪要审核")));
        Assert.Contains("Only minutes reviewers or the office can see the minutes review.", Replies.All(await host.SayAsync(Lucy, "minutes review", "en-US")));

        // The host, the office and the recorder press a forged "confirm checked": refused.
        foreach (var who in new[] { Host, Office, Recorder })
        {
            var (body, replies) = await host.ExecuteAsync(Mark("伪造"), who);
            Assert.Contains("只有会议纪要审核人员（如计划发展部）可以标记纪要已审核。", CardText(body) + Replies.All(replies) + body);
        }
        // The reviewer, with a meeting that does not exist or an unsubmitted one, and a remark too long.
        Assert.Contains("找不到这次会议", (await host.ExecuteAsync(Mark("x", "weekly@209901010830"), Planner)).Body.ToString());
        Assert.Contains("这次会议的纪要还没有提交，不能审核。", CardText((await host.ExecuteAsync(Mark("x", NextMeeting), Planner)).Body) + (await host.ExecuteAsync(Mark("x", NextMeeting), Planner)).Body);
        Assert.Contains("审核意见不能超过 500 字。", CardText((await host.ExecuteAsync(Mark(new string('长', 501)), Planner)).Body));
        Assert.Empty(await host.Store.ListReviewsAsync(Tenant, default));
    }

    [Fact]
    public async Task Every_monday_morning_each_reviewer_gets_last_weeks_list_once_in_their_language()
    {
        await using var host = await StartWithRolesAsync();
        await host.SubmitMinutesAsync();
        var job = Assert.Single(await host.Feature.JobsAsync(MinutesReviewWeeklyJob.JobId));
        Assert.Equal(MinutesReviewWeeklyJob.Kind, job.Kind);
        // Monday 7 December, 08:30.
        host.Feature.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 30, 0, FeatureHost.Shanghai));
        await host.Feature.RunJobAsync(job);
        var zh = host.Said(Planner);
        Assert.Contains("本周请审核上周（11月30日 周一–12月6日 周日）的会议纪要：", zh);
        Assert.Contains("纪要第 1 版，待审核", zh);
        var en = host.Said(PlannerEn);
        Assert.Contains("This week, please review last week's minutes", en);
        Assert.Contains("Minutes version 1, to be checked", en);
        Assert.DoesNotContain("会议纪要审核", host.Said(Alice));

        // Run again (a retry): nobody gets it twice.
        var count = host.Feature.Connector.To(FeatureHost.ChatOf(Planner)).Count();
        await host.Feature.RunJobAsync(job);
        Assert.Equal(count, host.Feature.Connector.To(FeatureHost.ChatOf(Planner)).Count());
    }

    [Fact]
    public async Task The_supervision_role_follows_up_every_open_action_item_of_the_tenant_overdue_first()
    {
        await using var host = await StartWithRolesAsync();
        await host.SubmitMinutesAsync();
        // A second series, hosted by someone else, with an item due earlier.
        await host.Feature.Get<MeetingStore>().CreateSeriesAsync(new MeetingSeries
        {
            TenantId = Tenant, Id = "safety", Name = "安全生产专题会议", HostId = Zhao, Schedule = MeetingSchedule.WeeklyOn(new(14, 0), new(15, 0), DayOfWeek.Friday),
        }, [Alice], default);
        await host.Store.SaveItemAsync(new ActionItem
        {
            TenantId = Tenant, Id = "safety-1", SeriesId = "safety", OccurrenceKey = "safety@202611271400", MeetingName = "安全生产专题会议", MeetingDate = "2026-11-27",
            Description = "排查配电房隐患", OwnerId = Bob, OwnerName = "李娜", Due = new DateOnly(2026, 12, 8), Status = ActionItemStatus.Open,
        }, default);
        host.Feature.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, FeatureHost.Shanghai));

        var list = TurnKit.Text(Replies.Card(await host.SayAsync(Inspector, "督办")));
        Assert.Contains("周工作例会", list);
        Assert.Contains("安全生产专题会议", list);
        // 完成消防通道清理 was due on 4 December: overdue, so first, before the one due tomorrow.
        Assert.True(list.IndexOf("完成消防通道清理", StringComparison.Ordinal) < list.IndexOf("排查配电房隐患", StringComparison.Ordinal), list);
        Assert.Contains("已逾期", list);
        Assert.Contains("共 2 项未完成，其中 1 项已逾期。", list);

        // The host of one series still sees only that series; an employee is refused.
        var hostList = TurnKit.Text(Replies.Card(await host.SayAsync(Host, "督办")));
        Assert.DoesNotContain("排查配电房隐患", hostList);
        Assert.Contains("只有例会主持人、办公室或督办可以查看督办事项。", Replies.All(await host.SayAsync(Alice, "督办")));
        // The reviewer role does not include follow-up.
        Assert.Contains("只有例会主持人、办公室或督办可以查看督办事项。", Replies.All(await host.SayAsync(Planner, "督办")));
    }
}
