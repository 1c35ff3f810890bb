using System.Net;
using ChatRegs.Bot.DevChannel;

namespace ChatRegs.DevChannel.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task The_page_and_its_libraries_come_from_the_repository()
    {
        await using var factory = new DevChannelFactory();
        var http = factory.CreateClient();

        var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/devchannel/lib/webchat.js", html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html); // no CDN: everything from the bot itself

        var webchat = await http.GetAsync("/devchannel/lib/webchat.js");
        Assert.Equal(HttpStatusCode.OK, webchat.StatusCode);
        Assert.True((await webchat.Content.ReadAsByteArrayAsync()).Length > 1_000_000, "the full Web Chat bundle (it renders Adaptive Cards)");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/devchannel/lib/adaptivecards.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/devchannel/page/devchannel.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/devchannel/page/devchannel.css")).StatusCode);

        // Only the two libraries, nothing else from node_modules or the repository.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/devchannel/lib/package.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/devchannel/page/..%2F..%2FChatRegsBot.cs")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/devchannel/lib/webchat.js")]
    [InlineData("GET", "/devchannel/people")]
    [InlineData("POST", "/devchannel/session")]
    [InlineData("POST", "/devchannel/notify")]
    [InlineData("POST", "/v3/directline/conversations")]
    [InlineData("POST", "/v3/directline/tokens/refresh")]
    [InlineData("GET", "/v3/directline/conversations/a:dev-employee/activities")]
    [InlineData("POST", "/v3/directline/conversations/a:dev-employee/activities")]
    [InlineData("POST", "/devchannel/v3/conversations/a:dev-employee/activities")]
    [InlineData("GET", "/devchannel/v3/conversations/a:dev-employee/members")]
    public async Task In_Production_the_local_channel_does_not_exist(string method, string path)
    {
        await using var factory = new DevChannelFactory(ProductionSettings(), environment: "Production");
        var http = factory.CreateClient();
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null });
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Null(factory.Services.GetService(typeof(DevTranscripts)));
    }

    [Fact]
    public async Task In_Production_the_bot_itself_still_answers()
    {
        await using var factory = new DevChannelFactory(ProductionSettings(), environment: "Production");
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>What production must set before the bot starts at all (an app id and the tenants it serves).</summary>
    private static Dictionary<string, string?> ProductionSettings() => new()
    {
        ["MicrosoftAppId"] = "00000000-0000-0000-0000-0000000000aa",
        ["ChatRegs:AllowedTenants:0"] = "*",
    };
}
