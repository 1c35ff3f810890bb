using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ChatRegs.Tests;

public sealed class HostingTests
{
    [Theory]
    [InlineData("http://localhost:3978", true)]
    [InlineData("http://127.0.0.1:3978;http://[::1]:3978", true)]
    [InlineData("http://0.0.0.0:3978", false)]
    [InlineData("http://*:3978", false)]
    [InlineData("http://localhost:3978;http://10.1.2.3:80", false)]
    public void Without_an_app_id_only_loopback_addresses_are_allowed(string urls, bool allowed) =>
        Assert.Equal(allowed, BotHost.AllLoopback(urls));

    [Fact]
    public void Starting_without_an_app_id_on_a_public_address_is_refused()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://0.0.0.0:3978", "--MicrosoftAppId", ""]);
        var e = Assert.Throws<InvalidOperationException>(() => BotHost.Configure(builder));
        Assert.Contains("loopback", e.Message);
    }
}

public sealed class LocalizerTests
{
    [Theory]
    [InlineData(null, "zh-CN")]
    [InlineData("", "zh-CN")]
    [InlineData("zh-cn", "zh-CN")]
    [InlineData("zh-TW", "zh-CN")]
    [InlineData("en", "en")]
    [InlineData("en-US", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("fr-FR", "zh-CN")]
    public void Chinese_is_the_default_and_English_is_chosen_by_an_en_locale(string? locale, string expected) =>
        Assert.Equal(expected, Localizer.Resolve(locale));

    [Fact]
    public void Both_languages_have_exactly_the_same_strings()
    {
        var zh = Localizer.Default.Keys("zh-CN").OrderBy(k => k).ToList();
        var en = Localizer.Default.Keys("en").OrderBy(k => k).ToList();
        Assert.Equal(zh, en);
        Assert.All(zh, k => Assert.False(string.IsNullOrWhiteSpace(Localizer.Default.Get("zh-CN", k)), k));
    }

    [Fact]
    public void An_argument_with_a_direction_override_is_isolated_and_other_arguments_are_left_as_they_are()
    {
        var key = Localizer.Default.Keys("zh-CN").First(k => Localizer.Default.Get("zh-CN", k).Contains("{0}", StringComparison.Ordinal) && !Localizer.Default.Get("zh-CN", k).Contains("{1", StringComparison.Ordinal));
        var template = Localizer.Default.Get("zh-CN", key);
        Assert.Equal(template.Replace("{0}", "王小明", StringComparison.Ordinal), Localizer.Default.Get("zh-CN", key, "王小明"));
        Assert.Equal(template.Replace("{0}", "\u2068\u202e王小明\u2069", StringComparison.Ordinal), Localizer.Default.Get("zh-CN", key, "\u202e王小明\u2066"));
    }

    [Fact]
    public void A_missing_string_is_a_loud_error() =>
        Assert.Throws<KeyNotFoundException>(() => Localizer.Default.Get("zh-CN", "no.such.key"));
}

public sealed class StartupPostureTests
{
    private static Exception? Start(string environment, params string[] args)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = environment, Args = args });
        BotHost.Configure(builder);
        var app = builder.Build();
        return Record.Exception(() => BotHost.Map(app));
    }

    [Fact]
    public void Outside_Development_without_an_app_id_the_bot_refuses_to_start_naming_MicrosoftAppId()
    {
        var e = Start("Production", "--MicrosoftAppId", "", "--ChatRegs:AllowedTenants:0", "*");
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("MicrosoftAppId", e!.Message);
    }

    [Fact]
    public void Outside_Development_an_empty_tenant_list_refuses_to_start_and_star_must_be_said_explicitly()
    {
        var e = Start("Staging", "--MicrosoftAppId", "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11");
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("ChatRegs:AllowedTenants", e!.Message);
        Assert.Contains("*", e.Message);

        Assert.Null(Start("Production", "--MicrosoftAppId", "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11", "--ChatRegs:AllowedTenants:0", "*"));
        Assert.Null(Start("Production", "--MicrosoftAppId", "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11", "--ChatRegs:AllowedTenants:0", "tenant-a"));
    }

    [Fact]
    public void Development_without_an_app_id_starts() => Assert.Null(Start("Development", "--MicrosoftAppId", ""));

    [Fact]
    public async Task The_real_program_refuses_to_start_in_Production_without_an_app_id()
    {
        await using var factory = new ChatRegs.TestSupport.BotFactory();
        var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var e = Record.Exception(() => production.CreateClient());
        Assert.NotNull(e);
        Assert.Contains("MicrosoftAppId", e!.ToString());
    }

    [Fact]
    public void The_committed_configuration_holds_no_secret()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.False(json.ContainsKey("MicrosoftAppPassword"));
        Assert.DoesNotContain("AccountKey=", File.ReadAllText(path));
    }
}
