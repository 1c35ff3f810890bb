using Azure.Data.Tables;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using ChatRegs.Complaints.Tests.Support;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>Numbers never shared; a step saved twice from the same reading keeps only the first, with its event.</summary>
public sealed class StoreTests
{
    [Fact]
    public async Task Registrations_at_the_same_moment_get_different_numbers_in_order_per_day()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var numbers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => h.Store.NextNumberAsync(Tenant, "TS", Day, default)));
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"TS-20261126-{n:D3}"), numbers.Order(StringComparer.Ordinal));
        Assert.Equal("TS-20261127-001", await h.Store.NextNumberAsync(Tenant, "TS", Day.AddDays(1), default));
        Assert.Equal("TS-20261126-013", await h.Store.NextNumberAsync(Tenant, "TS", Day, default));
    }

    [Fact]
    public async Task Two_people_moving_the_same_step_from_the_same_reading_save_only_the_first()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var service = h.Host.Get<ComplaintService>();
        var people = h.Host.Get<PeopleDirectory>();
        var liu = (await people.GetAsync(Tenant, Supervisor))!;
        var amy = (await people.GetAsync(Tenant, SupervisorEn))!;
        var read = await h.ComplaintAsync(number);

        var first = await service.JudgeAsync(read, liu, new Dictionary<string, string?>
        {
            ["reasonsSufficient"] = "yes", ["requestReasonable"] = "yes", ["verdict"] = "founded", ["investigator"] = Investigator, ["askedForTime"] = "true", ["replyByDate"] = "2026-12-20", ["replyByTime"] = "18:00",
        }, "zh-CN", default);
        Assert.True(first.Saved);
        await Assert.ThrowsAsync<StorageConflictException>(() => service.JudgeAsync(read, amy, new Dictionary<string, string?> { ["reasonsSufficient"] = "no", ["requestReasonable"] = "no", ["verdict"] = "unfounded", ["reply"] = "no" }, "en", default));

        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Investigate, ComplaintVerdict.Founded, 2), (c.Stage, c.Verdict, c.Events));
        Assert.Equal(["李娜:registered", "刘洋:founded"], await h.EventsAsync(number));
    }

    [Fact]
    public async Task When_the_complaints_table_cannot_be_written_the_person_is_told_it_was_not_saved()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var form = LastCard(await h.SayAsync(Rep, "投诉"));
        await h.Host.Get<TableServiceClient>().DeleteTableAsync(h.Host.Get<TableNames>().Complaints);
        var replies = await h.PressAsync(Rep, form, "登记投诉", Form());
        var texts = Texts(replies);
        Assert.Contains("没有保存成功，请稍后再试。", texts);
        Assert.DoesNotContain("已登记投诉", texts);
    }

    [Fact]
    public async Task Pressing_register_twice_on_one_form_registers_one_complaint_and_tells_the_supervisors_once()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var form = LastCard(await h.SayAsync(Rep, "投诉"));

        var first = await h.PressAsync(Rep, form, "登记投诉", Form());
        var second = await h.PressAsync(Rep, form, "登记投诉", Form());

        var complaint = Assert.Single(await h.Store.ListAsync(Tenant, default));
        Assert.Contains($"已登记投诉 {complaint.Number}", Texts(first));
        Assert.Contains($"这张登记表已经登记过了：投诉 {complaint.Number}（没有重复登记）。", Texts(second));
        Assert.Single(h.Host.CardsTo(Supervisor));
        Assert.Equal(["李娜:registered"], await h.EventsAsync(complaint.Number));

        // A new form is a new complaint.
        await h.RegisterAsync();
        Assert.Equal(2, (await h.Store.ListAsync(Tenant, default)).Count);
    }
}
