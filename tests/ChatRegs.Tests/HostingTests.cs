using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Localization;
using Microsoft.AspNetCore.Builder;

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
    public void A_missing_string_is_a_loud_error() =>
        Assert.Throws<KeyNotFoundException>(() => Localizer.Default.Get("zh-CN", "no.such.key"));
}
