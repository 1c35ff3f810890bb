using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;

namespace ChatRegs.TestSupport;

/// <summary>
/// The Table Storage emulator the integration tests run against. The test command
/// (scripts/test.sh) starts Azurite and exports its connection string in
/// CHATREGS_TEST_STORAGE; when a developer runs `dotnet test` by hand without it, the first
/// test that needs storage starts the repo's own Azurite (node_modules) on a free port.
/// Tests never share tables: each asks <see cref="UniqueTableName"/> for its own.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<string> LazyConnectionString = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    private static Process? _ownProcess;
    private static int _counter;

    public static string ConnectionString => LazyConnectionString.Value;

    public static TableServiceClient CreateServiceClient() => new(ConnectionString);

    /// <summary>A table name no other test uses (letters and digits, starts with a letter).</summary>
    public static string UniqueTableName(string prefix = "t")
    {
        var n = Interlocked.Increment(ref _counter);
        var name = $"{prefix}{n}x{Guid.NewGuid():N}";
        return name.Length <= 63 ? name : name[..63];
    }

    private static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CHATREGS_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }

        var port = FreePort();
        var repo = RepoRoot();
        var azurite = Path.Combine(repo, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException(
                "Azurite is not installed: run `npm ci` at the repository root, or run the tests with scripts/test.sh.");
        }

        var psi = new ProcessStartInfo(azurite, $"--tableHost 127.0.0.1 --tablePort {port} --inMemoryPersistence --skipApiVersionCheck")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _ownProcess = Process.Start(psi) ?? throw new InvalidOperationException("Could not start Azurite.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { _ownProcess.Kill(entireProcessTree: true); } catch { /* already gone */ }
        };
        WaitForPort(port, TimeSpan.FromSeconds(30));
        return ForPort(port);
    }

    /// <summary>The well-known development account, on the given table port.</summary>
    public static string ForPort(int port) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ChatRegs.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("ChatRegs.sln not found above " + AppContext.BaseDirectory);
    }

    private static void WaitForPort(int port, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(200);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within {timeout}.");
    }
}
