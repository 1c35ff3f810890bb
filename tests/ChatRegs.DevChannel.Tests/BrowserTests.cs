using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Cards;
using ChatRegs.Bot.Routing;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// The page in Debian's Chromium (playwright-core from node, js/webchat-e2e.js), against the
/// bot started here as a real Kestrel server on a free loopback port, on Azurite. Screenshots
/// go to artifacts/webchat/ (git-ignored). Fails, never skips, when node or Chromium is missing.
/// </summary>
[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class BrowserTests
{
    [Fact]
    public async Task Web_Chat_in_Chromium_chats_with_the_bot_clicks_cards_and_sees_a_proactive_notice()
    {
        var probe = new ExecuteProbe();
        await using var factory = new DevChannelFactory(
            services: s => s.AddSingleton<ICardActionHandler>(probe),
            kestrelPort: Azurite.FreePort());
        factory.StartServer();
        // The developer opens the address the bot printed at start-up, key included.
        Assert.StartsWith(factory.BaseUrl + "/?key=", factory.LoggedPageAddress());

        // A card with an Action.Execute button in the employee's chat, sent the way features send cards.
        await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(ExecuteProbe.Question()));

        var repo = Azurite.RepoRoot();
        var screenshots = Path.Combine(repo, "artifacts", "webchat");
        var script = Path.Combine(repo, "tests", "ChatRegs.DevChannel.Tests", "js", "webchat-e2e.js");
        var (exitCode, output) = await NodeScript.RunAsync(script, TimeSpan.FromMinutes(4),
            ["--url", factory.LoggedPageAddress(), "--out", screenshots,
            "--execute-title", ExecuteProbe.ButtonTitle, "--execute-answer", ExecuteProbe.AnswerText]);

        Assert.True(exitCode == 0, $"The browser script failed (exit {exitCode}):\n{output}");
        Assert.Contains("\"step\":\"done\"", output);
        foreach (var shot in new[] { "01-help-card.png", "02-card-button-answer.png", "03-action-execute.png", "04-notice-arrived.png", "05-meeting-chat.png" })
        {
            Assert.True(File.Exists(Path.Combine(screenshots, shot)), shot + " missing");
        }

        // The click reached the bot as a Teams invoke, from the employee, naming the card.
        var (activity, _) = Assert.Single(probe.Calls);
        Assert.Equal(ActivityTypes.Invoke, activity.Type);
        Assert.Equal("adaptiveCard/action", activity.Name);
        Assert.Equal(DevPeople.Employee.Id, activity.From.Id);
        Assert.False(string.IsNullOrEmpty(activity.ReplyToId));
    }

    /// <summary>
    /// Teams refreshes a card with a <c>refresh</c> (Action.Execute) on its own for the people its
    /// <c>userIds</c> name: the page does too, once per card, with the trigger "automatic", and shows
    /// the card the bot answers in its place; a card whose userIds name someone else is left alone.
    /// </summary>
    [Fact]
    public async Task The_page_refreshes_a_card_on_its_own_for_the_people_it_names_and_only_for_them()
    {
        var probe = new ExecuteProbe();
        await using var factory = new DevChannelFactory(
            services: s => s.AddSingleton<ICardActionHandler>(probe),
            kestrelPort: Azurite.FreePort());
        factory.StartServer();
        static Attachment WithRefresh(string text, string forWhom, string userId)
        {
            var card = ExecuteProbe.Card(new JObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true });
            ((JObject)card.Content)["refresh"] = new JObject
            {
                ["action"] = new JObject { ["type"] = "Action.Execute", ["verb"] = ExecuteProbe.VerbName, ["data"] = new JObject { ["for"] = forWhom } },
                ["userIds"] = new JArray(userId),
            };
            return card;
        }
        await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(WithRefresh("刷新前：给王小明", "employee", DevPeople.Employee.Id)));
        await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(WithRefresh("刷新前：给别人", "someone-else", "29:someone-else")));

        var repo = Azurite.RepoRoot();
        var script = Path.Combine(repo, "tests", "ChatRegs.DevChannel.Tests", "js", "refresh-e2e.js");
        var (exitCode, output) = await NodeScript.RunAsync(script, TimeSpan.FromMinutes(3),
            ["--url", factory.LoggedPageAddress(), "--out", Path.Combine(repo, "artifacts", "webchat"), "--wait-text", ExecuteProbe.AnswerText]);
        Assert.True(exitCode == 0, $"The browser script failed (exit {exitCode}):\n{output}");
        var line = output.Split('\n').Single(l => l.StartsWith("{\"step\":\"cards\"", StringComparison.Ordinal));
        var texts = JObject.Parse(line)["texts"]!.Values<string>().Select(t => t ?? "").ToList();

        // The employee's card was refreshed once, automatically, as them; the other was not.
        var (activity, data) = Assert.Single(probe.Calls);
        Assert.Equal("adaptiveCard/action", activity.Name);
        Assert.Equal("automatic", (string?)JObject.FromObject(activity.Value)["trigger"]);
        Assert.Equal(DevPeople.Employee.Id, activity.From.Id);
        Assert.Equal("employee", (string?)data["for"]);
        Assert.Contains(texts, t => t.Contains($"{ExecuteProbe.AnswerText}：{DevPeople.Employee.Name}", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("刷新前：给王小明", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("刷新前：给别人", StringComparison.Ordinal));
    }

    /// <summary>
    /// Cards with Teams' chart elements in the employee's chat: the page draws each as SVG
    /// (Bot/DevChannel/wwwroot/charts.js), a slice or bar per data point, labels from the card,
    /// the accessible name in the card's language, Okabe–Ito colours.
    /// </summary>
    [Fact]
    public async Task The_page_draws_the_statistics_cards_charts_as_SVG()
    {
        await using var factory = new DevChannelFactory(kestrelPort: Azurite.FreePort());
        factory.StartServer();
        var cards = factory.Services.GetRequiredService<ICardFactory>();
        // The real templates, bound as the features bind them (their sample data), in Chinese.
        foreach (var template in new[] { "CallbackReport", "WeeklyReportDigest", "AttendanceRoll", "AttendanceMonthly" })
        {
            var data = (JsonObject)CardTemplates.LoadSample(template)!.DeepClone();
            await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(cards.Create(template, data, "zh-CN")));
        }
        // And a line chart in English.
        await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(ExecuteProbe.Card(JObject.Parse("""
            { "type": "Chart.Line", "title": "Hand-in rate (%)", "lang": "en",
              "data": [ { "legend": "General office", "values": [ { "x": "W46", "y": 80 }, { "x": "W47", "y": 100 }, { "x": "W48", "y": 75 } ] },
                        { "legend": "Customer service", "values": [ { "x": "W46", "y": 60 }, { "x": "W47", "y": 90 }, { "x": "W48", "y": 95 } ] } ],
              "fallback": { "type": "TextBlock", "text": "no chart", "wrap": true } }
            """))));

        var repo = Azurite.RepoRoot();
        var script = Path.Combine(repo, "tests", "ChatRegs.DevChannel.Tests", "js", "charts-e2e.js");
        var (exitCode, output) = await NodeScript.RunAsync(script, TimeSpan.FromMinutes(3),
            ["--url", factory.LoggedPageAddress(), "--out", Path.Combine(repo, "artifacts", "webchat"), "--expect", "6"]);
        Assert.True(exitCode == 0, $"The browser script failed (exit {exitCode}):\n{output}");
        var line = output.Split('\n').Single(l => l.StartsWith("{\"step\":\"charts\"", StringComparison.Ordinal));
        var all = JObject.Parse(line)["charts"]!.Children<JObject>().ToList();
        Assert.Equal(6, all.Count);
        // One of each type, but two lines: the callback report's trend (Chinese) and the English one.
        var charts = all.Where(c => (string?)c["type"] != "Chart.Line").ToDictionary(c => (string)c["type"]!);
        static List<string> Texts(JObject chart, string key) => chart[key]!.Values<string>().Select(s => s!).ToList();

        var donut = charts["Chart.Donut"];
        Assert.Equal("满意度（已完成的回访）", (string?)donut["title"]);
        Assert.Equal(3, (int)donut["slices"]!);
        Assert.Equal(["满意 4（57.1%）", "一般 2（28.6%）", "不满意 1（14.3%）"], Texts(donut, "labels"));
        Assert.Equal("满意度（已完成的回访）：满意 4，一般 2，不满意 1", (string?)donut["aria"]);

        var pie = charts["Chart.Pie"];
        Assert.Equal(4, (int)pie["slices"]!);
        Assert.Equal(["已交 2（40%）", "逾期 1（20%）", "未交 1（20%）", "免交（请假） 1（20%）"], Texts(pie, "labels"));

        var roll = charts["Chart.HorizontalBar"];
        Assert.Equal(5, (int)roll["bars"]!);
        Assert.Equal(["提前", "准时", "迟到", "请假", "缺席"], Texts(roll, "labels"));
        Assert.Equal(["1", "1", "1", "1", "1"], Texts(roll, "values"));

        var monthly = charts["Chart.VerticalBar"];
        Assert.Equal(7, (int)monthly["bars"]!);
        Assert.Equal(["提前", "准时", "迟到", "请假", "缺席", "早退", "准假"], Texts(monthly, "labels"));
        Assert.Equal(["2", "4", "1", "1", "0", "0", "0"], Texts(monthly, "values"));

        var trend = Assert.Single(all, c => (string?)c["type"] == "Chart.Line" && (string?)c["lang"] != "en");
        Assert.Equal("满意率和三天内回访率（%，按服务日期）", (string?)trend["title"]);
        Assert.Equal(2, (int)trend["lines"]!);
        Assert.Equal(["满意率", "三天内回访率"], Texts(trend, "legends"));
        // The sample's 满意率 has no 03-03: the axis still runs in order.
        Assert.Equal(["03-02", "03-03", "03-05"], Texts(trend, "labels"));

        var lineChart = Assert.Single(all, c => (string?)c["type"] == "Chart.Line" && (string?)c["lang"] == "en");
        Assert.Equal(2, (int)lineChart["lines"]!);
        Assert.Equal(["W46", "W47", "W48"], Texts(lineChart, "labels"));
        Assert.Equal(["General office", "Customer service"], Texts(lineChart, "legends"));
        Assert.StartsWith("Hand-in rate (%): General office W46 80, ", (string?)lineChart["aria"]);

        // Okabe–Ito colours, one per point, in order.
        Assert.Equal(["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"], Texts(monthly, "fills"));
        foreach (var chart in all)
        {
            Assert.True((double)chart["width"]! > 100 && (double)chart["height"]! > 40, $"{chart["type"]} is drawn {chart["width"]}×{chart["height"]}.");
        }
    }
}
