using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.People;

/// <summary>"角色" / "roles" (office only): the card to look people up and set their roles.</summary>
public sealed class RolesCommand(IAuthorizationService authorization, PeopleDirectory people, PeopleCards cards) : IChatCommand
{
    public string Id => "roles";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => PeoplePermissions.ManageRoles;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, PeoplePermissions.ManageRoles, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var tenant = Tenants.Of(turnContext.Activity)!;
        var everyone = await people.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var departments = await people.ListDepartmentsAsync(tenant, cancellationToken).ConfigureAwait(false);
        // "角色 王" searches straight away.
        var results = arguments.Length > 0 ? await people.SearchAsync(tenant, arguments, cancellationToken: cancellationToken).ConfigureAwait(false) : null;
        var card = cards.Admin(tenant, turnContext.Activity.Locale ?? "", arguments, results, departments, everyone);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"我是谁" / "whoami": anyone's own roles, department, approver and settings.</summary>
public sealed class WhoAmICommand(AuthorizationService authorization, PeopleDirectory people, PeopleCards cards) : IChatCommand
{
    public string Id => "whoami";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var me = await authorization.GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var approver = await people.GetApproverAsync(me.TenantId, me.UserId, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.WhoAmI(turnContext.Activity.Locale ?? "", me, approver)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"角色记录" / "role log" (office only): the newest changes to people and roles.</summary>
public sealed class RoleLogCommand(IAuthorizationService authorization, PeopleDirectory people, PeopleCards cards, TeamClock clock) : IChatCommand
{
    public string Id => "roleLog";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => PeoplePermissions.ViewRoleLog;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, PeoplePermissions.ViewRoleLog, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var tenant = Tenants.Of(turnContext.Activity)!;
        var entries = await people.ListAuditAsync(tenant, 20, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Log(turnContext.Activity.Locale ?? "", entries, clock.Zone)), cancellationToken).ConfigureAwait(false);
    }
}
