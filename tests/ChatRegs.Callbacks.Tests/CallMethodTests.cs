using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// 回访方式 (客服工作职责(6): 电话沟通、电邮沟通、信息业务, issue #23): a callback records how it was
/// made, 电话 by default. By e-mail or message the rep gets the script as text to copy and send
/// (the customer's name and the service filled in), then records the reply as for a phone call.
/// The method shows on the call's cards, the record, the 回访记录表 and the report.
/// </summary>
public sealed class CallMethodTests : IAsyncLifetime
{
    private static readonly DateOnly Served = new(2026, 3, 4);
    private CallbacksHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await CallbacksHost.StartAsync();
        await _host.ImportAsync(CallbacksHost.ThreeCustomers);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_queue_offers_phone_e_mail_and_message_and_phone_is_the_default()
    {
        var task = await _host.TaskAsync("13800138000", "汽车保养", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var queue = Replies.Card(await _host.SayAsync(rep, "回访"));
        var buttons = queue.Descendants().OfType<JObject>().Where(o => (string?)o["type"] == "Action.Submit" && (string?)o["data"]?["taskId"] == task.Id).ToList();
        Assert.Equal(["开始回访", "电邮回访", "信息回访"], buttons.Select(b => (string)b["title"]!));
        Assert.Equal([null, "email", "message"], buttons.Select(b => (string?)b["data"]!["method"]));

        // 开始回访: by phone, no script text sent, the card says so.
        var replies = await _host.StartAsync(rep, task.Id);
        Assert.Equal("", CallKit.Texts(replies));
        var card = CallKit.LastCard(replies);
        Assert.Contains("回访方式", TurnKit.Text(card));
        Assert.Contains("电话", Replies.TextBlocks(card).Concat(Facts(card)));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "满意"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "没有建议"));
        await _host.PressAsync(rep, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });
        Assert.Equal(CallMethod.Phone, Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default)).Method);
    }

    [Fact]
    public async Task By_e_mail_the_rep_gets_the_script_as_text_then_records_the_reply_as_for_a_call()
    {
        var task = await _host.TaskAsync("13800138000", "汽车保养", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var replies = await _host.SubmitAsync(rep, new { verb = "callbacks.start", taskId = task.Id, method = "email" });
        var texts = replies.Select(r => r.AsMessageActivity()?.Text).Where(t => !string.IsNullOrEmpty(t)).Select(t => CardMarkdown.Unescape(t!)).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Equal("这次是电邮回访。请把下一条消息里的话术复制下来，用电邮发给 王小明先生（电话 13800138000）。客户回复后，按客户的答复在下面的卡片上逐步记录，和电话回访一样。", texts[0]);
        Assert.Equal(
        [
            "您好我是李娜,请问您是王小明先生吗?",
            "打扰您了。",
            "感谢您在2026年3月4日时光理解了我们公司的汽车保养服务项目,请问您对汽车保养服务项目满意吗?",
            "（如满意）您对我们的服务有什么推荐吗?",
            "（如一般或不满意）能否告诉我您对哪方面不满意吗?/我们应改善哪方面的工作",
            "感谢您的答复,您如果需要什么帮忙,可随时跟我们取得联系,祝您开车愉快,再见!",
        ], texts[1].Split('\n').Select(l => l.TrimEnd()));

        // The reply is recorded on the same cards as a call.
        var card = CallKit.LastCard(replies);
        Assert.Contains("电邮", Facts(card));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "满意"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "有建议（已记录）", new { words = "邮件里说：希望周末也能预约" }));
        var saved = await _host.PressAsync(rep, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });
        Assert.Contains("回访已保存：王小明先生，满意。", CallKit.Texts(saved));
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal(CallMethod.Email, record.Method);
        Assert.Equal("邮件里说：希望周末也能预约", record.SuggestionWords);

        // On the 回访记录表 and the report.
        var sup = _host.Adapter(CallbacksHost.Supervisor);
        var report = Replies.Card(await _host.SayAsync(sup, "回访报告 2026-03"));
        Assert.Contains("电话 0 · 电邮 1 · 信息 0", Facts(report));
        var sheet = await ExportKit.FileAsync(_host, await _host.PressAsync(sup, report, "导出回访记录表 CSV"));
        var csv = System.Text.Encoding.UTF8.GetString(sheet.Bytes);
        Assert.Contains(",回访方式,", csv);
        Assert.Contains(",完成回访,电邮,", csv);
    }

    [Fact]
    public async Task By_message_in_english_and_a_forged_method_starts_nothing()
    {
        var task = await _host.TaskAsync("13700002222", "car wash", Served);
        var rep = _host.Adapter(CallbacksHost.RepEn);

        var forged = await _host.SubmitAsync(rep, new { verb = "callbacks.start", taskId = task.Id, method = "fax" });
        Assert.Equal("There is no such way to call back. Use: phone, e-mail or message.", CallKit.Texts(forged));
        Assert.DoesNotContain(forged, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        var forgedZh = await _host.SubmitAsync(_host.Adapter(CallbacksHost.RepA), new { verb = "callbacks.start", taskId = (await _host.TaskAsync("13800138000", "汽车保养", Served)).Id, method = new[] { "email" } });
        Assert.Equal("没有这种回访方式。可以用：电话、电邮、信息。", CallKit.Texts(forgedZh));

        var replies = await _host.SubmitAsync(rep, new { verb = "callbacks.start", taskId = task.Id, method = "message" });
        var texts = CardMarkdown.Unescape(CallKit.Texts(replies));
        Assert.Contains("This callback is by message. Copy the script in the next message and send it by message to Ms. Smith (phone 13700002222).", texts);
        Assert.Contains("Hello, this is Mike. Am I speaking with Ms. Smith?", texts);
        Assert.Contains("(If Satisfied) Do you have any suggestions about our service?", texts);
        Assert.Contains("(If Average or Dissatisfied) Could you tell me what you were not satisfied with?", texts);
        var card = CallKit.LastCard(replies);
        Assert.Contains("message", Facts(card));
        Assert.Contains("Recorded: No answer", CallKit.Texts(await _host.PressAsync(rep, card, "No answer")));
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal((CallOutcome.NoAnswer, CallMethod.Message), (record.Outcome, record.Method));
    }

    private static IReadOnlyList<string> Facts(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => o["title"] != null && o["value"] != null && o["type"] == null)
            .Select(o => CardMarkdown.Visible(o["value"])!).ToList();
}
