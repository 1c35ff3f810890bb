using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.People.Tests.People;

/// <summary>
/// The actor of a turn (directory entry, roles, configured office) is read once per turn: every
/// permission check after the first uses it, and the next turn reads it afresh.
/// </summary>
public sealed class ActorPerTurnTests : IAsyncLifetime
{
    private const string Tenant = "tenant-actor";
    private const string Admin = "29:admin";
    private BotTestHost _host = null!;
    private StorageFaults _storage = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync(
            new() { [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Admin },
            configure: services => _storage = StorageFaults.Install(services));
        // Known already, as the adapter names him: the turn's first-contact upkeep writes nothing.
        await People.EnsureKnownAsync(Tenant, Admin, "王小明", "aad-" + Admin, null, null);
        await People.EnsureKnownAsync(Tenant, "29:li", "李娜", "aad-29:li", null, null);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PeopleDirectory People => _host.Services.GetRequiredService<PeopleDirectory>();

    /// <summary>Point reads of the admin's own directory row since counting started.</summary>
    private List<string> ReadsOfAdmin() =>
        _storage.Requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("People(", StringComparison.Ordinal) && r.Contains("RowKey=", StringComparison.Ordinal) && r.Contains("admin", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Three_checks_in_one_turn_read_the_directory_once_and_the_next_turn_reads_again()
    {
        var authorization = _host.Services.GetRequiredService<AuthorizationService>();
        var adapter = _host.CreateAdapter(conversationId: "a:admin", userId: Admin, tenantId: Tenant);
        var activity = (Activity)Activity.CreateMessageActivity();
        activity.From = new ChannelAccount(Admin, "王小明", aadObjectId: "aad-" + Admin);
        activity.Recipient = new ChannelAccount("28:bot", "ChatRegs");
        activity.Conversation = new ConversationAccount(conversationType: "personal", id: "a:admin", tenantId: Tenant);
        activity.ChannelId = "msteams";
        activity.Text = "角色";

        _storage.Count();
        using (var turn = new TurnContext(adapter, activity))
        {
            Assert.True((await authorization.AuthorizeAsync(turn, PeoplePermissions.ManageRoles)).Allowed);
            Assert.True((await authorization.AuthorizeAsync(turn, PeoplePermissions.ViewRoleLog)).Allowed);
            Assert.False((await authorization.AuthorizeAsync(turn, "no.such.action")).Allowed);
            Assert.True((await authorization.GetActorAsync(turn)).Has(Roles.Office));
        }
        Assert.True(_storage.Seen == 1, "one read expected, saw:\n" + string.Join("\n", _storage.Requests));

        using (var next = new TurnContext(adapter, activity))
        {
            Assert.True((await authorization.AuthorizeAsync(next, PeoplePermissions.ManageRoles)).Allowed);
        }
        Assert.Equal(2, _storage.Seen);
        _storage.Off();
    }

    [Fact]
    public async Task A_card_action_that_checks_and_then_needs_the_actor_reads_them_once()
    {
        // roles.edit: the office check, then the actor for the form; the person edited is a second read.
        var admin = _host.CreateAdapter(conversationId: "a:admin", userId: Admin, tenantId: Tenant);
        _storage.Count();
        var card = TurnKit.Card(Assert.Single(await _host.SubmitAsync(admin, new { verb = "roles.edit", userId = "29:li" })));
        _storage.Off();
        Assert.Contains("李娜", TurnKit.Text(card));
        Assert.True(ReadsOfAdmin().Count == 1, "the admin's row was read more than once:\n" + string.Join("\n", _storage.Requests));
    }
}
