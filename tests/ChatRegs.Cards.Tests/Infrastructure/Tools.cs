using System.Diagnostics;
using System.Text;
using ChatRegs.TestSupport;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Paths and external tools the card tests need: node (on PATH), the repository's node_modules,
/// Debian's Chromium and the shared JSON schemas. A missing tool is a test FAILURE with a
/// message saying what to install, never a skip: CI installs all of them.
/// </summary>
public static class Tools
{
    public static string RepoRoot { get; } = Azurite.RepoRoot();

    public static string TestProjectDirectory => Path.Combine(RepoRoot, "tests", "ChatRegs.Cards.Tests");

    public static string Script(string fileName) => Path.Combine(TestProjectDirectory, "js", fileName);

    /// <summary>The official schema, copied into the repository (tests/schemas) so a fresh clone tests itself.</summary>
    public static string AdaptiveCardSchemaPath => Path.Combine(RepoRoot, "tests", "schemas", "adaptive-card-1.5.json");

    public static string ScreenshotDirectory => Path.Combine(RepoRoot, "artifacts", "card-screenshots");

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHATREGS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string NodeModule(string package) => Path.Combine(RepoRoot, "node_modules", package);

    public static string FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe", "node.cmd" } : ["node"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException(
            "node was not found on PATH. The card tests run the official Adaptive Cards packages with Node.js 20+: install it (CI does).");
    }

    public static void RequireNodePackages(params string[] packages)
    {
        foreach (var package in packages)
        {
            if (!File.Exists(Path.Combine(NodeModule(package), "package.json")))
            {
                throw new InvalidOperationException(
                    $"npm package '{package}' is missing from {Path.Combine(RepoRoot, "node_modules")}: run `npm ci` at the repository root.");
            }
        }
    }

    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}: install Debian's `chromium` and `fonts-noto-cjk` " +
                "(apt-get install chromium fonts-noto-cjk), or set CHATREGS_CHROMIUM. Never let Playwright download a browser.");
        }
    }

    public static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{what} was not found at {path}.");
        }
    }

    /// <summary>Runs a node script to completion; a non-zero exit code fails with its output.</summary>
    public static void RunNode(string script, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(FindNode())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        // Pin the JavaScript default locale (it decides how string() and formatNumber() format
        // numbers when no locale is given) so results do not depend on the machine.
        psi.Environment["LC_ALL"] = "en_US.UTF-8";
        psi.Environment["LANG"] = "en_US.UTF-8";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already exited
            }
            throw new TimeoutException($"node {Path.GetFileName(script)} did not finish within {timeout}.\n{stderr}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"node {Path.GetFileName(script)} exited with code {process.ExitCode}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        }
    }

    /// <summary>A scratch directory for one fixture's input and output files.</summary>
    public static string NewWorkDirectory(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"chatregs-{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
