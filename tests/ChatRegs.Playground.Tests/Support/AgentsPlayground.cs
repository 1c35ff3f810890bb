using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using ChatRegs.TestSupport;

namespace ChatRegs.Playground.Tests.Support;

/// <summary>
/// Microsoft 365 Agents Playground (the repo's pinned npm <c>@microsoft/m365agentsplayground</c>)
/// as <c>scripts/playground.sh</c> starts it: the msteams channel, pointed at the bot's
/// /api/messages, on a free port, no browser opened, no telemetry, its log file under
/// artifacts/playground/. Fails, never skips, when node or the package is missing.
/// </summary>
public sealed class AgentsPlayground : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentsPlayground(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; private set; }

    public string Url => $"http://localhost:{Port}";

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public static async Task<AgentsPlayground> StartAsync(string botEndpoint, string logFile)
    {
        var repo = Azurite.RepoRoot();
        var cli = Path.Combine(repo, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci` at the repository root (scripts/setup.sh does it).");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var port = Azurite.FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No .m365agentsplayground.yml there: the playground's default people, chats and team.
            WorkingDirectory = Path.GetDirectoryName(logFile)!,
        };
        foreach (var a in new[] { cli, "--app-endpoint", botEndpoint, "--channel-id", "msteams", "--port", port.ToString(), "--disable-telemetry" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        start.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = logFile;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail("The playground test needs Node.js (`node` on PATH). " + e.Message);
            throw;
        }
        var playground = new AgentsPlayground(process, port);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => playground.Append(e.Data, listening);
        process.ErrorDataReceived += (_, e) => playground.Append(e.Data, listening);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != listening.Task)
        {
            await playground.DisposeAsync();
            Assert.Fail("The playground did not start listening:\n" + playground.Output);
        }
        // "default 56150, fallback to random if occupied": the port it says it listens on.
        playground.Port = await listening.Task;
        return playground;
    }

    private void Append(string? line, TaskCompletionSource<int> listening)
    {
        if (line == null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        const string marker = "Listening on ";
        if (line.StartsWith(marker, StringComparison.Ordinal) && int.TryParse(line[marker.Length..].Trim(), out var port))
        {
            listening.TrySetResult(port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
