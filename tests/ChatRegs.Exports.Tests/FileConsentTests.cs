using System.Net;
using System.Text.Json.Nodes;
using ChatRegs.Exports.Tests.Support;
using static ChatRegs.Exports.Tests.Support.ExportsHost;

namespace ChatRegs.Exports.Tests;

/// <summary>The Teams file consent flow as a person goes through it, in zh-CN and en.</summary>
public sealed class FileConsentTests
{
    private const string FileConsent = "application/vnd.microsoft.teams.card.file.consent";
    private const string FileInfo = "application/vnd.microsoft.teams.card.file.info";

    private static JsonObject ConsentCard(JsonNode? activity)
    {
        var attachment = Assert.Single(activity!["attachments"]!.AsArray())!.AsObject();
        Assert.Equal(FileConsent, (string?)attachment["contentType"]);
        return attachment;
    }

    private static JsonNode ExportIdContext(JsonObject card) => card["content"]!["acceptContext"]!;

    private static string ExportId(JsonObject card) => (string)ExportIdContext(card)["exportId"]!;

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Accepting_uploads_the_exact_bytes_then_shows_the_file_and_forgets_it(string locale)
    {
        await using var host = await StartAsync();
        var reply = Assert.Single(await host.SayAsync("29:wang", "export-test 出勤-2026-11.csv 1500", locale));
        var card = ConsentCard(reply);
        Assert.Equal("出勤-2026-11.csv", (string?)card["name"]);
        Assert.Equal("description of 出勤-2026-11.csv", (string?)card["content"]!["description"]);
        Assert.Equal(1500, (long)card["content"]!["sizeInBytes"]!);
        Assert.Equal(ExportId(card), (string?)card["content"]!["declineContext"]!["exportId"]);
        var pending = await host.Pending.GetAsync(Tenant, ExportId(card), default);
        Assert.Equal(Content(1500), pending!.Bytes);

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale, uploadInfo: UploadInfo("up-7", "出勤-2026-11.csv")));

        var put = Assert.Single(host.Uploads.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Equal("https://contoso-my.sharepoint.com/personal/wang_contoso_com/_api/v2.0/drive/items/up-7/uploadSession", put.Url.ToString());
        Assert.Equal(Content(1500), put.BodyBytes);
        Assert.Equal("bytes 0-1499/1500", put.Headers["Content-Range"]);
        Assert.Equal("1500", put.Headers["Content-Length"]);

        var shown = Assert.Single(host.PostedTo(Chat("29:wang")));
        var info = Assert.Single(shown["attachments"]!.AsArray())!;
        Assert.Equal(FileInfo, (string?)info["contentType"]);
        Assert.Equal("出勤-2026-11.csv", (string?)info["name"]);
        Assert.Equal("https://contoso-my.sharepoint.test/personal/files/up-7", (string?)info["contentUrl"]);
        Assert.Equal("unique-up-7", (string?)info["content"]!["uniqueId"]);
        Assert.Equal("csv", (string?)info["content"]!["fileType"]);
        Assert.Null(await host.Pending.GetAsync(Tenant, ExportId(card), default));

        // Pressing accept again on the same card: the file is gone, and the person is told so.
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        Assert.Single(host.Uploads.Requests);
        Assert.Equal(Strings.Get(locale, "exports.unknown"), (string?)host.PostedTo(Chat("29:wang"))[^1]["text"]);
    }

    [Theory]
    [InlineData("zh-CN", "已取消下载。")]
    [InlineData("en", "Download cancelled.")]
    public async Task Declining_cancels_and_forgets_the_file(string locale, string said)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test report.md 10", locale)));

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "decline", card["content"]!["declineContext"], locale));

        Assert.Equal(said, (string?)Assert.Single(host.PostedTo(Chat("29:wang")))["text"]);
        Assert.Empty(host.Uploads.Requests);
        Assert.Null(await host.Pending.GetAsync(Tenant, ExportId(card), default));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Someone_else_cannot_take_the_file_and_the_owner_still_can(string locale)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 20", locale)));

        // Sam replays 王小明's accept (and decline) context in his own chat.
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:sam", "accept", ExportIdContext(card), locale));
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:sam", "decline", ExportIdContext(card), locale));
        Assert.Empty(host.Uploads.Requests);
        Assert.All(host.PostedTo(Chat("29:sam")), m => Assert.Equal(Strings.Get(locale, "exports.notYours"), (string?)m["text"]));
        Assert.Equal(2, host.PostedTo(Chat("29:sam")).Count);
        Assert.NotNull(await host.Pending.GetAsync(Tenant, ExportId(card), default));

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        Assert.Equal(Content(20), Assert.Single(host.Uploads.Requests).BodyBytes);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task An_expired_or_unknown_export_is_explained(string locale)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 20", locale)));
        host.Clock.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await host.Pending.GetAsync(Tenant, ExportId(card), default));
        host.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        // Forged or broken contexts name nothing.
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", new JsonObject { ["exportId"] = new string('0', 32) }, locale));
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", new JsonObject { ["exportId"] = "../../x" }, locale));
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "decline", JsonValue.Create("not an object"), locale));
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", null, locale));

        Assert.Empty(host.Uploads.Requests);
        var said = host.PostedTo(Chat("29:wang"));
        Assert.Equal(5, said.Count);
        Assert.All(said, m => Assert.Equal(Strings.Get(locale, "exports.unknown"), (string?)m["text"]));
        Assert.Null(await host.Pending.GetAsync(Tenant, ExportId(card), default));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task From_a_group_chat_the_card_goes_to_the_1to1_chat_with_a_note_in_the_group(string locale)
    {
        await using var host = await StartAsync();
        await host.KnowChatAsync("29:wang", locale);

        var note = Assert.Single(await host.SayAsync("29:wang", "export-test digest.md 300", locale, "19:group@thread.v2", "groupChat"));
        Assert.Equal(Strings.Get(locale, "exports.sentToPersonalChat", "王小明", "digest.md"), (string?)note!["text"]);
        Assert.Empty(note["attachments"]?.AsArray() ?? []);

        var card = ConsentCard(Assert.Single(host.PostedTo(Chat("29:wang"))));
        Assert.Equal("digest.md", (string?)card["name"]);
        Assert.Equal(300, (long)card["content"]!["sizeInBytes"]!);

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        Assert.Equal(Content(300), Assert.Single(host.Uploads.Requests).BodyBytes);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task From_a_group_chat_while_Teams_cannot_be_reached_the_group_is_told_without_an_error(string locale)
    {
        await using var host = await StartAsync();
        await host.KnowChatAsync("29:wang", locale);
        // The 1:1 chat is known, but posting there fails on the network (connection refused, timeout).
        host.Connector.Unreachable[Chat("29:wang")] = true;

        var note = Assert.Single(await host.SayAsync("29:wang", "export-test digest.md 300", locale, "19:group@thread.v2", "groupChat"));
        Assert.Equal(Strings.Get(locale, "exports.notDelivered", "digest.md"), (string?)note!["text"]);
        Assert.Empty(note["attachments"]?.AsArray() ?? []);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_failed_upload_is_said_and_the_file_kept_for_another_try(string locale)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 50", locale)));
        host.Uploads.Status = HttpStatusCode.InternalServerError;

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        Assert.Equal(Strings.Get(locale, "exports.uploadFailed", "a.csv"), (string?)Assert.Single(host.PostedTo(Chat("29:wang")))["text"]);
        Assert.NotNull(await host.Pending.GetAsync(Tenant, ExportId(card), default));

        host.Uploads.Status = HttpStatusCode.Created;
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale));
        Assert.Equal(2, host.Uploads.Requests.Count);
        Assert.Equal("application/vnd.microsoft.teams.card.file.info", (string?)host.PostedTo(Chat("29:wang"))[^1]["attachments"]![0]!["contentType"]);
        Assert.Null(await host.Pending.GetAsync(Tenant, ExportId(card), default));
    }

    /// <summary>Upload addresses an invoke may carry that are not Teams' file hosts (the bot must not PUT the file there).</summary>
    public static TheoryData<string> ForeignUploadUrls => new()
    {
        "http://contoso-my.sharepoint.com/personal/x/uploadSession",          // not https
        "https://contoso-my.sharepoint.com:8443/personal/x/uploadSession",    // not the default port
        "https://user:pw@contoso-my.sharepoint.com/personal/x/uploadSession", // credentials
        "https://sharepoint.com.attacker.test/upload",                        // the name only begins like it
        "https://attacker-sharepoint.com/upload",                             // the name only ends like it
        "https://169.254.169.254/metadata/instance",                          // cloud metadata
        "https://127.0.0.1/devchannel/files/x",                               // loopback (no local channel in Teams)
        "http://localhost:3978/api/messages",
        "ftp://contoso-my.sharepoint.com/x",
        "file:///etc/passwd",
        "https://[::1]/upload",
    };

    [Theory]
    [MemberData(nameof(ForeignUploadUrls))]
    public async Task An_upload_address_off_Teams_file_hosts_gets_nothing_and_the_file_is_kept(string uploadUrl)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 50", "zh-CN")));
        var forged = UploadInfo("up-1", "a.csv");
        forged["uploadUrl"] = uploadUrl;

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), "zh-CN", uploadInfo: forged));

        Assert.Empty(host.Uploads.Requests);
        var said = (string?)Assert.Single(host.PostedTo(Chat("29:wang")))["text"];
        Assert.True(said == Strings.Get("zh-CN", "exports.uploadRefused", "a.csv") || said == Strings.Get("zh-CN", "exports.uploadFailed", "a.csv"), said);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        // The file is still there: the real consent card (Teams' own address) still works.
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), "zh-CN"));
        Assert.Equal(Content(50), Assert.Single(host.Uploads.Requests).BodyBytes);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_refused_upload_address_is_said_in_the_persons_language_and_logged(string locale)
    {
        await using var host = await StartAsync();
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 50", locale)));
        var forged = UploadInfo("up-1", "a.csv");
        forged["uploadUrl"] = "https://attacker.test/collect";

        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), locale, uploadInfo: forged));

        Assert.Empty(host.Uploads.Requests);
        Assert.Equal(Strings.Get(locale, "exports.uploadRefused", "a.csv"), (string?)Assert.Single(host.PostedTo(Chat("29:wang")))["text"]);
        Assert.Contains(host.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("attacker.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_hosts_can_be_configured()
    {
        await using var host = await StartAsync(new() { ["ChatRegs:Exports:UploadHosts"] = "files.contoso.test" });
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test a.csv 50", "en")));
        var own = UploadInfo("up-1", "a.csv");
        own["uploadUrl"] = "https://files.contoso.test/session/up-1";

        // The default SharePoint address is no longer on the list; the configured host is.
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), "en"));
        Assert.Empty(host.Uploads.Requests);
        Assert.Equal(HttpStatusCode.OK, await host.ConsentAsync("29:wang", "accept", ExportIdContext(card), "en", uploadInfo: own));
        Assert.Equal("https://files.contoso.test/session/up-1", Assert.Single(host.Uploads.Requests).Url.ToString());
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_large_file_is_kept_in_chunks_and_one_too_large_is_refused(string locale)
    {
        await using var host = await StartAsync();
        // Random bytes do not compress: 400 KB takes 7 chunks and comes back whole.
        var random = new byte[400_000];
        new Random(7).NextBytes(random);
        var kept = await host.Pending.AddAsync(Tenant, "29:wang", "big.bin", "application/octet-stream", "d", random, default);
        Assert.Equal(random, (await host.Pending.GetAsync(Tenant, kept!.ExportId, default))!.Bytes);
        // Text compresses: 2 MB of it is kept.
        var card = ConsentCard(Assert.Single(await host.SayAsync("29:wang", "export-test many.csv 2000000", locale)));
        Assert.Equal(2_000_000, (long)card["content"]!["sizeInBytes"]!);
        Assert.Equal(Content(2_000_000), (await host.Pending.GetAsync(Tenant, ExportId(card), default))!.Bytes);

        // 1 MB that does not compress cannot be kept: the person is told, nothing is offered.
        var refused = Assert.Single(await host.SayAsync("29:wang", "export-test huge.bin 1000000", locale));
        Assert.Equal(Strings.Get(locale, "exports.tooLarge", "huge.bin", "977 KB"), (string?)refused!["text"]);
        Assert.Empty(refused["attachments"]?.AsArray() ?? []);
    }
}
