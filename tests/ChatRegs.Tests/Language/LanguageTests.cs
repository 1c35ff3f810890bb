using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Tests.Language;

/// <summary>
/// Whose language the bot speaks (docs/language.md), through the bot over HTTP as Teams sends it:
/// a person's choice, else the command word they typed, else their Teams locale; proactive
/// messages by the same rule; a shared chat's own language, set only by the office or the chat's
/// meeting host, whoever writes there.
/// </summary>
public sealed class LanguageTests
{
    private const string Tenant = "tenant-lang";
    private const string Channel = "19:weekly@thread.tacv2";
    // Friday 27 Nov 2026, 09:00 in Shanghai.
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, FeatureHost.Shanghai);

    private static Task<HttpFeatureHost> StartAsync() => HttpFeatureHost.StartAsync(Tenant, Now);

    [Fact]
    public async Task A_command_is_answered_in_the_language_it_was_typed_in_whatever_the_Teams_locale()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:li", "李娜");

        // A Chinese command from an English Teams client.
        var zh = ReadableText(await host.SayAsync("29:li", "我是谁", "en-US"));
        Assert.Contains("我的信息", zh);
        Assert.DoesNotContain("About me", zh);
        // An English command from a Chinese Teams client.
        var en = ReadableText(await host.SayAsync("29:li", "whoami", "zh-CN"));
        Assert.Contains("About me", en);
        Assert.DoesNotContain("我的信息", en);
        // Not a command: the Teams locale decides, as before.
        Assert.Contains("Show what I can do", ReadableText(await host.SayAsync("29:li", "hello?", "en-US")));
        Assert.Contains("查看自己的角色、部门和审批人", ReadableText(await host.SayAsync("29:li", "你好", "zh-CN")));
    }

    [Fact]
    public async Task A_chosen_language_wins_over_the_command_word_and_the_Teams_locale_and_shows_in_whoami()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:li", "李娜");

        Assert.Equal("OK, I will use English with you from now on.", Texts(await host.SayAsync("29:li", "语言 English", "zh-CN")));
        var me = ReadableText(await host.SayAsync("29:li", "我是谁", "zh-CN"));
        Assert.Contains("About me", me);
        Assert.Contains("English (your choice)", me);
        Assert.Equal("en", (await host.Get<PeopleDirectory>().GetAsync(Tenant, "29:li"))!.ChosenLanguage);

        // The other way round, from an English client, by the card's button.
        var card = Card(await host.SayAsync("29:li", "language", "en-US"));
        Assert.Contains("Your language now: English (your choice)", CardText(card));
        var chinese = card["actions"]!.AsArray().Select(a => a!["data"]!.AsObject()).Single(d => ((string)d["command"]!).EndsWith("中文"));
        Assert.Equal("好的，以后和你用中文交流。", Texts(await host.SubmitAsync("29:li", chinese, "en-US")));
        var whoami = ReadableText(await host.SayAsync("29:li", "whoami", "en-US"));
        Assert.Contains("我的信息", whoami);
        Assert.Contains("中文（你选择的）", whoami);

        // A name it does not know changes nothing, and says so in the person's language.
        Assert.Contains("不认识这种语言", ReadableText(await host.SayAsync("29:li", "language Klingon", "en-US")));
        Assert.Equal("zh-CN", (await host.Get<PeopleDirectory>().GetAsync(Tenant, "29:li"))!.ChosenLanguage);
    }

    [Fact]
    public async Task A_flow_keeps_the_language_it_started_in()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:li", "李娜");
        // Started in Chinese from an English client; the answer typed next is not a command.
        Assert.Contains("建议", ReadableText(await host.SayAsync("29:li", "建议", "en-US")));
        var next = ReadableText(await host.SayAsync("29:li", "会议材料提前一天发到群里", "en-US"));
        Assert.DoesNotMatch("[A-Za-z]{6,}", next.Replace("ChatRegs", ""));
    }

    [Fact]
    public async Task Choosing_a_language_in_the_middle_of_a_flow_switches_it_and_the_flow_asks_its_question_again()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:li", "李娜");
        Assert.Contains("请用一句话写下你的建议标题", ReadableText(await host.SayAsync("29:li", "建议", "zh-CN")));

        // Not taken as the suggestion's title: the choice is saved, and the question comes again (a
        // typed question comes back as it was asked; a card form, below, is drawn in the new language).
        var switched = await host.SayAsync("29:li", "语言 English", "zh-CN");
        Assert.Equal("OK, I will use English with you from now on.", (string?)switched[0]!["text"]);
        Assert.Matches("请用一句话写下你的建议标题|Give your suggestion a one-line title", ReadableText(switched));
        Assert.DoesNotContain("语言 English", ReadableText(switched));
        Assert.Equal("en", (await host.Get<PeopleDirectory>().GetAsync(Tenant, "29:li"))!.ChosenLanguage);

        // The flow goes on, in English: the next answer is the title.
        var form = ReadableText(await host.SayAsync("29:li", "会议材料提前一天发到群里", "zh-CN"));
        Assert.Contains("Improvement suggestion", form);
        Assert.Contains("会议材料提前一天发到群里", form);

        // And back to Chinese on the form's step.
        var back = await host.SayAsync("29:li", "language 中文", "zh-CN");
        Assert.Equal("好的，以后和你用中文交流。", (string?)back[0]!["text"]);
        Assert.Contains("合理化建议", ReadableText(back));
    }

    [Fact]
    public async Task A_reminder_goes_out_in_the_language_the_person_chose()
    {
        await using var host = await StartAsync();
        await host.DepartmentAsync("综合部", "29:zhang");
        await host.PersonAsync("29:zhang", "张伟", "综合部");
        await host.PersonAsync("29:li", "李娜", "综合部", locale: "zh-CN");
        await host.PersonAsync("29:sam", "Sam Lee", "综合部", locale: "en-US");
        // 李娜's Teams is Chinese but she chose English; Sam's is English but he chose Chinese.
        await host.SayAsync("29:li", "language English", "zh-CN");
        await host.SayAsync("29:sam", "语言 中文", "en-US");
        await host.SayAsync("29:zhang", "周报", "zh-CN");
        await host.RunDueJobsAsync();

        host.MoveTo(new DateTimeOffset(2026, 11, 27, 14, 0, 0, FeatureHost.Shanghai));
        host.Connector.Clear();
        await host.RunDueJobsAsync();
        var li = Assert.Single(host.Connector.To(FeatureHost.ChatOf("29:li"))).ReadableText;
        Assert.Contains("Your report for 2026-W48", li);
        var sam = Assert.Single(host.Connector.To(FeatureHost.ChatOf("29:sam"))).ReadableText;
        Assert.Contains("周报还没有交", sam);
    }

    [Fact]
    public async Task A_shared_chat_keeps_its_language_when_an_English_speaker_writes_and_only_the_office_or_its_host_changes_it()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:zhang", "张伟");
        await host.PersonAsync("29:wang", "王小明");
        await host.PersonAsync("29:mike", "Mike", locale: "en-US");
        await host.PersonAsync("29:chen", "陈静", roles: "office");
        // The last one the bot saw in the channel wrote from an English client.
        await host.KnowChatAsync(Channel, "29:mike", "Mike", "channel", "en-US");
        await BotSeed.WeeklySeriesAsync(host.Services, Tenant, Channel, "29:zhang", recorder: null, ["29:wang", "29:mike"], Now, createdBy: "29:chen");

        // Mike writes English in the Chinese team's channel: his answer is his, in English…
        Assert.Contains("Show what I can do", ReadableText(await host.SayAsync("29:mike", "help", "en-US", Channel, "channel")));
        // …but what the bot posts there for everyone stays Chinese: the check-in card, posted by
        // the job (the channel's stored locale is Mike's en-US).
        await host.Get<MeetingJobs>().ScheduleUpcomingAsync(Tenant, "weekly", default);
        host.MoveTo(new DateTimeOffset(2026, 11, 30, 8, 0, 0, FeatureHost.Shanghai));
        await host.RunDueJobsAsync();
        var posted = Assert.Single(host.Connector.PostedTo(Channel)).ReadableText;
        Assert.Contains("签到", posted);
        Assert.DoesNotContain("Check in", posted);
        // What goes to Mike alone is in his language: a personal flow moved to his 1:1 chat.
        host.Connector.Clear();
        await host.SayAsync("29:mike", "suggest", "en-US", Channel, "channel");
        Assert.Contains("suggestion", Assert.Single(host.Connector.To(FeatureHost.ChatOf("29:mike"))).ReadableText, StringComparison.OrdinalIgnoreCase);

        // A participant with no role may not change it (deny by default), whatever language they ask in.
        Assert.Equal("只有办公室或本群例会的主持人可以更改本群的语言。", Texts(await host.SayAsync("29:wang", "本群语言 English", "zh-CN", Channel, "channel")));
        Assert.Equal("Only the office or this chat's meeting host can change this chat's language.", Texts(await host.SayAsync("29:mike", "chat language English", "en-US", Channel, "channel")));
        Assert.Contains("默认", Texts(await host.SayAsync("29:wang", "本群语言", "zh-CN", Channel, "channel")));
        Assert.Null(await host.Get<PeopleDirectory>().GetChatLanguageAsync(Tenant, Channel));
        // In a 1:1 chat it is not a setting at all.
        Assert.Contains("只在群聊、频道或会议聊天里使用", Texts(await host.SayAsync("29:chen", "本群语言 English", "zh-CN")));

        // The channel's meeting host sets English (from a Chinese client, in a thread of the channel):
        // the next check-in card is English.
        Assert.StartsWith("This chat's language is now English", Texts(await host.SayAsync("29:zhang", "本群语言 English", "zh-CN", Channel + ";messageid=1700000000000", "channel")));
        Assert.Contains("已设置", Texts(await host.SayAsync("29:wang", "本群语言", "zh-CN", Channel, "channel")));
        host.Connector.Clear();
        host.MoveTo(new DateTimeOffset(2026, 12, 7, 8, 0, 0, FeatureHost.Shanghai));
        await host.RunDueJobsAsync();
        var english = Assert.Single(host.Connector.PostedTo(Channel)).ReadableText;
        Assert.Contains("Check", english);
        Assert.DoesNotContain("签到", english);
        // The office sets it back.
        Assert.StartsWith("本群的语言已改为中文", Texts(await host.SayAsync("29:chen", "chat language 中文", "en-US", Channel, "channel")));
        Assert.Contains("language: en → zh-CN", (await host.Get<PeopleDirectory>().ListAuditAsync(Tenant)).Select(a => a.Change));
    }
}
