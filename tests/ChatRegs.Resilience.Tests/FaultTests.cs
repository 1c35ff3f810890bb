using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using ChatRegs.Bot.Core;

namespace ChatRegs.Resilience.Tests;

/// <summary>An Azurite of the test's own, on disk, that the test can stop and start again.</summary>
public sealed class OwnAzurite : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatregs-azurite-").FullName;
    private Process? _process;

    public int Port { get; } = Azurite.FreePort();

    public string ConnectionString => Azurite.ForPort(Port);

    public async Task StartAsync()
    {
        var exe = Path.Combine(Azurite.RepoRoot(), "node_modules", ".bin", "azurite-table");
        var psi = new ProcessStartInfo(exe, $"--tableHost 127.0.0.1 --tablePort {Port} --location {_folder} --skipApiVersionCheck --disableTelemetry")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Node starts slowly on a loaded machine: allow a minute.
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("Azurite exited: " + string.Join("\n", output));
            }
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("Azurite did not start: " + string.Join("\n", output));
    }

    /// <summary>Stops it as an operator would (SIGINT: it writes its data file and closes).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            Process.Start("kill", ["-INT", _process.Id.ToString()])!.WaitForExit();
            if (!_process.WaitForExit(15_000))
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class StorageOutageTests
{
    private const string Tenant = "tenant-http";

    private static string CheckIn(string userId, string occurrence) =>
        TeamsHttp.Activity("message", conversationId: "19:meeting-chat@thread.v2", extra: $"\"value\": {{\"verb\":\"meetings.checkin\",\"occurrence\":\"{occurrence}\"}},")
            .Replace("\"29:1abc\"", $"\"{userId}\"")
            .Replace("\"conversationType\": \"personal\"", "\"conversationType\": \"groupChat\"");

    [Fact]
    public async Task Storage_stopped_in_the_middle_of_a_rush_loses_no_one_told_they_checked_in()
    {
        await using var azurite = new OwnAzurite();
        await azurite.StartAsync();
        await using var factory = new BotFactory(new() { ["ChatRegs:Storage:ConnectionString"] = azurite.ConnectionString });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        // A meeting in ten minutes: its check-in window is open now.
        var people = Enumerable.Range(0, 120).Select(i => $"29:rush-{i:D3}").ToList();
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(10), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;
        var start = new TimeOnly(local.Hour, local.Minute);
        var end = start.AddMinutes(60);
        var series = new MeetingSeries
        {
            TenantId = Tenant,
            Id = "rush",
            Name = "周一例会",
            HostId = "29:host",
            ConversationId = "19:meeting-chat@thread.v2",
            Schedule = end > start ? MeetingSchedule.OnceOn(DateOnly.FromDateTime(local), start, end) : MeetingSchedule.OnceOn(DateOnly.FromDateTime(local), start, new TimeOnly(23, 59)),
        };
        await factory.Services.GetRequiredService<MeetingStore>().CreateSeriesAsync(series, people, default);
        var occurrence = MeetingOccurrence.KeyFor("rush", DateOnly.FromDateTime(local).ToDateTime(start));

        var told = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        async Task Attempt(string person)
        {
            try
            {
                var replies = await TeamsHttp.PostAsync(client, CheckIn(person, occurrence));
                told[person] = string.Join(" ", replies.Select(r => (string?)r?["text"]));
            }
            catch (Exception e)
            {
                told[person] = "HTTP failure: " + e.Message;
            }
        }

        // The first half checks in while storage is up …
        await Parallel.ForEachAsync(people.Take(60), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (p, _) => await Attempt(p));
        // … storage goes down while the second half is pressing the button …
        var rush = Parallel.ForEachAsync(people.Skip(60), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (p, _) => await Attempt(p));
        await Task.Delay(200);
        await azurite.StopAsync();
        await rush;
        var down = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);

        // … and comes back.
        await azurite.StartAsync();
        HttpStatusCode health = 0;
        for (var i = 0; i < 40 && health != HttpStatusCode.OK; i++)
        {
            health = (await client.GetAsync("/healthz")).StatusCode;
            await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, health);

        var (roll, _) = await factory.Services.GetRequiredService<CheckInStore>().ReadAsync(Tenant, occurrence, default);
        var inRoll = roll.Select(c => c.UserId).ToHashSet();
        Assert.Equal(roll.Count, inRoll.Count); // nobody twice
        var confirmed = told.Where(t => t.Value.StartsWith("已签到")).Select(t => t.Key).ToList();
        var notSaved = told.Where(t => t.Value.Contains("没有保存成功")).Select(t => t.Key).ToList();
        Assert.All(confirmed, p => Assert.Contains(p, inRoll));
        Assert.All(notSaved, p => Assert.DoesNotContain(p, inRoll));
        Assert.Equal(people.Count, confirmed.Count + notSaved.Count); // everyone got one of the two answers
        Assert.True(confirmed.Count >= 60, "the first half checked in while storage was up");

        // The bot serves again: those told to retry can check in now.
        foreach (var p in notSaved)
        {
            var again = await TeamsHttp.PostAsync(client, CheckIn(p, occurrence));
            Assert.StartsWith("已签到", (string?)again.Single()!["text"]);
        }
        var (after, _) = await factory.Services.GetRequiredService<CheckInStore>().ReadAsync(Tenant, occurrence, default);
        Assert.Equal(people.Order(), after.Select(c => c.UserId).Order());
    }
}

public sealed class TwoInstanceTests
{
    private static string Say(string conversation, string text) => TeamsHttp.Activity("message", text, conversationId: conversation);

    private static string Submit(string conversation, string details) =>
        TeamsHttp.Activity("message", conversationId: conversation, extra: $"\"value\": {{\"verb\":\"suggestion.submit\",\"details\":\"{details}\",\"department\":\"\",\"benefit\":\"\"}},");

    [Fact]
    public async Task Interleaved_turns_on_two_instances_lose_no_dialog_step_and_apply_none_twice()
    {
        await using var a = new BotFactory();
        await using var b = new BotFactory(tablePrefix: a.TablePrefix);
        var ca = a.CreateClient();
        var cb = b.CreateClient();
        var conversations = Enumerable.Range(0, 8).Select(i => $"a:interleave-{i}").ToList();

        // Each conversation's steps alternate between the instances.
        foreach (var c in conversations)
        {
            Assert.Contains("建议标题", (string?)(await TeamsHttp.PostAsync(ca, Say(c, "建议"))).Single()!["text"]);
        }
        foreach (var c in conversations)
        {
            Assert.NotNull((await TeamsHttp.PostAsync(cb, Say(c, "第二个实例收到的标题"))).Single()!["attachments"]);
        }
        foreach (var c in conversations)
        {
            Assert.Contains("已收到你的合理化建议", (string?)(await TeamsHttp.PostAsync(ca, Submit(c, "两个实例交替处理同一个对话的每一步。"))).Single()!["text"]);
        }

        var store = a.Services.GetRequiredService<SuggestionStore>();
        var week = IsoWeek.Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
        var saved = await store.ListAsync("tenant-http", week, null, default);
        Assert.Equal(conversations.Count, saved.Count); // one per conversation: nothing lost, nothing twice
    }

    [Fact]
    public async Task A_conflicting_turn_is_told_to_retry_and_changes_nothing()
    {
        await using var a = new BotFactory();
        await using var b = new BotFactory(tablePrefix: a.TablePrefix);
        var ca = a.CreateClient();
        var cb = b.CreateClient();
        // Both instances take a title for the same step of one conversation at the same moment.
        // (If one happens to finish before the other starts, there is no conflict: try a fresh conversation.)
        var outcomes = new List<string>();
        var c = "";
        for (var round = 0; round < 8 && !outcomes.Any(o => o.Contains("没有保存成功")); round++)
        {
            c = $"a:conflict-{round}";
            await TeamsHttp.PostAsync(ca, Say(c, "建议"));
            var results = await Task.WhenAll(TeamsHttp.PostAsync(ca, Say(c, "实例A的标题")), TeamsHttp.PostAsync(cb, Say(c, "实例B的标题")));
            // What each delivery showed: its texts, and "card" for a card.
            outcomes = results.Select(r => string.Join(" ", r.Select(x => x!["text"]?.ToString() ?? "card"))).ToList();
        }
        // One turn won (the form); the other was told its step was not saved.
        Assert.Contains(outcomes, o => o.Contains("没有保存成功"));
        Assert.Contains(outcomes, o => o == "card");

        // The winner's step stands once: the form is waiting, and one submit files one suggestion.
        Assert.Contains("已收到你的合理化建议", (string?)(await TeamsHttp.PostAsync(cb, Submit(c, "冲突之后只保存一次的建议内容。"))).Single()!["text"]);
        var week = IsoWeek.Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
        Assert.Single(await a.Services.GetRequiredService<SuggestionStore>().ListAsync("tenant-http", week, null, default));
    }
}
