using System.Text.RegularExpressions;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.People.Tests.People;

/// <summary>
/// docs/people-and-roles.md's walk-through, run through the bot as the office would: its commands
/// are sent and its buttons pressed, and every 「label」 the section quotes must be on a card or in a
/// message the bot answered with — so the page stays true when a card changes.
/// </summary>
public sealed class PeopleWalkthroughDocTests : IAsyncLifetime
{
    private const string Tenant = "tenant-doc";
    private const string Admin = "29:chen";
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync(new() { [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Admin });
        var people = _host.Services.GetRequiredService<PeopleDirectory>();
        await people.EnsureKnownAsync(Tenant, Admin, "陈静", "aad-" + Admin, "chen.jing@contoso.com", "zh-CN");
        await people.EnsureKnownAsync(Tenant, "29:li", "李娜", "aad-29:li", "li.na@contoso.com", "zh-CN");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Section()
    {
        var page = File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "docs", "people-and-roles.md"));
        var start = page.IndexOf("## Walk-through", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/people-and-roles.md has no walk-through section");
        var end = page.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return page[start..(end < 0 ? page.Length : end)];
    }

    [Fact]
    public async Task Every_command_and_label_of_the_walk_through_is_what_the_bot_does()
    {
        var section = Section();
        var admin = _host.CreateAdapter(conversationId: "a:" + Admin, userId: Admin, tenantId: Tenant, locale: "zh-CN");
        var seen = new List<string>();
        void Keep(IEnumerable<IActivity> replies)
        {
            foreach (var reply in replies.Select(r => r.AsMessageActivity()))
            {
                seen.Add(reply.Text ?? "");
                foreach (var attachment in reply.Attachments ?? [])
                {
                    if (attachment.Content is JObject card)
                    {
                        seen.Add(TurnKit.Text(card));
                    }
                }
            }
        }

        // The commands the page tells the office to type, sent as written there.
        foreach (var command in new[] { "角色", "角色 李", "我是谁", "角色记录" })
        {
            Assert.Contains("`" + command + "`", section);
        }
        Keep(await _host.SayAsync(admin, "角色"));
        // Step 3: a department and its leave approver, from the 角色 card.
        Keep(await _host.SubmitAsync(admin, new { verb = "roles.saveDepartment", departmentName = "综合部", approverUserId = "29:li" }));
        // Step 4: find a person and open their form.
        Keep(await _host.SayAsync(admin, "角色 李"));
        var edit = await _host.SubmitAsync(admin, new { verb = "roles.edit", userId = "29:li" });
        Keep(edit);
        var etag = (string?)TurnKit.Card(Assert.Single(edit)).Descendants().OfType<JObject>().First(o => (string?)o["verb"] == "roles.save")["etag"];
        // Step 5: roles, department, on duty.
        Keep(await _host.SubmitAsync(admin, new { verb = "roles.save", userId = "29:li", etag, roles = "csRep", team = "综合部", onDuty = "true" }));
        Keep(await _host.SayAsync(admin, "我是谁"));
        Keep(await _host.SayAsync(admin, "角色记录"));

        var li = (await _host.Services.GetRequiredService<PeopleDirectory>().GetAsync(Tenant, "29:li"))!;
        Assert.True(li.Has(Roles.CsRep) && li.OnDuty && li.Team == "综合部");

        var all = string.Join("\n", seen);
        var labels = Regex.Matches(section, "「([^」]+)」").Select(m => m.Groups[1].Value.TrimEnd('…')).Distinct().ToList();
        Assert.True(labels.Count >= 20, $"only {labels.Count} labels found in the walk-through");
        var missing = labels.Where(l => !all.Contains(l, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Labels the walk-through quotes that no card shows: " + string.Join(", ", missing) + "\n---\n" + all);
    }
}
