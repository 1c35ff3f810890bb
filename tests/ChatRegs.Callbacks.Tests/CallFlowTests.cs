using Newtonsoft.Json.Linq;
using ChatRegs.TestSupport;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Bot.Builder;

namespace ChatRegs.Callbacks.Tests;

/// <summary>The guided call, step by step, in both branches and both languages, word for word.</summary>
public sealed class CallFlowTests : IAsyncLifetime
{
    private CallbacksHost _host = null!;

    private static readonly DateOnly Served = new(2026, 3, 4);

    public async Task InitializeAsync()
    {
        _host = await CallbacksHost.StartAsync();
        await _host.ImportAsync(CallbacksHost.ThreeCustomers);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_satisfied_branch_reads_the_regulation_word_for_word_and_saves_a_complete_record()
    {
        var task = await _host.TaskAsync("13800138000", "汽车保养", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);

        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        Assert.Equal("您好我是李娜,请问您是王小明先生吗?", CallKit.Line(card));
        Assert.Equal(["本人", "非本人", "无人接听", "不方便，约时间"], Replies.Buttons(card));
        Assert.Contains("开始 · 第 1 步", Replies.TextBlocks(card));

        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));
        Assert.Equal("打扰您了。\n感谢您在2026年3月4日时光理解了我们公司的汽车保养服务项目,请问您对汽车保养服务项目满意吗?", CallKit.Line(card));
        Assert.Equal(["满意", "一般", "不满意"], Replies.Buttons(card));

        card = CallKit.LastCard(await _host.PressAsync(rep, card, "满意", new { words = "挺好的" }));
        Assert.Equal("您对我们的服务有什么推荐吗?", CallKit.Line(card));

        card = CallKit.LastCard(await _host.PressAsync(rep, card, "有建议（已记录）", new { words = "希望周末也能预约" }));
        Assert.Equal("感谢您的答复,您如果需要什么帮忙,可随时跟我们取得联系,祝您开车愉快,再见!", CallKit.Line(card));
        Assert.Contains("结束 · 第 4 步", Replies.TextBlocks(card));

        var replies = await _host.PressAsync(rep, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });
        Assert.Contains("回访已保存：王小明先生，满意。在服务后 3 天内完成。", CallKit.Texts(replies));

        var saved = await _host.TaskAsync("13800138000", "汽车保养", Served);
        Assert.Equal(CallbackStatus.Finished, saved.Status);
        Assert.Equal(Satisfaction.Satisfied, saved.Satisfaction);
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal(CallOutcome.Finished, record.Outcome);
        Assert.Equal(("regulation-7", 1), (record.ScriptId, record.ScriptVersion));
        Assert.Equal("李娜", record.RepName);
        Assert.Equal(["opening", "satisfaction", "suggestion", "closingSatisfied"], record.Steps.Select(s => s.StepId));
        Assert.Equal(["本人", "满意", "有建议（已记录）", "结束通话并保存"], record.Steps.Select(s => s.AnswerLabel));
        Assert.Equal("希望周末也能预约", record.SuggestionWords);
        Assert.Equal("挺好的 / 希望周末也能预约", record.CustomerWords);
        Assert.False(record.ComplaintOffered);
        Assert.Equal("感谢您的答复,您如果需要什么帮忙,可随时跟我们取得联系,祝您开车愉快,再见!", record.Steps[^1].Line);
    }

    [Fact]
    public async Task The_dissatisfied_branch_requires_the_customers_words_the_complaint_offer_and_the_follow_up_before_it_closes()
    {
        var task = await _host.TaskAsync("13900001111", "洗车", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        Assert.Equal("您好我是李娜,请问您是张丽女士吗?", CallKit.Line(card));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "不满意"));
        Assert.Equal("能否告诉我您对哪方面不满意吗?/我们应改善哪方面的工作", CallKit.Line(card));
        Assert.Equal("客户的回答是“不满意”：请问客户是否需要登记投诉？", ComplaintQuestion(card));

        // Nothing typed, nothing chosen: both errors next to their fields; the card comes back.
        var replies = await _host.PressAsync(rep, card, "已记录，继续", new { words = "" });
        Assert.Contains("表单中有 2 处需要修改", CallKit.Texts(replies));
        card = CallKit.LastCard(replies);
        var text = Replies.TextBlocks(card);
        Assert.Contains("请记录客户的原话，这是必填的。", text);
        Assert.Contains("请询问客户是否需要登记投诉，并选择。", text);
        Assert.Equal("能否告诉我您对哪方面不满意吗?/我们应改善哪方面的工作", CallKit.Line(card));

        // The words typed are kept when the other field is still missing.
        replies = await _host.PressAsync(rep, card, "已记录，继续", new { words = "洗完车还有水渍" });
        card = CallKit.LastCard(replies);
        Assert.Equal("洗完车还有水渍", (string?)ChatRegs.TestSupport.TurnKit.Input(card, "words")["value"]);
        Assert.Contains("请询问客户是否需要登记投诉，并选择。", Replies.TextBlocks(card));

        card = CallKit.LastCard(await _host.PressAsync(rep, card, "已记录，继续", new { words = "洗完车还有水渍", complaint = "yes" }));
        Assert.Equal("十分多谢您的反应,这一点我们的确做得不够,我们很快就会有改善的望您监督,祝您开车愉快,再见!", CallKit.Line(card));

        // The closing: a follow-up must be chosen, and described when needed.
        replies = await _host.PressAsync(rep, card, "结束通话并保存", new { greeting = "holiday", followUp = "" });
        Assert.Contains("请选择是否需要跟进。", Replies.TextBlocks(CallKit.LastCard(replies)));
        Assert.Equal(CallbackStatus.Open, (await _host.Store.GetTaskAsync(CallbacksHost.Tenant, task.Id, default))!.Status);
        Assert.Empty(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        replies = await _host.PressAsync(rep, CallKit.LastCard(replies), "结束通话并保存", new { greeting = "holiday", followUp = "yes", followUpNote = "" });
        Assert.Contains("需要跟进时，请写明跟进什么。", Replies.TextBlocks(CallKit.LastCard(replies)));

        replies = await _host.PressAsync(rep, CallKit.LastCard(replies), "结束通话并保存", new { greeting = "holiday", followUp = "yes", followUpNote = "店长回电致歉" });
        var texts = CallKit.Texts(replies);
        Assert.Contains("回访已保存：张丽女士，不满意。在服务后 3 天内完成。已标记需要跟进。", texts);
        // Handed over to the complaints feature: registered from the call (投诉受理), and the rep
        // gets the 顾客投诉登记表 filled in so far to complete.
        Assert.Contains("已为 张丽 登记投诉 TS-20260305-001（投诉受理），请在", texts);
        Assert.Equal("顾客投诉登记表 TS-20260305-001", Replies.TextBlocks(CallKit.LastCard(replies))[0]);

        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal(Satisfaction.Dissatisfied, record.Satisfaction);
        Assert.Equal("洗完车还有水渍", record.ComplaintWords);
        Assert.True(record.ComplaintOffered);
        Assert.True(record.ComplaintAccepted);
        Assert.Equal("TS-20260305-001", record.ComplaintId);
        Assert.True(record.FollowUp);
        Assert.Equal("店长回电致歉", record.FollowUpNote);
        // The greeting chosen at the end is the one in the recorded line.
        Assert.Equal("十分多谢您的反应,这一点我们的确做得不够,我们很快就会有改善的望您监督,祝您节日快乐,再见!", record.Steps[^1].Line);
        Assert.True((await _host.TaskAsync("13900001111", "洗车", Served)).FollowUp);
    }

    [Fact]
    public async Task The_english_average_branch_reads_the_translation()
    {
        var task = await _host.TaskAsync("13700002222", "car wash", Served);
        var rep = _host.Adapter(CallbacksHost.RepEn);
        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        Assert.Equal("Hello, this is Mike. Am I speaking with Ms. Smith?", CallKit.Line(card));
        Assert.Equal(["Yes, the customer", "Not the customer", "No answer", "Not convenient, book a time"], Replies.Buttons(card));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "Yes, the customer"));
        Assert.Equal("Sorry to disturb you.\nThank you for choosing our company for the car wash service on 4 March 2026. Are you satisfied with the car wash service?", CallKit.Line(card));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "Average"));
        Assert.Equal("Could you tell me what you were not satisfied with? / What should we improve?", CallKit.Line(card));
        // The complaint question says what the customer said, not that they were dissatisfied.
        Assert.Equal("The customer answered “Average”: does the customer want a complaint registered?", ComplaintQuestion(card));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "Recorded, continue", new { words = "Took too long", complaint = "no" }));
        Assert.Equal("Thank you very much for your feedback. We really fell short here; we will improve soon, and we hope you will keep an eye on us. We wish you a safe drive. Goodbye!", CallKit.Line(card));
        var replies = await _host.PressAsync(rep, card, "End the call and save", new { greeting = "drive", followUp = "no" });
        Assert.Contains("Callback saved: Ms. Smith, Average. Finished within 3 days of the service.", CallKit.Texts(replies));
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal("en", record.Language);
        Assert.True(record.ComplaintOffered);
        Assert.False(record.ComplaintAccepted);
    }

    [Fact]
    public async Task A_button_of_an_earlier_step_is_refused_and_cancel_saves_nothing()
    {
        var task = await _host.TaskAsync("13800138000", "汽车保养", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var opening = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        var second = CallKit.LastCard(await _host.PressAsync(rep, opening, "本人"));
        Assert.Contains("满意吗", CallKit.Line(second));

        // The opening card again (its "无人接听" would record a failed attempt): refused, nothing saved.
        var replies = await _host.PressAsync(rep, opening, "无人接听");
        Assert.Contains("这张卡片是之前的步骤，请在最新的卡片上回答。", Replies.TextBlocks(CallKit.LastCard(replies)));
        Assert.Equal(0, (await _host.TaskAsync("13800138000", "汽车保养", Served)).FailedAttempts);

        replies = await _host.SayAsync(rep, "取消");
        Assert.Contains("已取消。", CallKit.Texts(replies));
        Assert.Empty(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal(CallbackStatus.Open, (await _host.TaskAsync("13800138000", "汽车保养", Served)).Status);

        // After the call ended, its cards' buttons say so.
        replies = await _host.PressAsync(rep, second, "满意");
        Assert.Contains("这个按钮已经失效，请重新发送命令。", CallKit.Texts(replies));
    }

    [Fact]
    public async Task A_complaint_the_customer_accepts_goes_to_the_complaints_feature_with_the_calls_details()
    {
        var intake = new RecordingIntake();
        await using var host = await CallbacksHost.StartAsync(configure: s => s.AddSingleton<IComplaintIntake>(intake));
        await host.ImportAsync("张丽,女士,13900001111,否,洗车,2026-03-04,李娜");
        var task = await host.TaskAsync("13900001111", "洗车", Served);
        var rep = host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await host.StartAsync(rep, task.Id));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "一般"));
        Assert.Equal("客户的回答是“一般”：请问客户是否需要登记投诉？", ComplaintQuestion(card));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "已记录，继续", new { words = "排队太久", complaint = "yes" }));
        await host.PressAsync(rep, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });

        var draft = Assert.Single(intake.Drafts);
        Assert.Equal(("张丽", "ms", "13900001111", "洗车"), (draft.CustomerName, draft.Title, draft.Phone, draft.ServiceItem));
        Assert.Equal(("排队太久", Satisfaction.Average, "李娜", "regulation-7 v1"), (draft.CustomerWords, draft.Satisfaction, draft.RepName, draft.Script));
        var record = Assert.Single(await host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal("TS-001", record.ComplaintId);
    }

    [Fact]
    public async Task On_a_public_holiday_the_closing_proposes_happy_holidays()
    {
        // 2 October 2026, National Day holiday.
        await using var host = await CallbacksHost.StartAsync(new DateTimeOffset(2026, 10, 2, 10, 0, 0, TimeSpan.FromHours(8)));
        await host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-09-30,李娜");
        var task = await host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 9, 30));
        var rep = host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await host.StartAsync(rep, task.Id));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "满意"));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "没有建议"));
        Assert.Equal("感谢您的答复,您如果需要什么帮忙,可随时跟我们取得联系,祝您节日快乐,再见!", CallKit.Line(card));
        Assert.Equal("holiday", (string?)ChatRegs.TestSupport.TurnKit.Input(card, "greeting")["value"]);
    }

    /// <summary>The label of the card's "does the customer want a complaint registered" choice.</summary>
    private static string ComplaintQuestion(JObject card) =>
        (string)card.Descendants().OfType<JObject>().Single(o => (string?)o["id"] == "complaint")["label"]!;

    private sealed class RecordingIntake : IComplaintIntake
    {
        public List<CallbackComplaintDraft> Drafts { get; } = [];

        public Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken)
        {
            Drafts.Add(draft);
            return Task.FromResult<string?>("TS-001");
        }

        public Task<string?> RegisterLaterAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken)
        {
            Drafts.Add(draft);
            return Task.FromResult<string?>("TS-001");
        }
    }
}
