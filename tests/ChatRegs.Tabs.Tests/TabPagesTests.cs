using System.Net;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Tabs;
using ChatRegs.Tabs.Tests.Support;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatRegs.Tabs.Tests;

/// <summary>The tab pages as Teams loads them from the bot, and the token switch that exists only in Development.</summary>
public sealed class TabPagesTests(TabsBot bot) : IAsyncLifetime, IClassFixture<TabsBot>
{
    private TabsHost _host = null!;

    public async Task InitializeAsync() => _host = await TabsHost.StartAsync(bot);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/tabs/meeting.html", "text/html")]
    [InlineData("/tabs/personal.html", "text/html")]
    [InlineData("/tabs/config.html", "text/html")]
    [InlineData("/tabs/tab.js", "text/javascript")]
    [InlineData("/tabs/tab.css", "text/css")]
    [InlineData("/tabs/lib/MicrosoftTeams.min.js", "text/javascript")]
    public async Task The_pages_and_the_Teams_library_are_served_by_the_bot_itself_framable_by_Teams_only(string path, string type)
    {
        var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", csp);
        Assert.Contains("script-src 'self';", csp);
        if (path.EndsWith("MicrosoftTeams.min.js", StringComparison.Ordinal))
        {
            // The npm package's own build (pinned in package-lock.json), not a CDN copy.
            Assert.Contains("2.58.0", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/tabs/..%2Fappsettings.json")]
    [InlineData("/tabs/nothing.html")]
    [InlineData("/tabs/lib/..%2F..%2FChatRegs.Bot.dll")]
    public async Task Nothing_else_is_served_under_tabs(string path)
    {
        var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    public async Task Development_tokens_exist_only_in_Development(string environment, bool accepted)
    {
        var tokens = new TabTokens(
            Options.Create(new TabOptions { DevTokens = true, DevSigningKey = Convert.ToBase64String(TabsHost.SigningKey) }),
            Options.Create(new TenantOptions()), new Environment(environment), TimeProvider.System, NullLogger<TabTokens>.Instance);
        Assert.Equal(accepted, tokens.DevTokensOn);
        Assert.Equal(accepted, tokens.Mint(TabsHost.OwnTenant, "oid-1", "x") != null);
        var caller = await tokens.ValidateAsync(TabsHost.Token(TabsHost.Employee, TabsHost.OwnTenant), default);
        Assert.Equal(accepted, caller != null);
        if (caller != null)
        {
            Assert.Equal((TabsHost.OwnTenant, TabsHost.Oid(TabsHost.Employee)), (caller.TenantId, caller.ObjectId));
        }
    }

    [Fact]
    public async Task Development_tokens_are_off_unless_switched_on()
    {
        var tokens = new TabTokens(Options.Create(new TabOptions { DevSigningKey = Convert.ToBase64String(TabsHost.SigningKey) }),
            Options.Create(new TenantOptions()), new Environment("Development"), TimeProvider.System, NullLogger<TabTokens>.Instance);
        Assert.False(tokens.DevTokensOn);
        Assert.Null(await tokens.ValidateAsync(TabsHost.Token(TabsHost.Employee, TabsHost.OwnTenant), default));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ChatRegs.Bot";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
