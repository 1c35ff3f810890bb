using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Tests.Storage;

/// <summary>
/// Storage that takes the request and never answers (a hung connection, an overloaded account):
/// the bot's own client settings give up in bounded time, and what they throw is recognised as a
/// storage problem, so the person is told "not saved, try again" rather than "something went wrong".
/// </summary>
public sealed class StorageTimeoutTests
{
    [Fact]
    public async Task A_storage_that_never_answers_is_given_up_in_bounded_time_and_reads_as_a_storage_problem()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        // Accepts every connection, reads nothing back, answers nothing.
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await listener.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var settings = new StorageOptions { NetworkTimeoutSeconds = 0.3, MaxRetries = 1 };
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var table = new TableServiceClient(connection, ChatRegsServices.TableClientOptionsForBot(settings)).GetTableClient("Hung");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        var took = started.Elapsed;

        Assert.True(StorageProblems.Is(e), $"{e.GetType().Name}: {e.Message}");
        // Two attempts of 0.3 s and one short delay; nowhere near the SDK's default 100 s.
        Assert.True(took < TimeSpan.FromSeconds(10), $"gave up after {took}");
        Assert.True(held.Count >= 2, $"{held.Count} connections: the retry did not happen");

        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        held.ForEach(c => c.Dispose());
    }

    [Fact]
    public void The_default_settings_give_up_on_a_hung_storage_within_the_turn_Teams_allows()
    {
        var options = ChatRegsServices.TableClientOptionsForBot(new StorageOptions());
        var worst = options.Retry.NetworkTimeout * (options.Retry.MaxRetries + 1) + options.Retry.MaxDelay * options.Retry.MaxRetries;
        Assert.True(worst < TimeSpan.FromSeconds(15), $"a hung storage holds a turn for {worst}");
        Assert.True(options.Retry.NetworkTimeout >= TimeSpan.FromSeconds(5), "a timeout shorter than storage's slow moments resends what it is still applying");
    }

    [Fact]
    public void Plain_cancellation_and_unrelated_errors_are_not_storage_problems()
    {
        Assert.False(StorageProblems.Is(new OperationCanceledException()));
        Assert.False(StorageProblems.Is(new InvalidOperationException("x", new ArgumentException())));
    }
}
