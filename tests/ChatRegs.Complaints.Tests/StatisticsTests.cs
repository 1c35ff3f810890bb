using System.Globalization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>顾客投诉分类统计表 on a known data set.</summary>
public sealed class StatisticsTests
{
    private static readonly TimeSpan Cst = FeatureHost.Shanghai;

    private static DateTimeOffset At(int month, int day, double hour) => new DateTimeOffset(2026, month, day, 0, 0, 0, Cst).AddHours(hour);

    /// <summary>Stages in order from <paramref name="start"/>, each lasting the hours given (null = still there).</summary>
    private static List<StageSpan> Spans(DateTimeOffset start, params (ComplaintStage Stage, double? Hours)[] stays)
    {
        var list = new List<StageSpan>();
        var t = start;
        foreach (var (stage, hours) in stays)
        {
            var left = hours is { } h ? t.AddHours(h) : (DateTimeOffset?)null;
            list.Add(new StageSpan { Stage = stage, EnteredUtc = t, LeftUtc = left });
            t = left ?? t;
        }
        return list;
    }

    private static Complaint C(string number, string name, string phone, string category, DateTimeOffset received, ComplaintStage stage, ComplaintVerdict verdict, List<StageSpan> spans) => new()
    {
        TenantId = Tenant,
        Number = number,
        Complainant = name,
        Contact = phone,
        Category = category,
        ReceivedUtc = received,
        RegisteredUtc = received,
        RegisteredById = Rep,
        RegisteredByName = "李娜",
        Channel = "phone",
        WhatHappened = "…",
        Request = "…",
        Stage = stage,
        Verdict = verdict,
        OwnerRole = stage is ComplaintStage.Judge ? "csSupervisor" : null,
        OwnerId = stage is ComplaintStage.Investigate ? Investigator : null,
        OwnerName = stage is ComplaintStage.Investigate ? "赵强" : null,
        StageDueUtc = stage is ComplaintStage.Judge or ComplaintStage.Investigate ? received.AddDays(30) : null,
        Spans = spans,
    };

    /// <summary>
    /// November 2026: A 张丽 (service, founded, closed, every stage timed), B 王强 (price, not
    /// founded after 3.5 h), C 张丽 again with the phone written differently (attitude, founded,
    /// under investigation, 1 h at registration from a callback), D 赵六 (service, waiting for
    /// judgement), F 孙七 (other, withdrawn after 0.5 h); E in December is outside the period.
    /// </summary>
    private static async Task SeedAsync(ComplaintsHost h)
    {
        Complaint[] all =
        [
            C("TS-20261103-001", "张丽", "13900001111", "service", At(11, 3, 9), ComplaintStage.Closed, ComplaintVerdict.Founded,
                Spans(At(11, 3, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, 2), (ComplaintStage.Investigate, 10), (ComplaintStage.Plan, 5), (ComplaintStage.Approve, 1), (ComplaintStage.Implement, 20), (ComplaintStage.Summary, 3)))
                with { ProblemType = "repair", Department = "售后部", Improvement = "每天开工前检查烘干机" },
            C("TS-20261110-001", "王强", "13800002222", "price", At(11, 10, 9), ComplaintStage.Closed, ComplaintVerdict.Unfounded,
                Spans(At(11, 10, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, 3.5))),
            C("TS-20261120-002", "张丽", "+86 139-0000-1111", "attitude", At(11, 20, 9), ComplaintStage.Investigate, ComplaintVerdict.Founded,
                Spans(At(11, 20, 9), (ComplaintStage.Intake, 1), (ComplaintStage.Judge, 1), (ComplaintStage.Investigate, null)))
                with { Department = "客服部" },
            C("TS-20261125-001", "赵六", "13600003333", "service", At(11, 25, 9), ComplaintStage.Judge, ComplaintVerdict.Pending,
                Spans(At(11, 25, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, null))),
            C("TS-20261105-001", "孙七", "13500004444", "other", At(11, 5, 9), ComplaintStage.Withdrawn, ComplaintVerdict.Pending,
                Spans(At(11, 5, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, 0.5))),
            C("TS-20261201-001", "钱八", "13400005555", "price", At(12, 1, 9), ComplaintStage.Judge, ComplaintVerdict.Pending,
                Spans(At(12, 1, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, null))),
            C("TS-20261202-001", "周九", "13300006666", "service", At(12, 2, 9), ComplaintStage.Closed, ComplaintVerdict.Founded,
                Spans(At(12, 2, 9), (ComplaintStage.Intake, 0), (ComplaintStage.Judge, 1)))
                with { ProblemType = "service", Department = "客服部", Improvement = "十二月的改善对策不属于十一月" },
        ];
        foreach (var c in all)
        {
            await h.Store.AddAsync(c, new ComplaintEvent { Number = c.Number, ActorId = Rep, ActorName = "李娜", Action = "registered", AtUtc = c.ReceivedUtc }, default);
        }
    }

    [Fact]
    public async Task The_figures_of_a_month_count_by_category_stage_verdict_time_and_repeat_complainant()
    {
        await using var h = await ComplaintsHost.StartAsync(now: new DateTimeOffset(2026, 12, 2, 10, 0, 0, Cst));
        await SeedAsync(h);
        var service = h.Host.Get<ComplaintService>();
        var s = ComplaintStatsData.Build(await h.Store.ListAsync(Tenant, default), new ReportPeriod(new(2026, 11, 1), new(2026, 11, 30)), service.Options.EffectiveCategories, service.DateOf);

        Assert.Equal((5, 2, 1, 2, 2, 1), (s.Total, s.Founded, s.Unfounded, s.Pending, s.Closed, s.Withdrawn));
        Assert.Equal([("service", 2), ("quality", 0), ("price", 1), ("attitude", 1), ("other", 1)], s.ByCategory);
        Assert.Equal([0, 1, 1, 0, 0, 0, 0, 2, 1], s.ByStage.Select(x => x.Count));
        var times = s.Times.ToDictionary(t => t.Stage);
        Assert.Equal(new StageTime(ComplaintStage.Intake, 1, 1.0, 1.0, "TS-20261120-002"), times[ComplaintStage.Intake]);
        Assert.Equal(new StageTime(ComplaintStage.Judge, 4, 1.8, 3.5, "TS-20261110-001"), times[ComplaintStage.Judge]);
        Assert.Equal(new StageTime(ComplaintStage.Investigate, 1, 10.0, 10.0, "TS-20261103-001"), times[ComplaintStage.Investigate]);
        Assert.Equal((20.0, "TS-20261103-001"), (times[ComplaintStage.Implement].WorstHours!.Value, times[ComplaintStage.Implement].WorstNumber!));
        // By cause (the kind of problem 展开调查 found), by responsible department, and the improvement measures.
        Assert.Equal([("repair", 1), ("service", 0), ("", 1)], s.ByCause);
        Assert.Equal([("售后部", 1), ("客服部", 1)], s.ByDepartment);
        Assert.Equal([new ImprovementMeasure("TS-20261103-001", "售后部", "每天开工前检查烘干机")], s.Improvements);
        var repeat = Assert.Single(s.Repeats);
        Assert.Equal("张丽", repeat.Name);
        Assert.Equal(["TS-20261103-001", "TS-20261120-002"], repeat.Numbers);

        // The card, in Chinese, for the supervisor.
        var card = LastCard(await h.SayAsync(Supervisor, "投诉统计 2026-11"));
        var text = TurnKit.Text(card);
        Assert.Contains("顾客投诉分类统计表", text);
        Assert.Contains("2026-11-01 – 2026-11-30", text);
        Assert.Contains("投诉判定\n平均 1.8 小时 · 最长 3.5 小时（TS-20261110-001）· 4 次", text);
        Assert.Contains("张丽 13900001111：2 次（TS-20261103-001, TS-20261120-002）", text);
        Assert.Contains("质量/维修\n0", text);
        Assert.Contains("按原因（问题性质）\n修理质量问题\n1\n服务问题\n0\n尚未调查\n1", text);
        Assert.Contains("按职责部门（投诉成立的）\n售后部\n1\n客服部\n1", text);
        Assert.Contains("改善对策\nTS-20261103-001（售后部）：每天开工前检查烘干机", text);
        Assert.DoesNotContain("十二月的改善对策", text);
        // The charts (Teams' chart elements, a table of the same figures for hosts without them):
        // complaints by category, and the average hours spent in each step that was reached.
        Charts.AssertShows(Charts.Single(card, "Chart.HorizontalBar"), ("服务", 2), ("质量/维修", 0), ("价格", 1), ("员工态度", 1), ("其他", 1));
        var timeChart = Charts.Single(card, "Chart.VerticalBar");
        var hours = timeChart["data"]!.Children<Newtonsoft.Json.Linq.JObject>().Select(p => ((string)p["x"]!, (double)p["y"]!)).ToList();
        Assert.Contains(("投诉判定", 1.8), hours);
        Assert.Contains(("展开调查", 10.0), hours);
        // (The card escapes Markdown in text: "1.8" is sent as "1\.8" so Teams cannot read it as a list; it shows 1.8.)
        Assert.Contains(("投诉判定", "1.8"), Charts.Fallback(timeChart).Select(f => (f.Label, f.Value.Replace("\\", "", StringComparison.Ordinal))));

        // The manager reads the same table.
        Assert.Contains("改善对策\nTS-20261103-001（售后部）：每天开工前检查烘干机", TurnKit.Text(LastCard(await h.SayAsync(Manager, "投诉统计 2026-11"))));

        // In English, for a date range: only 3 of November's complaints fall in 11-01..11-10.
        var en = TurnKit.Text(LastCard(await h.SayAsync(SupervisorEn, "complaint stats 2026-11-01 2026-11-10")));
        Assert.Contains("Customer complaints by category", en);
        Assert.Contains("Complaints\n3", en);
        Assert.Contains("Staff attitude\n0", en);
        Assert.DoesNotContain("Repeat complainants", en);
        Assert.Contains("By cause (kind of problem)\nRepair quality problem\n1\nService problem\n0\nNot investigated yet\n0", en);
        Assert.Contains("Improvement measures\nTS-20261103-001 (售后部): 每天开工前检查烘干机", en);

        // The CSV: the same figures, section after section.
        var csv = h.Host.Get<ComplaintStatsView>().Csv(s, "zh-CN").Split("\r\n");
        Assert.Equal("顾客投诉分类统计表,2026-11-01 – 2026-11-30", csv[0]);
        Assert.Contains("投诉总数,5", csv);
        Assert.Contains("服务,2", csv);
        Assert.Contains("投诉判定,4,1.8,3.5,TS-20261110-001", csv);
        Assert.Contains("已作废,1", csv);
        Assert.Contains("张丽,13900001111,2,TS-20261103-001 TS-20261120-002", csv);
        Assert.Contains("修理质量问题,1", csv);
        Assert.Contains("尚未调查,1", csv);
        Assert.Contains("售后部,1", csv);
        Assert.Contains("改善对策,职责部门,改善对策", csv);
        Assert.Contains("TS-20261103-001,售后部,每天开工前检查烘干机", csv);

        // The card's button offers the CSV file.
        var replies = await h.PressAsync(Supervisor, card, "下载 CSV");
        var consent = replies.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single(a => a.ContentType == "application/vnd.microsoft.teams.card.file.consent");
        Assert.Equal("顾客投诉分类统计表-2026-11-01_2026-11-30.csv", consent.Name);
    }

    [Fact]
    public async Task Only_the_supervisor_managers_and_the_office_see_the_statistics_and_a_bad_period_is_explained()
    {
        await using var h = await ComplaintsHost.StartAsync();
        Assert.Contains("只有客服主管、经理和办公室可以查看投诉统计。", Texts(await h.SayAsync(Rep, "投诉统计")));
        Assert.Contains("只有客服主管、经理和办公室可以查看投诉统计。", Texts(await h.SayAsync(Employee, "投诉统计 2026-11")));
        Assert.Contains("看不懂时间段“下下个月”", Texts(await h.SayAsync(Manager, "投诉统计 下下个月")));
        // An empty month still shows every category and stage, at zero.
        var text = TurnKit.Text(LastCard(await h.SayAsync(Office, "投诉统计")));
        Assert.Contains("投诉总数\n0", text);
        Assert.Contains("员工态度\n0", text);
        Assert.Contains("总结评价\n—", text);
        Assert.Contains("这段时间没有改善对策。", text);
    }
}
