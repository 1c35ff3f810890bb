using System.Text.Json.Nodes;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Routing;
using ChatRegs.Playground.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Playground.Tests;

/// <summary>
/// The bot in Microsoft's own Teams emulator: Microsoft 365 Agents Playground (npm, pinned),
/// its Teams-like web client driven in Debian's Chromium (js/playground-e2e.js, playwright-core),
/// its mock connector answering the bot's calls, against the real bot on Kestrel and Azurite.
/// Screenshots and the playground's log go to artifacts/playground/ (git-ignored).
/// </summary>
[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class PlaygroundTests
{
    // The playground's default configuration: tenant, the signed-in person (Alex Wilber) and the bot.
    private const string Tenant = "00000000-0000-0000-0000-0000000000001";
    private const string Person = "user-id-0";

    [Fact]
    public async Task In_the_playground_the_bot_welcomes_answers_takes_card_actions_mentions_and_proactive_messages()
    {
        var probe = new ExecuteProbe();
        await using var bot = new PlaygroundBot(services => services.AddSingleton<ICardActionHandler>(probe));
        bot.StartServer();

        var artifacts = Path.Combine(Azurite.RepoRoot(), "artifacts", "playground");
        await using var playground = await AgentsPlayground.StartAsync(bot.MessagesEndpoint, Path.Combine(artifacts, "m365agentsplayground.log"));

        var script = Path.Combine(Azurite.RepoRoot(), "tests", "ChatRegs.Playground.Tests", "js", "playground-e2e.js");
        var steps = new List<JsonObject>();
        var (exitCode, output) = await NodeScript.RunAsync(script, TimeSpan.FromMinutes(4), ["--url", playground.Url, "--out", artifacts, "--proactive-title", ExecuteProbe.ButtonTitle, "--execute-answer", ExecuteProbe.AnswerText], steps, async step =>
        {
            if ((string?)step["step"] != "ready-for-proactive")
            {
                return false;
            }
            // The bot's own proactive path (the person's stored 1:1 reference, its serviceUrl the
            // playground's connector), as reminders and approvals reach people.
            var sent = await bot.Services.GetRequiredService<ProactiveSender>().SendToPersonAsync(
                Tenant, Person, MessageFactory.Attachment(ExecuteProbe.Question()), "playground test");
            Assert.True(sent.Delivered, $"proactive delivery: {sent.Status} {sent.Reason}");
            return true;
        });

        Assert.True(exitCode == 0, $"The browser script failed (exit {exitCode}):\n{output}\nPlayground:\n{playground.Output}");
        var names = steps.Select(s => (string?)s["step"]).ToList();
        foreach (var expected in new[] { "welcome", "typed-command", "card-button", "proactive-arrived", "action-execute", "group-chat", "channel", "done" })
        {
            Assert.Contains(expected, names);
        }

        // One welcome per chat, however Teams (here the playground) announces the installation.
        foreach (var chat in new[] { "welcome", "group-chat", "channel" })
        {
            Assert.True((int)steps.First(s => (string?)s["step"] == chat)["welcomes"]! == 1, $"{chat}: welcomed more than once\n{output}");
        }

        // The click reached the bot as a Teams invoke, from the person, naming the card.
        var (execute, _) = Assert.Single(probe.Calls);
        Assert.Equal(ActivityTypes.Invoke, execute.Type);
        Assert.Equal("adaptiveCard/action", execute.Name);
        Assert.Equal(Person, execute.From.Id);
        Assert.False(string.IsNullOrEmpty(execute.ReplyToId));

        // Every call between playground and bot, both ways, answered 2xx (the playground's log panel) …
        var calls = steps.Where(s => (string?)s["step"] == "call").ToList();
        Assert.Contains(calls, c => (string?)c["name"] == "installationUpdate");
        Assert.Contains(calls, c => (string?)c["name"] == "message" && (string?)c["to"] == "User Application");
        Assert.Contains(calls, c => (string?)c["name"] == "message" && (string?)c["from"] == "User Application");
        var failed = calls.Where(c => c["status"] is not JsonValue v || v.GetValue<int>() is < 200 or > 299).Select(c => c.ToJsonString()).ToList();
        Assert.True(failed.Count == 0, "calls not answered 2xx:\n" + string.Join("\n", failed));
        // … and as the bot saw it: every request it answered, every connector call it made.
        var answered = bot.Answered.Where(a => a.Path == "/api/messages").ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, a => Assert.InRange(a.Status, 200, 299));
        var connector = bot.Logs.Entries.Where(e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal)
            && e.Message.StartsWith("End processing HTTP request", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.NotEmpty(connector);
        Assert.All(connector, m => Assert.Matches(@" - 2\d\d$", m));

        // No error in the bot's log, and no refusal.
        var problems = bot.Logs.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level == LogLevel.Warning && !e.Message.Contains("authentication is OFF", StringComparison.Ordinal)))
            .Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.Message}").ToList();
        Assert.True(problems.Count == 0, "the bot logged:\n" + string.Join("\n", problems));
    }
}
