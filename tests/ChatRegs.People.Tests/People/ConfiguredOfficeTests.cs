using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.People.Tests.People;

/// <summary>
/// The roles card and 我是谁 show the office administrators from configuration as office,
/// marked as from configuration; one nobody known matches is listed by the configured id.
/// </summary>
public sealed class ConfiguredOfficeTests : IAsyncLifetime
{
    private const string Tenant = "tenant-configured";
    private const string Admin = "29:admin";
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync(new()
        {
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Admin,
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:1"] = "boss@contoso.com",
        });
        var people = _host.Services.GetRequiredService<PeopleDirectory>();
        await people.EnsureKnownAsync(Tenant, "29:li", "李娜", "aad-29:li", "li.na@contoso.com", "zh-CN");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("zh-CN", "角色", "我是谁")]
    [InlineData("en", "roles", "whoami")]
    public async Task The_roles_card_lists_configured_admins_marked_and_one_never_met_by_id(string locale, string roles, string whoami)
    {
        var admin = _host.CreateAdapter(conversationId: "a:admin", userId: Admin, tenantId: Tenant, locale: locale);
        var card = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(admin, roles, locale))));
        var strings = Localizer.Default;
        var separator = locale == "en" ? ", " : "、";
        Assert.Contains(strings.Get(locale, "roles.admin.officeLine", string.Join(separator,
            strings.Get(locale, "roles.admin.fromConfiguration", "王小明"),
            strings.Get(locale, "roles.admin.notYetMet", "boss@contoso.com"))), card);
        // 李娜 holds no role and is not listed as office.
        Assert.DoesNotContain("李娜", card.Split('\n').First(l => l.Contains("boss@contoso.com")));

        var me = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(admin, whoami, locale))));
        Assert.Contains(strings.Get(locale, "roles.admin.fromConfiguration", strings.Get(locale, "roles.names.office")), me);
    }
}
