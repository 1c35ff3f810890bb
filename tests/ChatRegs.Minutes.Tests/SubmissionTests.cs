using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>Submission: version 1 to the recipients, action items to their owners; later edits as new versions, the earlier ones kept.</summary>
public sealed class SubmissionTests
{
    [Fact]
    public async Task Submitted_minutes_reach_the_recipients_and_decisions_reach_their_owners()
    {
        await using var host = await StartAsync();
        var replies = await host.SubmitMinutesAsync();
        var all = Replies.All(replies);
        Assert.Contains("会议纪要已提交（第 1 版），已发送给：", all);
        Assert.Contains("总经理室", all);
        Assert.Contains("张伟", all);

        // The configured recipient (the general manager's office) and the host get the minutes card.
        var toGm = host.Feature.Connector.To(FeatureHost.ChatOf(Gm));
        Assert.Equal(["application/vnd.microsoft.card.adaptive", "application/vnd.microsoft.teams.card.file.consent"],
            toGm.Select(c => (string?)c.Body?["attachments"]?[0]?["contentType"]));
        // The Markdown file comes with the card, through Teams' file consent.
        Assert.Equal("会议纪要-weekly-2026-11-30.md", (string?)toGm[1].Body?["attachments"]?[0]?["name"]);
        var gm = toGm[0].Card!;
        var gmText = TurnKit.Text(gm);
        Assert.Contains("第 1 版 · 陈静", gmText);
        // The minutes record the year, month, day, hour and minute of the meeting ((三)五.3).
        Assert.Contains("2026年11月30日 周一 08:30–09:40", gmText);
        Assert.Contains("发言记录：王小明：检查范围为航站楼和货运区。", gmText);
        Assert.Contains("商议结果：12月20日前报送。", gmText);
        Assert.Contains("李娜（请假）", gmText);
        Assert.Contains("1. 完成消防通道清理 — 负责人：王小明，12月4日 周五 前完成", gmText);
        Assert.Contains("《周工作例会》11月30日 周一 的会议纪要已由 陈静 提交", host.Said(Gm));
        Assert.Equal(2, host.Feature.CardsTo(Host).Count);
        // The recorder has the minutes in the reply, not a second copy.
        Assert.Empty(host.Feature.CardsTo(Recorder));

        // The office always gets the minutes; so do the attendees (a series option, on by default), not the absent.
        // (Each gets the minutes card and the Markdown file's consent card.)
        Assert.Equal(2, host.Feature.CardsTo(Office).Count);
        Assert.Contains("2026年11月30日 周一 08:30–09:40", TurnKit.Text(host.Feature.CardsTo(Office)[0]));
        Assert.Equal(2, host.Feature.CardsTo(Lucy).Count);
        Assert.Empty(host.Feature.CardsTo(Zhao));
        Assert.Empty(host.Feature.CardsTo(Bob));

        // The decision is an action item, and its owner has a card to update it.
        var item = Assert.Single(await host.ItemsAsync());
        Assert.Equal(Alice, item.OwnerId);
        Assert.Equal(new DateOnly(2026, 12, 4), item.Due);
        Assert.Equal(Meeting, item.OccurrenceKey);
        Assert.Equal(ActionItemStatus.Open, item.Status);
        // 王小明 attended: the minutes (with the file), then the card of his action item.
        Assert.Equal(3, host.Feature.CardsTo(Alice).Count);
        var card = host.Feature.CardsTo(Alice).Last();
        Assert.Contains("完成消防通道清理", TurnKit.Text(card));
        Assert.Contains("你有一项新的督办事项", host.Said(Alice));
        Assert.Equal(["提交进展"], Replies.Buttons(card));
    }

    [Fact]
    public async Task An_English_recipient_reads_the_minutes_in_English()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["owner_0"] = Lucy;
        await host.SubmitMinutesAsync(form);
        var text = host.Said(Lucy);
        Assert.Contains("You have a new action item (from 周工作例会), due Fri 4 Dec", text);
        Assert.Contains("Send update", Replies.Buttons(host.Feature.CardsTo(Lucy).Last()));
        // Lucy attended, so the minutes reach her too, in English.
        Assert.Equal(3, host.Feature.CardsTo(Lucy).Count);
        Assert.Contains("The minutes of 周工作例会 on Mon 30 Nov were submitted by 陈静", text);
    }

    [Fact]
    public async Task An_edit_after_submission_is_a_new_version_and_the_first_stays_readable()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        host.Feature.Clock.Advance(TimeSpan.FromHours(2));

        // The recorder opens the minutes: the submitted version with an edit button.
        var view = Replies.Card(await host.SayAsync(Recorder, "会议纪要"));
        Assert.Contains("修改（保存为新版本）", Replies.Buttons(view));
        var form = Replies.Card(await host.SubmitAsync(Recorder, Replies.Button(view, "修改（保存为新版本）")));
        Assert.Contains("已提交第 1 版 · 现在修改将保存为第 2 版", TurnKit.Text(form));
        Assert.Contains("提交第 2 版", Replies.Buttons(form));

        var edit = FilledForm();
        edit["outcome_t1"] = "12月18日前报送。";
        edit["desc_1"] = "更新值班表";
        edit["owner_1"] = Zhao;
        edit["due_1"] = "2026-12-09";
        var replies = await host.SubmitFormAsync(edit, Host);
        Assert.Contains("已保存为第 2 版（之前的版本保留）", Replies.All(replies));
        var latest = Replies.Card(replies);
        Assert.Contains("第 2 版 · 张伟 · 11月30日 周一 12:00", TurnKit.Text(latest));
        Assert.Contains("查看第 1 版", Replies.Buttons(latest));

        var versions = await host.Store.VersionsAsync(Tenant, Meeting, default);
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal("12月20日前报送。", versions[0].Content.Topics[1].Outcome);
        Assert.Equal("陈静", versions[0].ByName);
        Assert.Equal("12月18日前报送。", versions[1].Content.Topics[1].Outcome);
        Assert.Equal("张伟", versions[1].ByName);

        // Version 1 as it was.
        var first = Replies.Card(await host.SubmitAsync(Alice, Replies.Button(latest, "查看第 1 版")));
        Assert.Contains("第 1 版 · 陈静", TurnKit.Text(first));
        Assert.Contains("（最新为第 2 版）", TurnKit.Text(first));
        Assert.Contains("商议结果：12月20日前报送。", TurnKit.Text(first));

        // The new decision became a second item; the first one was not duplicated.
        var items = await host.ItemsAsync();
        Assert.Equal(2, items.Count);
        Assert.Single(items, i => i.OwnerId == Zhao);
        Assert.Contains("《周工作例会》11月30日 周一 的会议纪要已更新为第 2 版", host.Said(Gm));
    }

    [Fact]
    public async Task A_submission_that_conflicts_saves_nothing_neither_its_version_nor_its_action_items()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        var item = Assert.Single(await host.ItemsAsync());

        // The working copy still says "not submitted" while version 1 exists (another copy of the
        // form submitted meanwhile): the host's different minutes, with a changed decision, conflict.
        var doc = (await host.Store.GetAsync(Tenant, Meeting, default))!;
        await host.Store.SaveAsync(doc with { Version = 0 }, default);
        var other = FilledForm();
        other["outcome_t0"] = "另一个结果";
        other["desc_0"] = "另一项决议";
        var failed = Replies.All(await host.SubmitFormAsync(other, Host));

        Assert.DoesNotContain("会议纪要已提交", failed);
        Assert.Contains("没有保存成功，请稍后再试。", failed);
        var version = Assert.Single(await host.Store.VersionsAsync(Tenant, Meeting, default));
        Assert.Equal("同意按计划检查。", version.Content.Topics[0].Outcome);
        var unchanged = Assert.Single(await host.ItemsAsync());
        Assert.Equal(item.Description, unchanged.Description);
        Assert.Equal(item.History.Count, unchanged.History.Count);
    }

    [Fact]
    public async Task A_decision_taken_out_in_a_later_version_is_cancelled_and_its_owner_told()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        var edit = FilledForm();
        edit["desc_0"] = "";
        edit["owner_0"] = "";
        edit["due_0"] = "";
        await host.SubmitMinutesAsync(edit);
        var item = Assert.Single(await host.ItemsAsync());
        Assert.Equal(ActionItemStatus.Cancelled, item.Status);
        Assert.Equal((2, true), (item.History[^1].MinutesVersion, item.History[^1].Removed));
        Assert.Contains("已在会议纪要第 2 版中删除", host.Said(Alice));
    }

    [Fact]
    public async Task The_minutes_card_offers_its_files_through_teams_file_consent()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        var card = Replies.Card(await host.SayAsync(Alice, "会议纪要"));
        var replies = await host.SubmitAsync(Alice, Replies.Button(card, "导出 Markdown"));
        var consent = replies.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single();
        Assert.Equal("application/vnd.microsoft.teams.card.file.consent", consent.ContentType);
        Assert.Equal("会议纪要-weekly-2026-11-30.md", consent.Name);
        var en = await host.SubmitAsync(Lucy, Replies.Button(card, "导出 CSV"), "en-US");
        Assert.Equal("minutes-weekly-2026-11-30.csv", en.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single().Name);
        // Someone who may not read the minutes gets no file.
        var refused = await host.SubmitAsync(Stranger, Replies.Button(card, "导出 CSV"));
        Assert.DoesNotContain(refused, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        Assert.Contains("只有这次例会的与会人员", Replies.All(refused));
    }

    [Fact]
    public async Task The_minutes_export_as_markdown_and_csv_with_every_version()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        var context = (await host.Feature.Get<MinutesService>().LoadAsync(Tenant, Meeting, default))!;
        var versions = await host.Store.VersionsAsync(Tenant, Meeting, default);
        var cards = host.Feature.Get<MinutesCards>();
        var localizer = host.Feature.Get<ChatRegs.Bot.Localization.Localizer>();
        var md = System.Text.Encoding.UTF8.GetString(MinutesExport.Markdown(context, versions, cards, localizer, "zh-CN"));
        Assert.Contains("# 会议纪要 — 周工作例会", md);
        Assert.Contains("2026/11/30 08:30–09:40", md);
        Assert.Contains("### 1. 十二月安全检查安排", md);
        Assert.Contains("商议结果：同意按计划检查。", md);
        var csv = System.Text.Encoding.UTF8.GetString(MinutesExport.Csv(context, versions, cards, localizer, "en"));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Version,Edited by,Edited at,Meeting,Date,Start,End,Host,Recorder,Attendees,Absentees,Kind,Topic/decision,Discussion,Outcome,Owner,Due", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith("decision,完成消防通道清理,,,王小明,2026-12-04", lines[3]);
    }
}
