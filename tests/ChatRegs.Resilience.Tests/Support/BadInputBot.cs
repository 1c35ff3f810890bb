using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Resilience.Tests.Support;

/// <summary>
/// The whole bot over HTTP for the bad-input corpora (<c>BadInputCorpusTests</c>,
/// <c>OddCommandArgumentTests</c>): a web app of its own that has had one ordinary turn (tables
/// exist, the attacker is a known employee), posts raw bodies (never a 500, never the apology for
/// an unhandled error) and counts them.
/// </summary>
public sealed class BadInputBot : IAsyncDisposable
{
    private BadInputBot(BotFactory factory)
    {
        Factory = factory;
        Client = factory.CreateClient();
    }

    public BotFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>How many bodies were posted.</summary>
    public int Tried { get; set; }

    public static async Task<BadInputBot> StartAsync()
    {
        var bot = new BadInputBot(new BotFactory());
        // One ordinary turn first: tables exist and the attacker is a known employee.
        await TeamsHttp.PostAsync(bot.Client, Activity("message", "帮助"));
        return bot;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    public static string Activity(string type, string? text = null, string extra = "", string conversationId = "a:attacker", string? locale = "zh-CN") =>
        TeamsHttp.Activity(type, text, conversationId, locale, extra);

    /// <summary>Every record a feature keeps (<see cref="RecordSnapshot"/>).</summary>
    public Task<Dictionary<string, string>> SnapshotAsync() => RecordSnapshot.TakeAsync(Factory.Services);

    public async Task PostRawAsync(string label, string body, string contentType = "application/json")
    {
        Tried++;
        var response = await Client.PostAsync("/api/messages", new StringContent(body, Encoding.UTF8, contentType));
        var code = (int)response.StatusCode;
        Assert.True(code < 500, $"{label}: HTTP {code}");
        if (code == 200)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (text.Length > 0)
            {
                var replies = JsonNode.Parse(text)?["activities"]?.AsArray() ?? [];
                foreach (var reply in replies)
                {
                    // An answer in words, never the apology for an unhandled error.
                    var said = reply?["text"]?.ToString() ?? "";
                    Assert.False(said.Contains("机器人出了点问题") || said.Contains("something went wrong"), $"{label}: the bot apologised for an unhandled error");
                }
            }
        }
    }

    public void AssertNoUnhandledErrors()
    {
        var errors = Factory.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "unhandled errors logged:\n" + string.Join("\n", errors.Select(e => e.Message + " " + e.Exception?.GetType().Name + ": " + e.Exception?.Message)));
    }
}
