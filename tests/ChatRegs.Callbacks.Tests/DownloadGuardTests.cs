using System.Diagnostics;
using System.Net;
using System.Text;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// 导入回访 with a file link nobody should trust: the bot downloads only from allowed https
/// hosts on public addresses, follows no redirect elsewhere, stops endless, lying, cut and slow
/// bodies, and always answers with a clear message (never an error in the log). The files are
/// served by a real socket server on 127.0.0.1 through the bot's own HTTP handler; to reach it
/// the host runs with <see cref="CallbackFileNetwork.LoopbackForTests"/> (a service, not a
/// setting) and lists 127.0.0.1 as an import host, explicitly. One bot serves the class
/// (<see cref="SharedFeatureHost"/>), a fresh tenant for each test.
/// </summary>
public sealed class DownloadGuardTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private const string Row = "王小明,先生,13800138000,是,汽车保养,2026-03-04\n";

    private static readonly byte[] RowBytes = Encoding.UTF8.GetBytes(Row);

    private CallbacksHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbacksHost.StartAsync(bot, network: CallbackFileNetwork.LoopbackForTests, settings: Settings("127.0.0.1"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, string?> Settings(string hosts) => new()
    {
        ["ChatRegs:Callbacks:ImportHosts"] = hosts,
        ["ChatRegs:Callbacks:ImportTimeout"] = "00:00:02",
        ["ChatRegs:Callbacks:MaxImportBytes"] = "65536",
    };

    /// <summary>A bot of its own (other settings than the class's).</summary>
    private static Task<CallbacksHost> Start(CallbackFileNetwork network, string hosts) => CallbacksHost.StartAsync(network: network, settings: Settings(hosts));

    /// <summary>The supervisor sends a file in Teams whose download link is <paramref name="url"/>; the replies' text (a deadline guards against a hang).</summary>
    private static async Task<string> SendFileAsync(CallbacksHost host, string url, string locale = "zh-CN")
    {
        var replies = await host.SendAsync(host.Adapter(CallbacksHost.Supervisor, locale), new Activity
        {
            Type = ActivityTypes.Message,
            Text = locale == "zh-CN" ? "导入回访" : "import callbacks",
            Attachments = [TeamsFileHost.TeamsFile("服务记录.csv", url)],
        }).WaitAsync(TimeSpan.FromSeconds(30));
        return Replies.All(replies);
    }

    private void NoErrorLogged()
    {
        var errors = _host.Logs.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception != null)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    private static Func<string, Stream, CancellationToken, Task> Serve(byte[] body) => async (_, s, ct) =>
    {
        await RawHttpServer.WriteAsync(s, $"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", ct);
        await s.WriteAsync(body, ct);
    };

    [Fact]
    public async Task A_file_from_an_allowed_host_is_imported()
    {
        await using var server = new RawHttpServer(Serve(RowBytes));
        var text = await SendFileAsync(_host, server.Url("/ok.csv?tempauth=secret-token"));
        Assert.Contains("新增回访", text);
        Assert.Single(await _host.TasksAsync());
        // The link is a credential (pre-authorized): it never reaches the log.
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains("secret-token", StringComparison.Ordinal));
        NoErrorLogged();
    }

    [Fact]
    public async Task A_link_to_a_host_not_on_the_list_is_refused_and_no_request_reaches_it()
    {
        await using var server = new RawHttpServer(Serve(RowBytes));
        // Same server, named by a host the list does not hold.
        var text = await SendFileAsync(_host, server.Url("/x.csv", host: "localhost"));
        Assert.Contains("没有下载「服务记录.csv」：机器人只下载 Teams 发来的文件", text);
        text = await SendFileAsync(_host, server.Url("/x.csv", host: "localhost"), "en-US");
        Assert.Contains("\"服务记录.csv\" was not downloaded: the bot only downloads files that Teams sends it.", text);
        // Credentials in the link, an allowed name as a user name: still the wrong host.
        text = await SendFileAsync(_host, $"http://127.0.0.1@localhost:{server.Port}/x.csv");
        Assert.Contains("没有下载「服务记录.csv」", text);
        Assert.Equal(0, server.Connections);
        Assert.Empty(await _host.TasksAsync());
        NoErrorLogged();
    }

    [Fact]
    public async Task In_production_plain_http_other_ports_and_private_addresses_are_refused_even_for_a_listed_host()
    {
        await using var host = await Start(CallbackFileNetwork.Strict, hosts: "127.0.0.1,localhost,*.localhost");
        await using var server = new RawHttpServer(Serve(RowBytes));
        // http, and a port other than 443: refused before any connection.
        var text = await SendFileAsync(host, server.Url("/x.csv"));
        Assert.Contains("没有下载「服务记录.csv」", text);
        text = await SendFileAsync(host, $"https://127.0.0.1:{server.Port}/x.csv");
        Assert.Contains("没有下载「服务记录.csv」", text);
        Assert.Equal(0, server.Connections);
        // https on 443 to a listed name that resolves to loopback: refused when connecting.
        text = await SendFileAsync(host, "https://localhost/x.csv");
        Assert.Contains("没有下载「服务记录.csv」", text);
        text = await SendFileAsync(host, "https://127.0.0.1/x.csv");
        Assert.Contains("没有下载「服务记录.csv」", text);
        Assert.Empty(await host.TasksAsync());
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception != null));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("2002:0a00:0001::1", false)]
    [InlineData("13.107.136.9", true)]
    [InlineData("52.104.0.1", true)]
    [InlineData("2603:1036:303::1", true)]
    public void Only_public_addresses_may_be_reached(string address, bool reachable)
    {
        Assert.Equal(reachable, CallbackFileNetwork.Strict.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("contoso-my.sharepoint.com", true)]
    [InlineData("CONTOSO.SharePoint.com.", true)]
    [InlineData("contoso.sharepoint.cn", true)]
    [InlineData("smba.trafficmanager.net", true)]
    [InlineData("sharepoint.com", false)]
    [InlineData("evilsharepoint.com", false)]
    [InlineData("contoso.sharepoint.com.evil.cn", false)]
    [InlineData("trafficmanager.net", false)]
    [InlineData("evil.smba.trafficmanager.net", false)]
    [InlineData("169.254.169.254", false)]
    public void The_default_hosts_are_those_teams_serves_files_from(string host, bool allowed)
    {
        var hosts = new CallbackOptions().ImportHostList();
        Assert.Equal(allowed, CallbackFileNetwork.HostAllowed(host, hosts));
        Assert.Equal(allowed, CallbackFileNetwork.Strict.Permits(new Uri($"https://{host}/f.csv"), hosts));
        Assert.False(CallbackFileNetwork.Strict.Permits(new Uri($"http://{host}/f.csv"), hosts));
        Assert.False(CallbackFileNetwork.Strict.Permits(new Uri($"https://{host}:8443/f.csv"), hosts));
    }

    [Fact]
    public async Task A_redirect_to_a_host_not_on_the_list_is_not_followed()
    {
        await using var elsewhere = new RawHttpServer(Serve(RowBytes));
        await using var server = new RawHttpServer(async (_, s, ct) =>
            await RawHttpServer.WriteAsync(s, $"HTTP/1.1 302 Found\r\nLocation: {elsewhere.Url("/stolen.csv", host: "localhost")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct));
        var text = await SendFileAsync(_host, server.Url("/file.csv"));
        Assert.Contains("没有下载「服务记录.csv」", text);
        Assert.Equal(1, server.Connections);
        Assert.Equal(0, elsewhere.Connections);
        Assert.Empty(await _host.TasksAsync());
        NoErrorLogged();
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_host_is_followed_but_not_forever()
    {
        await using var target = new RawHttpServer(Serve(RowBytes));
        await using var hop = new RawHttpServer(async (_, s, ct) =>
            await RawHttpServer.WriteAsync(s, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {target.Url("/real.csv")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct));
        var text = await SendFileAsync(_host, hop.Url("/file.csv"));
        Assert.Contains("新增回访", text);

        RawHttpServer? loop = null;
        await using var looping = loop = new RawHttpServer(async (path, s, ct) =>
            await RawHttpServer.WriteAsync(s, $"HTTP/1.1 302 Found\r\nLocation: {loop!.Url(path + "x")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct));
        text = await SendFileAsync(_host, looping.Url("/a.csv"));
        Assert.Contains("没有下载「服务记录.csv」", text);
        Assert.Equal(CallbackFiles.MaxRedirects + 1, looping.Requests.Count);
        NoErrorLogged();
    }

    [Fact]
    public async Task An_endless_body_is_stopped_at_the_size_cap()
    {
        await using var server = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n", ct);
            var chunk = Encoding.ASCII.GetBytes("1000\r\n" + new string('a', 0x1000) + "\r\n");
            while (!ct.IsCancellationRequested)
            {
                await s.WriteAsync(chunk, ct);
            }
        });
        var text = await SendFileAsync(_host, server.Url("/endless.csv"));
        Assert.Contains("「服务记录.csv」太大了，最多 64 KB", text);
        NoErrorLogged();
    }

    [Fact]
    public async Task A_content_length_that_lies_is_neither_trusted_nor_an_error()
    {
        // Claims less than it sends, then sends without end: only the claimed bytes are read.
        await using var more = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, $"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {RowBytes.Length}\r\n\r\n", ct);
            await s.WriteAsync(RowBytes, ct);
            var junk = new byte[8192];
            Array.Fill(junk, (byte)'z');
            while (!ct.IsCancellationRequested)
            {
                await s.WriteAsync(junk, ct);
            }
        });
        var text = await SendFileAsync(_host, more.Url("/more.csv"));
        Assert.Contains("新增回访", text);
        Assert.Single(await _host.TasksAsync());

        // Claims more than it sends and hangs up: the file was cut short.
        await using var less = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5000\r\n\r\n", ct);
            await s.WriteAsync(RowBytes, ct);
        });
        text = await SendFileAsync(_host, less.Url("/less.csv"));
        Assert.Contains("下载「服务记录.csv」失败，请稍后重新发送。", text);

        // Claims more than the cap: refused before the body is read.
        await using var huge = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 99999999999\r\n\r\n", ct);
            await s.WriteAsync(RowBytes, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        text = await SendFileAsync(_host, huge.Url("/huge.csv"));
        Assert.Contains("「服务记录.csv」太大了，最多 64 KB", text);
        Assert.Single(await _host.TasksAsync());
        NoErrorLogged();
    }

    [Fact]
    public async Task A_body_cut_short_or_a_broken_response_is_a_clear_message()
    {
        await using var chunked = new RawHttpServer(async (_, s, ct) =>
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n王小明,先生", ct));
        var text = await SendFileAsync(_host, chunked.Url("/cut.csv"));
        Assert.Contains("下载「服务记录.csv」失败，请稍后重新发送。", text);

        await using var garbage = new RawHttpServer(async (_, s, ct) => await RawHttpServer.WriteAsync(s, "SSH-2.0-OpenSSH_9.6\r\n\r\n", ct));
        text = await SendFileAsync(_host, garbage.Url("/ssh.csv"), "en-US");
        Assert.Contains("Downloading \"服务记录.csv\" failed; please send it again in a while.", text);

        await using var hangUp = new RawHttpServer((_, _, _) => Task.CompletedTask);
        text = await SendFileAsync(_host, hangUp.Url("/nothing.csv"));
        Assert.Contains("下载「服务记录.csv」失败", text);
        Assert.Empty(await _host.TasksAsync());
        NoErrorLogged();
    }

    [Fact]
    public async Task A_slow_server_is_given_up_on_after_the_timeout()
    {
        // Answers the headers, then trickles the body slower than the whole download may take.
        await using var trickle = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\n", ct);
            while (!ct.IsCancellationRequested)
            {
                await s.WriteAsync("a"u8.ToArray(), ct);
                await s.FlushAsync(ct);
                await Task.Delay(200, ct);
            }
        });
        var watch = Stopwatch.StartNew();
        var text = await SendFileAsync(_host, trickle.Url("/slow.csv"));
        Assert.Contains("下载「服务记录.csv」超过 2 秒，已停止，请稍后重新发送。", text);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));

        // Never answers at all.
        await using var silent = new RawHttpServer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        text = await SendFileAsync(_host, silent.Url("/silent.csv"), "en-US");
        Assert.Contains("Downloading \"服务记录.csv\" took longer than 2 seconds and was stopped", text);
        Assert.Empty(await _host.TasksAsync());
        NoErrorLogged();
    }
}
