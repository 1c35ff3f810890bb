using System.Text;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.CustomerService;
using ChatRegs.CustomerService.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.CustomerService.Tests.Support.CustomerServiceHost;

namespace ChatRegs.CustomerService.Tests;

/// <summary>Every text at its cap, in Chinese with emoji and quotes: saved, read back, and the cards stay small.</summary>
public sealed class SizeTests
{
    private static string Full(int length) => string.Concat(Enumerable.Repeat("客户说“好”😀", length)).Substring(0, length);

    private static int Bytes(Newtonsoft.Json.Linq.JObject card) => Encoding.UTF8.GetByteCount(card.ToString(Newtonsoft.Json.Formatting.None));

    [Fact]
    public async Task A_customer_with_a_long_history_and_notes_at_their_cap_fits_one_small_card()
    {
        await using var h = await StartAsync();
        var name = Full(50);
        var rows = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"{name.Replace(",", "，")},女士,13900001111,否,{i:D2}{Full(98)},2026-03-04,李娜"));
        await h.ImportAsync(rows);
        foreach (var task in (await h.Callbacks.ListTasksAsync(Tenant, openOnly: false, default)).Take(20))
        {
            await h.FinishCallAsync(task, Satisfaction.Average, Full(1000));
        }
        await h.SayAsync(Supervisor, "客户");
        var file = await h.FileAsync("13900001111");
        for (var i = 0; i < 12; i++)
        {
            await h.PressAsync(RepA, LastCard(await h.SayAsync(RepA, "客户 13900001111")), "添加备案", new { note = Full(1000) });
        }
        Assert.Equal(12, (await h.Store.NotesAsync(Tenant, file.Key, default)).Count(n => n.Text == Full(1000)));

        var card = LastCard(await h.SayAsync(Supervisor, "客户 13900001111"));
        var text = TurnKit.Text(card);
        Assert.Contains("服务记录（20）", text);
        Assert.Contains("回访记录（20）", text);
        Assert.Contains("备案（12）", text);
        Assert.Contains("还有 5 条较早的记录没有显示。", text);
        Assert.Contains("还有 2 条较早的记录没有显示。", text);
        Assert.Contains(Full(1000), text);
        Assert.True(Bytes(card) < 80_000, $"{Bytes(card)} bytes");
    }

    [Fact]
    public async Task Papers_with_every_box_at_its_cap_are_saved_whole_and_exported()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();
        await h.FinishCallAsync(await h.TaskAsync("13900001111", "洗车", new DateOnly(2026, 3, 4)), Satisfaction.Satisfied, Full(1000));
        var log = LastCard(await h.SayAsync(RepA, "工作日志"));
        Assert.Contains("已保存 2026-03-05 的工作日志。", Texts(await h.PressAsync(RepA, log, "保存", new { feedback = Full(2000), special = Full(2000), other = Full(2000) })));
        var saved = await h.Store.GetLogAsync(Tenant, Day, RepA, default);
        Assert.Equal(Full(2000), saved!.Fields["other"]);
        var again = LastCard(await h.SayAsync(RepA, "工作日志"));
        Assert.True(Bytes(again) < 80_000, $"{Bytes(again)} bytes");

        var report = LastCard(await h.SayAsync(RepA, "月报"));
        Assert.Contains("已交 2026-03 的月报。", Texts(await h.PressAsync(RepA, report, "交", new { analysis = Full(2000), matters = Full(2000) })));
        var markdown = Encoding.UTF8.GetString(await h.Get<RepPapers>().MarkdownAsync(Tenant, "2026-03", "zh-CN", default));
        Assert.Contains(Full(2000), markdown);
    }
}
