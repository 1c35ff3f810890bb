using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// Runs a test's Node script (the browser scripts that drive Debian's Chromium through
/// playwright-core, <c>tests/TestSupport/js/browser.js</c>). Fails, never skips, when Node is missing.
/// </summary>
public static class NodeScript
{
    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="args"/>; every line it prints that is a
    /// JSON object is a step, added to <paramref name="steps"/> if given and handed to
    /// <paramref name="onStep"/> (true: answer it with a line "go" on its stdin). Returns the exit
    /// code (-1 when it timed out and was killed) and all it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan timeout, string[] args,
        List<JsonObject>? steps = null, Func<JsonObject, Task<bool>>? onStep = null)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
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
            Assert.Fail("The browser tests need Node.js (`node` on PATH) and Debian's Chromium (/usr/bin/chromium); scripts/test.sh installs Chromium. " + e.Message);
            throw;
        }
        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            var output = new StringBuilder();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                {
                    output.AppendLine(line);
                    if (Step(line) is { } step)
                    {
                        steps?.Add(step);
                        if (onStep != null && await onStep(step))
                        {
                            await process.StandardInput.WriteLineAsync("go");
                            await process.StandardInput.FlushAsync();
                        }
                    }
                }
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout}\n{output}\n{await stderr}");
            }
            return (process.ExitCode, output + await stderr);
        }
    }

    private static JsonObject? Step(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
