namespace ChatRegs.Bench;

/// <summary>
/// <c>ChatRegs.Bench.dll [options]</c> runs the benchmark (see <see cref="BenchOptions"/>);
/// <c>ChatRegs.Bench.dll echo --urls http://127.0.0.1:PORT</c> is the echo-bot baseline the
/// benchmark starts as a separate process; <c>ChatRegs.Bench.dll floor</c> is the floor bot
/// (one Table insert per turn, <see cref="FloorServer"/>), another process of its own.
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "echo")
        {
            await EchoServer.RunAsync(args[1..]).ConfigureAwait(false);
            return 0;
        }
        if (args.Length > 0 && args[0] == "floor")
        {
            await FloorServer.RunAsync(args[1..]).ConfigureAwait(false);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("bench: " + e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource(options.MaxDuration);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            return await new BenchRun(options).RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"bench: stopped after {options.MaxDuration} (or Ctrl+C) before it finished.");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or Azure.RequestFailedException)
        {
            Console.Error.WriteLine("bench: " + e.Message);
            return 1;
        }
    }
}
