using ChatRegs.TestSupport;
using ChatRegs.Bot.People;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ChatRegs.People.Tests.People;

/// <summary>Roles and departments set from chat, through the real bot and Table Storage.</summary>
public sealed class RolesTests : IAsyncLifetime
{
    private const string Tenant = "tenant-1";
    private const string Admin = "29:admin";
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        // The bootstrap administrator, named by AAD object id (the test adapter gives "aad-" + user id).
        _host = await BotTestHost.StartAsync(new() { [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Admin });
        await People.EnsureKnownAsync(Tenant, "29:li", "李娜", "aad-29:li", "li.na@contoso.com", "zh-CN");
        await People.EnsureKnownAsync(Tenant, "29:wang", "王小明", "aad-29:wang", "wang@contoso.com", "zh-CN");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PeopleDirectory People => _host.Services.GetRequiredService<PeopleDirectory>();

    private Microsoft.Bot.Builder.Adapters.TestAdapter As(string userId, string? locale = null) =>
        _host.CreateAdapter(conversationId: "a:" + userId, userId: userId, tenantId: Tenant, locale: locale);

    [Fact]
    public async Task The_bootstrap_admin_grants_a_role_and_it_is_audited()
    {
        var admin = As(Admin);
        var card = TurnKit.Card(Assert.Single(await _host.SayAsync(admin, "角色")));
        Assert.Contains("角色与部门管理", TurnKit.Text(card));

        var results = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.search", query = "李" })));
        Assert.Contains("李娜", TurnKit.Text(results));

        var edit = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.edit", userId = "29:li" })));
        var etag = (string?)edit.Descendants().OfType<JObject>().First(o => (string?)o["verb"] == "roles.save")["etag"];

        var saved = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag, roles = "csRep,manager", team = "", onDuty = "true" })));
        Assert.Contains("已保存 李娜 的角色", TurnKit.Text(saved));

        var li = (await People.GetAsync(Tenant, "29:li"))!;
        Assert.True(li.Has(Roles.CsRep) && li.Has(Roles.Manager) && li.OnDuty);
        var audit = Assert.Single(await People.ListAuditAsync(Tenant));
        Assert.Equal(Admin, audit.ActorId);
        Assert.Equal("29:li", audit.TargetId);
        Assert.Contains("csRep", audit.Change);

        var log = TurnKit.Card(Assert.Single(await _host.SayAsync(admin, "角色记录")));
        Assert.Contains("李娜", TurnKit.Text(log));
    }

    [Fact]
    public async Task Someone_without_the_office_role_cannot_grant_even_with_a_forged_payload()
    {
        var wang = As("29:wang");
        var refused = Assert.Single(await _host.SayAsync(wang, "角色"));
        Assert.Equal("只有办公室可以做这件事。如需权限，请联系办公室。", refused.AsMessageActivity().Text);

        // A hand-made submit naming himself office, as if from the admin's card.
        var forged = Assert.Single(await _host.SubmitAsync(wang, new { verb = "roles.save", userId = "29:wang", roles = "office", team = "", onDuty = "false", actorId = Admin }));
        Assert.Equal("只有办公室可以做这件事。如需权限，请联系办公室。", forged.AsMessageActivity().Text);

        Assert.False((await People.GetAsync(Tenant, "29:wang"))!.Has(Roles.Office));
        Assert.Empty(await People.ListAuditAsync(Tenant));
        Assert.Contains(_host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("roles.manage") && e.Message.Contains("29:wang"));

        var english = Assert.Single(await _host.SayAsync(As("29:wang", "en-US"), "role log", "en-US"));
        Assert.StartsWith("Only the office can do this.", english.AsMessageActivity().Text);
    }

    [Fact]
    public async Task An_office_member_granted_by_the_admin_can_grant_in_turn()
    {
        var admin = As(Admin);
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag = await ETagOf("29:li"), roles = "office", team = "", onDuty = "false" });
        await _host.SubmitAsync(As("29:li"), new { verb = "roles.save", userId = "29:wang", etag = await ETagOf("29:wang"), roles = "manager", team = "", onDuty = "false" });
        Assert.True((await People.GetAsync(Tenant, "29:wang"))!.Has(Roles.Manager));
        var audit = await People.ListAuditAsync(Tenant);
        Assert.Equal(["29:li", Admin], audit.Select(a => a.ActorId).ToArray()); // newest first
    }

    [Fact]
    public async Task Bad_fields_come_back_next_to_the_field_with_the_input_kept_and_nothing_saved()
    {
        var admin = As(Admin);
        var reply = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", roles = "manager,superuser", team = "不存在的部门", onDuty = "true" })));
        var text = TurnKit.Text(reply);
        Assert.Contains("包含无效的角色。", text);
        Assert.Contains("没有这个部门", text);
        Assert.Contains("只有客服专员可以设置为值班。", text);
        Assert.Equal("manager,superuser", (string?)TurnKit.Input(reply, "roles")["value"]);
        Assert.Equal("不存在的部门", (string?)TurnKit.Input(reply, "team")["value"]);
        Assert.Empty((await People.GetAsync(Tenant, "29:li"))!.Roles);
        Assert.Empty(await People.ListAuditAsync(Tenant));
    }

    [Fact]
    public async Task A_stale_form_does_not_overwrite_a_newer_change()
    {
        var admin = As(Admin);
        var stale = (await People.GetAsync(Tenant, "29:li"))!.ETag;
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag = stale, roles = "manager", team = "", onDuty = "false" });

        var reply = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag = stale, roles = "csRep", team = "", onDuty = "false" })));
        Assert.Contains("别人修改了这条记录", TurnKit.Text(reply));
        var li = (await People.GetAsync(Tenant, "29:li"))!;
        Assert.True(li.Has(Roles.Manager));
        Assert.False(li.Has(Roles.CsRep));
    }

    private async Task<string> ETagOf(string userId) => (await People.GetAsync(Tenant, userId))!.ETag!;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    public async Task A_card_without_the_version_it_showed_changes_nothing_and_gets_the_current_settings(string? etag)
    {
        var admin = As(Admin);
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag = await ETagOf("29:li"), roles = "manager", team = "", onDuty = "false" });

        // A card made before that change (or by hand) carries no version: it must not write over it.
        object submit = etag == null
            ? new { verb = "roles.save", userId = "29:li", roles = "csRep", team = "", onDuty = "false" }
            : new { verb = "roles.save", userId = "29:li", etag, roles = "csRep", team = "", onDuty = "false" };
        var reply = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, submit)));
        Assert.Contains("这张卡片不是最新的，没有保存", TurnKit.Text(reply));
        var li = (await People.GetAsync(Tenant, "29:li"))!;
        Assert.True(li.Has(Roles.Manager));
        Assert.False(li.Has(Roles.CsRep));
        Assert.Single(await People.ListAuditAsync(Tenant));

        // The card it got back carries the version: saving from it works.
        var again = reply.Descendants().OfType<JObject>().First(o => (string?)o["verb"] == "roles.save");
        Assert.Equal(li.ETag, (string?)again["etag"]);
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag = (string?)again["etag"], roles = "csRep", team = "", onDuty = "false" });
        Assert.True((await People.GetAsync(Tenant, "29:li"))!.Has(Roles.CsRep));
    }

    [Fact]
    public async Task The_admin_cannot_remove_their_own_office_role_by_accident()
    {
        var admin = As(Admin);
        await _host.SayAsync(admin, "我是谁"); // first contact puts the admin in the directory
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = Admin, etag = await ETagOf(Admin), roles = "office", team = "", onDuty = "false" });
        var reply = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.save", userId = Admin, roles = "", team = "", onDuty = "false" })));
        Assert.Contains("不能取消自己的办公室角色", TurnKit.Text(reply));
    }

    [Fact]
    public async Task Departments_have_approvers_and_a_member_finds_theirs()
    {
        var admin = As(Admin);
        var missing = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.saveDepartment", departmentName = "  ", approverUserId = "" })));
        Assert.Contains("请填写部门名称。", TurnKit.Text(missing));
        Assert.Contains("请选择请假审批人。", TurnKit.Text(missing));

        await _host.SubmitAsync(admin, new { verb = "roles.saveDepartment", departmentName = "客服部", approverUserId = "29:li" });
        await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:wang", etag = await ETagOf("29:wang"), roles = "", team = "客服部", onDuty = "false" });

        var approver = await People.GetApproverAsync(Tenant, "29:wang");
        Assert.Equal("29:li", approver?.UserId);

        var me = TurnKit.Card(Assert.Single(await _host.SayAsync(As("29:wang"), "我是谁")));
        var text = TurnKit.Text(me);
        Assert.Contains("客服部", text);
        Assert.Contains("李娜", text);

        var meEn = TurnKit.Card(Assert.Single(await _host.SayAsync(As("29:wang", "en-US"), "whoami", "en-US")));
        Assert.Contains("Leave approver", TurnKit.Text(meEn));

        // A department's approver can be changed, and that is audited too.
        await _host.SubmitAsync(admin, new { verb = "roles.saveDepartment", departmentName = "客服部", approverUserId = "29:wang" });
        Assert.Equal("29:wang", (await People.GetApproverAsync(Tenant, "29:wang"))?.UserId);
        Assert.Contains(await People.ListAuditAsync(Tenant), a => a.TargetKind == "department" && a.Change.Contains("29:li → 29:wang"));
    }

    [Fact]
    public async Task First_contact_puts_a_person_in_the_directory_with_their_language()
    {
        await _host.SayAsync(_host.CreateAdapter(conversationId: "a:new", userId: "29:newcomer", tenantId: Tenant, locale: "en-US"), "help", "en-US");
        var person = await People.GetAsync(Tenant, "29:newcomer");
        Assert.NotNull(person);
        Assert.Equal("en", person!.PreferredLanguage);
        Assert.Equal("Asia/Shanghai", person.TimeZone);
    }
}
