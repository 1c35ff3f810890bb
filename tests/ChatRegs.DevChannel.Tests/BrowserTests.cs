using System.ComponentModel;
using System.Diagnostics;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Routing;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

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
        var (exitCode, output) = await RunNodeAsync(script, TimeSpan.FromMinutes(4),
            "--url", factory.LoggedPageAddress(), "--out", screenshots,
            "--execute-title", ExecuteProbe.ButtonTitle, "--execute-answer", ExecuteProbe.AnswerText);

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

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string script, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail("The browser test needs Node.js (`node` on PATH) and Debian's Chromium (/usr/bin/chromium); scripts/test.sh installs Chromium. " + e.Message);
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout}\n{await stdout}\n{await stderr}");
            }
            return (process.ExitCode, (await stdout) + (await stderr));
        }
    }
}
