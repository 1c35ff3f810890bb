using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;
using static ChatRegs.TestSupport.TextAtCap;

namespace ChatRegs.Minutes.Tests;

/// <summary>
/// Minutes grown topic by topic, every discussion record and outcome at its cap in Chinese with
/// emoji: each save either saves or, once the whole would not fit one record, says so in the
/// user's language with nothing lost; what was saved is then submitted as a version.
/// </summary>
public sealed class SizeTests
{
    [Fact]
    public async Task Minutes_at_the_most_topics_that_fit_save_and_submit_and_one_more_topic_is_refused_with_a_clear_message()
    {
        await using var host = await StartAsync();
        var max = new MinutesOptions().MaxTextLength;
        var form = FilledForm(MinutesActions.SaveVerb);
        foreach (var id in new[] { "t0", "t1" })
        {
            form["discussion_" + id] = Full(max, "发言" + id);
            form["outcome_" + id] = Full(max, "结果" + id);
        }
        var saved = 0;
        string? refusal = null;
        for (var n = 0; n < 30 && refusal == null; n++)
        {
            form.Remove("rev");
            form["title_x" + n] = Full(60, "议题" + n);
            form["discussion_x" + n] = Full(max, "发言x" + n);
            form["outcome_x" + n] = Full(max, "结果x" + n);
            var all = Replies.All(await host.SubmitFormAsync(form));
            if (all.Contains("草稿已保存"))
            {
                saved = n + 1;
            }
            else
            {
                refusal = all;
            }
        }
        Assert.NotNull(refusal);
        Assert.Contains("整份会议纪要太长", refusal);
        Assert.DoesNotContain("稍后再试", refusal);
        Assert.True(saved >= 5, $"only {saved} extra topics saved");

        // Nothing saved was lost: the last saved draft holds every topic, word for word.
        var doc = (await host.Store.GetAsync(Tenant, Meeting, default))!;
        Assert.Equal(2 + saved, doc.Content.Topics.Count);
        Assert.Equal(Full(max, "发言x" + (saved - 1)), doc.Content.Topics[^1].Discussion);

        // Those minutes are submitted: the working copy, the version and the action item are saved together.
        var submit = FilledForm();
        submit.Remove("rev");
        foreach (var p in form.Properties().Where(p => p.Name.Contains('_') && !p.Name.EndsWith("x" + saved, StringComparison.Ordinal)))
        {
            submit[p.Name] = p.Value;
        }
        Assert.Contains("会议纪要已提交（第 1 版）", Replies.All(await host.SubmitFormAsync(submit)));
        var version = Assert.Single(await host.Store.VersionsAsync(Tenant, Meeting, default));
        Assert.Equal(2 + saved, version.Content.Topics.Count);
        Assert.Single(await host.ItemsAsync());
    }

    [Fact]
    public async Task An_action_item_reported_on_again_and_again_with_the_longest_notes_keeps_saving()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync();
        var item = Assert.Single(await host.ItemsAsync());
        for (var i = 0; i < 100; i++)
        {
            var note = Full(MinutesStore.MaxNoteChars, $"第{i}次进展");
            await host.Store.SaveItemAsync(item with
            {
                Status = ActionItemStatus.InProgress,
                Note = note,
                History = [.. item.History, new ActionItemUpdate(ActionItemStatus.InProgress, note, Alice, "王小明", DateTimeOffset.UtcNow)],
            }, default);
            item = (await host.ItemsAsync()).Single();
            Assert.Equal(note, item.History[^1].Note);
        }
        // The first entry (the assignment) is kept, and the latest ones.
        Assert.Equal(ActionItemStatus.Open, item.History[0].Status);
        Assert.Equal(Full(MinutesStore.MaxNoteChars, "第99次进展"), item.Note);
    }
}
