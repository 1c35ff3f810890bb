using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// 实施处理方案: the customer's signature as a photo or scan sent with "投诉 签字 TS-…" (Teams' file
/// hosts only, size-capped; only its name, link, size, who and when are kept), then chosen in the step.
/// </summary>
public sealed class SignatureTests
{
    private static async Task<(ComplaintsHost Host, TeamsFileHost Files)> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var files = new TeamsFileHost();
        var h = await ComplaintsHost.StartAsync(settings, configure: services =>
            services.AddHttpClient(CallbackFiles.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => files));
        return (h, files);
    }

    [Fact]
    public async Task The_rep_sends_the_signature_photo_and_the_step_records_it_instead_of_the_paper()
    {
        var (h, files) = await StartAsync();
        await using var _ = h;
        var number = await h.ToImplementationAsync();
        var photo = new byte[3000];
        var url = files.Add("签字.jpg", photo);

        // No file, a file that is no photo, a file from elsewhere than Teams: refused, nothing kept.
        Assert.Contains($"请把顾客签字的照片或扫描件作为附件，和“投诉 签字 {number}”一起发送。", Texts(await h.SayAsync(Rep, "投诉 签字 " + number)));
        Assert.Contains("「合同.docx」不是照片或扫描件。", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "合同.docx", files.Add("合同.docx", [1]))));
        Assert.Contains("没有下载「签字.jpg」：机器人只接收在 Teams 聊天里发送的文件。", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字.jpg", "https://evil.example.com/签字.jpg")));
        Assert.Contains("没有下载「签字.jpg」", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字.jpg", "http://contoso-my.sharepoint.com/x.jpg")));
        Assert.DoesNotContain(files.Requests, r => r.Host != "contoso-my.sharepoint.com");
        Assert.Null((await h.ComplaintAsync(number)).SignatureFile);

        // The investigator may read it but the step is not his; the employee may not even read it.
        Assert.Contains("只有当前步骤的负责人或客服主管可以处理这一步，你只能查看。", Texts(await h.SendFileAsync(Investigator, "投诉 签字 " + number, "签字.jpg", url)));
        Assert.Contains("只有客服主管、经理、办公室，以及受理或负责这件投诉的人可以查看。", Texts(await h.SendFileAsync(Employee, "投诉 签字 " + number, "签字.jpg", url)));
        Assert.Null((await h.ComplaintAsync(number)).SignatureFile);

        // The rep who carries out the plan sends it: its name, link, size, who and when are kept.
        var replies = await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字.jpg", url);
        Assert.Contains($"已记录投诉 {number} 的顾客签字：签字.jpg（3 KB）。", Texts(replies));
        var c = await h.ComplaintAsync(number);
        Assert.Equal(("签字.jpg", url, 3000L, Rep, "李娜"), (c.SignatureFile!.Name, c.SignatureFile.Url, c.SignatureFile.Size, c.SignatureFile.ById, c.SignatureFile.ByName));
        var card = LastCard(replies);
        Assert.Equal("upload", (string?)TurnKit.Input(card, "signatureMethod")["value"]);
        Assert.Contains("签字照片/扫描件（已上传：签字.jpg）", TurnKit.Input(card, "signatureMethod")["choices"]!.Select(x => (string)x["title"]!));

        // The step: penalties, the uploaded signature, the feedback.
        replies = await h.PressAsync(Rep, card, "提交实施结果", new { confirmed = "yes", penaltyPerson = "王师傅", penaltyPersonWhat = "扣绩效 100 元", penaltyHead = "刘组长", penaltyHeadWhat = "通报批评", signatureMethod = "upload", feedback = "顾客满意" });
        Assert.Contains($"实施结果已记录：投诉 {number} 交客服主管总结评价", Texts(replies));
        c = await h.ComplaintAsync(number);
        Assert.Equal(("upload", (string?)null), (c.SignatureMethod, c.SignatureKeeper));
        Assert.Contains("顾客签字\n签字.jpg（3 KB，李娜 ", TurnKit.Text(LastCard(replies)));
        Assert.Equal(["signatureUploaded", "implemented"], (await h.EventsAsync(number)).TakeLast(2).Select(e => e.Split(':')[1]));

        // After the step, a signature is no longer taken.
        Assert.Contains($"投诉 {number} 现在在“总结评价”，只有在“实施处理方案”这一步才能上传顾客签字。", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字2.jpg", files.Add("签字2.jpg", [1, 2]))));
        Assert.Equal("签字.jpg", (await h.ComplaintAsync(number)).SignatureFile!.Name);
    }

    [Fact]
    public async Task A_file_over_the_cap_a_group_chat_and_an_english_rep_are_each_answered()
    {
        var (h, files) = await StartAsync(new() { ["ChatRegs:Complaints:MaxSignatureBytes"] = "2048" });
        await using var _ = h;
        var number = await h.ToImplementationAsync();

        Assert.Contains("「签字.png」太大了，最多 2 KB。", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字.png", files.Add("签字.png", new byte[5000]))));
        Assert.Contains("投诉只在和机器人的私聊中处理", Texts(await h.SendFileAsync(Rep, "投诉 签字 " + number, "签字.png", files.Add("签字.png", [1]),
            h.Host.Adapter(Rep, conversationId: "19:group-chat", conversationType: "groupChat"))));
        Assert.Contains("没有找到投诉 TS-20261126-999。", Texts(await h.SayAsync(Rep, "投诉 签字 TS-20261126-999")));
        Assert.Contains("请这样发送：投诉 签字 TS-20261126-001", Texts(await h.SayAsync(Rep, "投诉 签字 ../../etc")));
        Assert.Null((await h.ComplaintAsync(number)).SignatureFile);

        // The supervisor may step in; in English, the English command and messages.
        var replies = await h.SendFileAsync(SupervisorEn, "complaint signature " + number.ToLowerInvariant(), "scan.pdf", files.Add("scan.pdf", new byte[1500]));
        Assert.Contains($"The customer's signature for complaint {number} is recorded: scan.pdf (2 KB).", Texts(replies));
        Assert.Equal("Amy", (await h.ComplaintAsync(number)).SignatureFile!.ByName);
        Assert.Contains("Please attach the photo or scan of the customer's signature", Texts(await h.SayAsync(SupervisorEn, "complaint signature " + number)));
    }
}
