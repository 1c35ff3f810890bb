using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using Microsoft.Extensions.Logging;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>Only the approver decides; concurrent clicks give one decision and one notice; withdrawals race safely; a storage failure changes nothing.</summary>
public sealed class ReliabilityTests
{
    [Fact]
    public async Task A_forged_approval_from_anyone_else_is_refused_logged_and_changes_nothing()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var before = (await host.Store.GetAsync(Tenant, id))!;

        // 赵强 forges the host's button with Wang's request id; Wang tries to approve his own; Amy in English.
        var forged = await host.ExecuteAsync(People.Zhao, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = "批准" });
        Assert.Equal("只有这条请假的审批人可以审批。你的操作已被拒绝并记录，请假没有任何变化。", InvokeMessage(forged));
        var own = await host.ExecuteAsync(People.Wang, "leave.approve", new JsonObject { ["id"] = id });
        Assert.Equal("只有这条请假的审批人可以审批。你的操作已被拒绝并记录，请假没有任何变化。", InvokeMessage(own));
        var english = await host.ExecuteAsync(People.Amy, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "no" }, "en-US");
        Assert.Equal("Only the approver of this leave request can decide it. Your attempt was refused and logged; nothing changed.", InvokeMessage(english));
        // The same as an Action.Submit, and asking to see the card.
        var submitted = await host.SubmitAsync(People.Zhao, new JsonObject { ["verb"] = "leave.approve", ["id"] = id });
        Assert.Equal("只有这条请假的审批人可以审批。你的操作已被拒绝并记录，请假没有任何变化。", ReadableText(submitted));
        var show = await host.SubmitAsync(People.Zhao, new JsonObject { ["verb"] = "leave.show", ["id"] = id });
        Assert.Equal("只有这条请假的审批人可以审批。你的操作已被拒绝并记录，请假没有任何变化。", ReadableText(show));

        var after = (await host.Store.GetAsync(Tenant, id))!;
        Assert.Equal(LeaveStatus.Pending, after.Status);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Single(await host.Store.HistoryAsync(Tenant, id));
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Empty(host.Connector.UpdatedIn(Chat(People.Host)));

        var refusals = host.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains($"leave request {id}", StringComparison.Ordinal) && e.Message.StartsWith("Refused", StringComparison.Ordinal)).ToList();
        Assert.Contains(refusals, e => e.Message.Contains(People.Zhao, StringComparison.Ordinal) && e.Message.Contains("leave.approve", StringComparison.Ordinal));
        Assert.Contains(refusals, e => e.Message.Contains(People.Wang, StringComparison.Ordinal));
        Assert.Contains(refusals, e => e.Message.Contains(People.Amy, StringComparison.Ordinal) && e.Message.Contains("leave.reject", StringComparison.Ordinal));

        // A made-up id answers plainly.
        var unknown = await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = "20261130-zzzzzzzzzz" });
        Assert.Equal("找不到这条请假申请，卡片可能已经失效。", InvokeMessage(unknown));
    }

    [Fact]
    public async Task A_leave_form_sent_twice_at_the_same_moment_is_one_request_and_one_approval_card()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });
        JsonObject Form() => new()
        {
            ["verb"] = "leave.submit",
            ["type"] = "sick",
            ["reason"] = "周一上午要去医院复查，医生只约到了早上的号。",
            ["summary"] = "完成了三号楼验收资料的整理，和监理确认了整改清单。",
            ["plan"] = "下周一提交验收申请，周三前完成全部整改。",
        };

        var sends = await Task.WhenAll(host.SubmitAsync(People.Wang, Form()), host.SubmitAsync(People.Wang, Form()));

        var texts = sends.Select(ReadableText).ToList();
        Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang));
        Assert.Single(host.Connector.PostedTo(Chat(People.Host)));
        Assert.Single(texts, t => t.Contains("已提交请假申请", StringComparison.Ordinal));
        // The other send is answered in words: "already sent" when both turns read the form's
        // state before either saved it, else whatever a form with no flow behind it gets.
        Assert.All(texts, t => Assert.NotEmpty(t));
        Assert.DoesNotContain(texts, t => t.Contains("没有保存成功", StringComparison.Ordinal));
        Assert.Equal(["submitted"], (await host.Store.HistoryAsync(Tenant, (await host.Store.ListByRequesterAsync(Tenant, People.Wang)).Single().Id)).Select(h => h.Action));
    }

    [Fact]
    public async Task One_form_token_stores_one_request_whatever_sends_it()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var first = (await host.Store.GetAsync(Tenant, id))!;
        LeaveRequest Copy() => first with { Id = LeaveStore.NewId(new DateOnly(2026, 11, 30)), ETag = null };

        var sends = await Task.WhenAll(host.Store.CreateOnceAsync(Copy(), "token-1"), host.Store.CreateOnceAsync(Copy(), "token-1"));

        Assert.Single(sends, s => s.Created);
        Assert.Single(sends.Select(s => s.Request.Id).Distinct());
        Assert.Equal(2, (await host.Store.ListByRequesterAsync(Tenant, People.Wang)).Count);
        // Another form's token is another request.
        Assert.True((await host.Store.CreateOnceAsync(Copy(), "token-2")).Created);
    }

    [Fact]
    public async Task Two_clicks_at_the_same_moment_give_one_decision_and_one_notice()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var cardId = host.Connector.PostedTo(Chat(People.Host)).Single().MessageId;

        // Both clicks read the request before either writes.
        host.Faults.HoldRequestReads(2);
        var clicks = await Task.WhenAll(
            host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = "同意" }, replyToId: cardId),
            host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = "同意" }, replyToId: cardId));

        var texts = clicks.Select(c => CardText(InvokeCard(c))).ToList();
        Assert.All(texts, t => Assert.Contains("已批准 · 张伟 · 11月26日 周四 10:00", t));
        Assert.Single(texts, t => t.Contains("你已批准这条请假，已通知申请人。", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("这条请假已经处理过了：已批准 · 张伟 · 11月26日 周四 10:00。没有做任何修改。", StringComparison.Ordinal));
        Assert.All(clicks, c => Assert.Empty(Verbs(InvokeCard(c))));

        Assert.Equal(["submitted", "approved"], (await host.Store.HistoryAsync(Tenant, id)).Select(h => h.Action));
        Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));

        // A third click later: the same answer, still one notice.
        var later = InvokeCard(await host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "改主意了" }, replyToId: cardId));
        Assert.Contains("这条请假已经处理过了：已批准", CardText(later));
        Assert.Equal(LeaveStatus.Approved, (await host.Store.GetAsync(Tenant, id))!.Status);
        Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
    }

    [Fact]
    public async Task Approve_and_reject_racing_each_other_give_exactly_one_outcome()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);

        host.Faults.HoldRequestReads(2);
        var clicks = await Task.WhenAll(
            host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id }),
            host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "本周人手不够" }, "en-US"));

        var stored = (await host.Store.GetAsync(Tenant, id))!;
        Assert.NotEqual(LeaveStatus.Pending, stored.Status);
        Assert.Equal(2, (await host.Store.HistoryAsync(Tenant, id)).Count);
        var notice = Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.StartsWith(stored.Status == LeaveStatus.Approved ? "你的请假已批准" : "你的请假未获批准", notice.ReadableText);
        var zh = CardText(InvokeCard(clicks[0]));
        var en = CardText(InvokeCard(clicks[1]));
        if (stored.Status == LeaveStatus.Approved)
        {
            Assert.Contains("你已批准这条请假", zh);
            Assert.Contains("This request was already handled: Approved", en);
        }
        else
        {
            Assert.Contains("You rejected this leave", en);
            Assert.Contains("这条请假已经处理过了：未批准", zh);
        }
    }

    [Fact]
    public async Task Withdrawing_a_pending_request_updates_the_approvers_card_and_a_late_click_changes_nothing()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var card = host.Connector.PostedTo(Chat(People.Host)).Single();

        var list = Card(await host.SayAsync(People.Wang, "我的请假"));
        Assert.Contains("待 张伟 审批", CardText(list));
        Assert.Equal(["leave.withdraw"], Verbs(list));

        var withdrawn = InvokeCard(await host.ExecuteAsync(People.Wang, "leave.withdraw", new JsonObject { ["id"] = id }));
        var text = CardText(withdrawn);
        Assert.Contains("已撤回：周工作例会 11月30日 周一 08:30–09:30。审批人那里的卡片也已更新。", text);
        Assert.Contains("申请人已于 11月26日 周四 10:00 撤回", text);
        Assert.Empty(Verbs(withdrawn));

        // The approver's card now says so, without buttons.
        var update = Assert.Single(host.Connector.UpdatedIn(Chat(People.Host)));
        Assert.Equal(card.MessageId, update.MessageId);
        Assert.Contains("申请人已于 11月26日 周四 10:00 撤回", CardText(update.CardJson!));
        Assert.Empty(Verbs(update.CardJson!));

        // Pressing Approve on a card that was not refreshed: the current state, nothing changes, nobody is told.
        var late = InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id }, replyToId: card.MessageId));
        Assert.Contains("这条请假已经处理过了：申请人已于 11月26日 周四 10:00 撤回。没有做任何修改。", CardText(late));
        Assert.Equal(LeaveStatus.Withdrawn, (await host.Store.GetAsync(Tenant, id))!.Status);
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Equal(["submitted", "withdrawn"], (await host.Store.HistoryAsync(Tenant, id)).Select(h => h.Action));

        // Withdrawing twice, or once it is decided: refused with the reason.
        var again = InvokeCard(await host.ExecuteAsync(People.Wang, "leave.withdraw", new JsonObject { ["id"] = id }, "en-US"));
        Assert.Contains("Cannot withdraw: 周工作例会 Mon 30 Nov 08:30–09:30 was already handled (Withdrawn by the requester on Thu 26 Nov 10:00).", CardText(again));
    }

    [Fact]
    public async Task Withdrawal_racing_the_approval_ends_in_exactly_one_of_them()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var cardId = host.Connector.PostedTo(Chat(People.Host)).Single().MessageId;

        host.Faults.HoldRequestReads(2);
        var results = await Task.WhenAll(
            host.ExecuteAsync(People.Wang, "leave.withdraw", new JsonObject { ["id"] = id }),
            host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id }, replyToId: cardId));

        var stored = (await host.Store.GetAsync(Tenant, id))!;
        var history = await host.Store.HistoryAsync(Tenant, id);
        Assert.Equal(2, history.Count);
        var withdrawText = CardText(InvokeCard(results[0]));
        var approveText = CardText(InvokeCard(results[1]));
        if (stored.Status == LeaveStatus.Withdrawn)
        {
            Assert.Contains("已撤回：", withdrawText);
            Assert.Contains("这条请假已经处理过了：申请人已于", approveText);
            Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));
        }
        else
        {
            Assert.Equal(LeaveStatus.Approved, stored.Status);
            Assert.Contains("不能撤回：周工作例会 11月30日 周一 08:30–09:30 已经处理（已批准 · 张伟", withdrawText);
            Assert.Contains("你已批准这条请假", approveText);
            Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
        }

        // Only the requester withdraws.
        var other = await host.ExecuteAsync(People.Zhao, "leave.withdraw", new JsonObject { ["id"] = id });
        Assert.Equal("只有申请人本人可以撤回这条请假。", InvokeMessage(other));
    }

    [Fact]
    public async Task A_storage_failure_while_deciding_says_not_saved_and_leaves_it_pending()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var cardId = host.Connector.PostedTo(Chat(People.Host)).Single().MessageId;

        host.Faults.FailWrites = true;
        var failed = InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = "同意，注意休息" }, replyToId: cardId));
        var text = CardText(failed);
        Assert.Contains("没有保存成功，请稍后再试。已保存的内容不受影响。", text);
        Assert.Contains("待 张伟 审批", text);
        Assert.Equal(["leave.approve", "leave.reject"], Verbs(failed));
        Assert.Equal("同意，注意休息", InputValue(failed, "comment"));
        Assert.True(host.Faults.FailedWrites > 0);
        Assert.Equal(LeaveStatus.Pending, (await host.Store.GetAsync(Tenant, id))!.Status);
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));

        var english = InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id }, "en-US", cardId));
        Assert.Contains("Not saved. Please try again. Nothing saved earlier was affected.", CardText(english));

        // Storage is back: pressing again works, once.
        host.Faults.FailWrites = false;
        var ok = InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = "同意，注意休息" }, replyToId: cardId));
        Assert.Contains("你已批准这条请假，已通知申请人。", CardText(ok));
        Assert.Equal(["submitted", "approved"], (await host.Store.HistoryAsync(Tenant, id)).Select(h => h.Action));
        Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
    }

    [Fact]
    public async Task A_storage_failure_while_asking_saves_nothing_and_the_form_can_be_sent_again()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        var form = new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "去深圳参加供应商年度评审会。",
            ["fromDate"] = "2026-12-02", ["fromHalf"] = "am", ["toDate"] = "2026-12-03", ["toHalf"] = "pm",
        };
        host.Faults.FailWrites = true;
        var failed = await host.SubmitAsync(People.Wang, form);
        Assert.Equal("没有保存成功，请稍后再试。已保存的内容不受影响。", ReadableText(failed).Trim());
        Assert.Empty(host.Connector.PostedTo(Chat(People.Li)));
        host.Faults.FailWrites = false;
        Assert.Empty(await host.Store.ListAllAsync(Tenant));

        var done = await host.SubmitAsync(People.Wang, form);
        Assert.StartsWith("已提交请假申请：按天请假 12月2日 周三 至 12月3日 周四（共 2 个工作日）。等待 李娜 审批", ReadableText(done));
        Assert.Single(await host.Store.ListAllAsync(Tenant));
        Assert.Single(host.Connector.PostedTo(Chat(People.Li)));
    }

    [Fact]
    public async Task Deciding_with_a_plain_submit_updates_the_card_in_place_and_the_approver_can_open_waiting_requests()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var original = host.Connector.PostedTo(Chat(People.Host)).Single();

        // The approver's list shows what waits for them, and opens the card again.
        var list = Card(await host.SayAsync(People.Host, "我的请假"));
        Assert.Contains("待我审批（1）", CardText(list));
        Assert.Contains("王小明 · 周工作例会", CardText(list));
        var shown = Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "leave.show", ["id"] = id }));
        Assert.Equal(["leave.approve", "leave.reject"], Verbs(shown));

        // A client without Universal Actions sends a plain submit: the reply shows the outcome and the card in the chat is updated.
        var replies = await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "leave.approve", ["id"] = id, ["comment"] = "" });
        Assert.Contains("已批准 · 张伟", CardText(Card(replies)));
        Assert.Contains(host.Connector.UpdatedIn(Chat(People.Host)), u => u.MessageId == original.MessageId && CardText(u.CardJson!).Contains("已批准 · 张伟", StringComparison.Ordinal));
        Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));

        // Nothing waits any more.
        Assert.DoesNotContain("待我审批", CardText(Card(await host.SayAsync(People.Host, "我的请假"))));
    }
}
