using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using Microsoft.Bot.Schema;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// Numbers are sequential (TS-yyyyMMdd-NNN): whoever may not read a complaint learns nothing of
/// it from any button, whatever stage it is at, and a copied form id shows nothing either.
/// </summary>
public sealed class ReadPermissionTests
{
    private const string MayNotSee = "只有客服主管、经理、办公室，以及受理或负责这件投诉的人可以查看。";

    /// <summary>Everything the bot answered: texts and cards, as JSON (Chinese unescaped).</summary>
    private static string All(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => Newtonsoft.Json.JsonConvert.SerializeObject(r)));

    private static void AssertNothingOf(string all)
    {
        Assert.DoesNotContain("张丽", all);
        Assert.DoesNotContain("13900001111", all);
        Assert.DoesNotContain("洗完车还有水渍", all);
        Assert.DoesNotContain("重新清洗", all);
    }

    [Fact]
    public async Task Every_step_button_of_a_complaint_moved_on_or_closed_shows_a_stranger_only_the_refusal()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var before = (await h.ComplaintAsync(number)).Events;
        // At 投诉判定 every other stage's button is the "moved on" branch, which showed the whole card before anyone asked who was pressing.
        foreach (var verb in ComplaintStepAction.Steps.Keys)
        {
            var replies = await h.SubmitAsync(Employee, new { verb, number, verdict = "founded", investigator = Employee });
            var all = All(replies);
            AssertNothingOf(all);
            Assert.Contains(MayNotSee, Texts(replies));
        }
        // Closed: the same.
        await h.Host.DriveAsync(h.Host.Get<ComplaintService>().WithdrawAsync(await h.ComplaintAsync(number), new Bot.People.Person { TenantId = Tenant, UserId = Supervisor, Name = "刘洋" },
            new Dictionary<string, string?> { ["withdrawReason"] = "重复登记" }, "zh-CN", default));
        foreach (var verb in new[] { "complaints.judge", "complaints.close", "complaints.withdraw", "complaints.open" })
        {
            var replies = await h.SubmitAsync(Employee, new { verb, number });
            AssertNothingOf(All(replies));
            Assert.Contains(MayNotSee, Texts(replies));
        }
        Assert.Equal(before + 1, (await h.ComplaintAsync(number)).Events);
        // Those who may read it still get the card with where it stands.
        var mine = All(await h.SubmitAsync(Rep, new { verb = "complaints.judge", number }));
        Assert.Contains("张丽", mine);
    }

    [Fact]
    public async Task Another_reps_form_id_registers_nothing_and_shows_nothing_of_their_complaint()
    {
        await using var h = await ComplaintsHost.StartAsync();
        const string formId = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        var form = Newtonsoft.Json.Linq.JObject.FromObject(Form());
        form["verb"] = ComplaintCards.RegisterVerb;
        form["formId"] = formId;
        await h.SubmitAsync(Rep, form);
        var complaints = await h.Store.ListAsync(Tenant, default);
        Assert.Single(complaints);

        // The employee sends a valid form of their own with the rep's form id.
        var theirs = Newtonsoft.Json.Linq.JObject.FromObject(Form(name: "路人", phone: "13800000000", what: "随便看看", request: "无"));
        theirs["verb"] = ComplaintCards.RegisterVerb;
        theirs["formId"] = formId;
        var replies = await h.SubmitAsync(Employee, theirs);
        AssertNothingOf(All(replies));
        Assert.DoesNotContain(complaints[0].Number, All(replies));
        Assert.Contains(MayNotSee, Texts(replies));
        Assert.Single(await h.Store.ListAsync(Tenant, default));

        // The rep pressing their own form again still sees theirs.
        Assert.Contains("张丽", All(await h.SubmitAsync(Rep, form)));
    }

    [Theory]
    [InlineData("0001-01-01", "00:00")]
    [InlineData("0001-01-01", "09:30")]
    [InlineData("9999-12-31", "23:59")]
    [InlineData("1900-02-28", "12:00")]
    public async Task A_complaint_received_at_the_ends_of_the_calendar_gets_the_date_message_and_nothing_is_registered(string date, string time)
    {
        await using var h = await ComplaintsHost.StartAsync();
        var form = Newtonsoft.Json.Linq.JObject.FromObject(Form(date: date, time: time));
        form["verb"] = ComplaintCards.RegisterVerb;
        var replies = await h.SubmitAsync(Rep, form);
        var all = All(replies);
        Assert.True(all.Contains("投诉时间不能早于一年前") || all.Contains("不能晚于"), all[..Math.Min(all.Length, 2000)]);
        Assert.DoesNotContain("机器人出了点问题", all);
        Assert.Empty(await h.Store.ListAsync(Tenant, default));
    }

    [Theory]
    [InlineData("9999-12")]
    [InlineData("0001-01")]
    [InlineData("0001-01-01 0001-01-31")]
    [InlineData("9999-12-01 9999-12-31")]
    public async Task Statistics_of_a_period_at_the_ends_of_the_calendar_say_which_periods_they_read(string period)
    {
        await using var h = await ComplaintsHost.StartAsync();
        var replies = await h.SayAsync(Supervisor, "投诉统计 " + period);
        Assert.Contains("看不懂时间段", Texts(replies));
        var csv = await h.SubmitAsync(Supervisor, new { verb = "complaints.statsCsv", from = period.Split(' ')[0] + (period.Length == 7 ? "-01" : ""), to = "9999-12-31" });
        Assert.Contains("看不懂时间段", Texts(csv));
    }
}
