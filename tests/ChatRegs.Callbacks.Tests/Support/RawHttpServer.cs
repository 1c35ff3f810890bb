using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>
/// A hostile file server on 127.0.0.1: a TCP listener that reads each request's head and lets
/// the test write whatever bytes it likes back (lying headers, endless or cut bodies, stalls,
/// redirects). Counts every connection, so a test can prove that nothing reached it.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, Stream, CancellationToken, Task> _respond;
    private readonly List<Task> _connections = [];
    private int _connectionCount;

    /// <param name="respond">Writes the response to the request for a path (the stream is closed afterwards).</param>
    public RawHttpServer(Func<string, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>The request lines received ("GET /x HTTP/1.1").</summary>
    public List<string> Requests { get; } = [];

    public string Url(string path, string host = "127.0.0.1") => $"http://{host}:{Port}{path}";

    /// <summary>Writes ASCII text (a status line and headers).</summary>
    public static Task WriteAsync(Stream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384)
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0)
                    {
                        return;
                    }
                    head.Append((char)one[0]);
                }
                var requestLine = head.ToString().Split("\r\n")[0];
                lock (Requests)
                {
                    Requests.Add(requestLine);
                }
                var path = requestLine.Split(' ') is { Length: >= 2 } parts ? parts[1] : "/";
                await _respond(path, stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception)
            {
                // The bot hung up (cap reached, timeout) or the server stopped: that is the point of most tests.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] pending;
        lock (_connections)
        {
            pending = [.. _connections];
        }
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _stop.Dispose();
    }
}
