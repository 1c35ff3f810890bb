using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.People;

/// <summary>
/// The roles cards' buttons. Each checks the office permission from the sender's identity
/// first: a forged payload from someone else gets the refusal and changes nothing.
/// </summary>
public abstract class RoleActionBase(AuthorizationService authorization, PeopleDirectory people, PeopleCards cards, Localizer localizer) : CardActionHandler(authorization)
{
    protected PeopleDirectory People { get; } = people;

    protected PeopleCards Cards { get; } = cards;

    protected Localizer Localizer { get; } = localizer;

    protected override string Permission => PeoplePermissions.ManageRoles;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var actor = await authorization.GetActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        return await HandleAllowedAsync(action.Turn, action.Tenant, actor, action.Data, action.Locale, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<CardActionResult> HandleAllowedAsync(ITurnContext turnContext, string tenant, Person actor, JObject data, string locale, CancellationToken cancellationToken);

    protected static string Field(JObject data, string name, int maxLength = 200) => CardFields.Field(data, name, maxLength);

    protected async Task<CardActionResult> AdminCardAsync(string tenant, string locale, string query, bool search, JObject? submitted = null, JsonObject? errors = null, string message = "", CancellationToken cancellationToken = default)
    {
        var everyone = await People.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var departments = await People.ListDepartmentsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var results = search ? await People.SearchAsync(tenant, query, cancellationToken: cancellationToken).ConfigureAwait(false) : null;
        JsonObject? values = submitted == null ? null : new JsonObject
        {
            ["query"] = query,
            ["departmentName"] = Field(submitted, "departmentName"),
            ["approverUserId"] = Field(submitted, "approverUserId"),
        };
        return new CardActionResult(Cards.Admin(tenant, locale, query, results, departments, everyone, values, errors, message));
    }
}

/// <summary>"roles.search": find people by name, principal name or id.</summary>
public sealed class SearchPeopleAction(AuthorizationService a, PeopleDirectory p, PeopleCards c, Localizer l) : RoleActionBase(a, p, c, l)
{
    public override string Verb => "roles.search";

    protected override Task<CardActionResult> HandleAllowedAsync(ITurnContext turnContext, string tenant, Person actor, JObject data, string locale, CancellationToken cancellationToken) =>
        AdminCardAsync(tenant, locale, Field(data, "query", 100), search: true, cancellationToken: cancellationToken);
}

/// <summary>"roles.edit": open one person's form.</summary>
public sealed class EditPersonAction(AuthorizationService a, PeopleDirectory p, PeopleCards c, Localizer l) : RoleActionBase(a, p, c, l)
{
    public override string Verb => "roles.edit";

    protected override async Task<CardActionResult> HandleAllowedAsync(ITurnContext turnContext, string tenant, Person actor, JObject data, string locale, CancellationToken cancellationToken)
    {
        var person = await People.GetAsync(tenant, Field(data, "userId"), cancellationToken).ConfigureAwait(false);
        if (person == null)
        {
            return new CardActionResult(Message: Localizer.Get(locale, "roles.personNotFound"));
        }
        var departments = await People.ListDepartmentsAsync(tenant, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(Cards.Edit(locale, person, departments));
    }
}

/// <summary>"roles.save": validate on the server, then save with an audit entry, or re-show the form with the errors.</summary>
public sealed class SavePersonAction(AuthorizationService a, PeopleDirectory p, PeopleCards c, Localizer l) : RoleActionBase(a, p, c, l)
{
    public override string Verb => "roles.save";

    protected override async Task<CardActionResult> HandleAllowedAsync(ITurnContext turnContext, string tenant, Person actor, JObject data, string locale, CancellationToken cancellationToken)
    {
        var person = await People.GetAsync(tenant, Field(data, "userId"), cancellationToken).ConfigureAwait(false);
        if (person == null)
        {
            return new CardActionResult(Message: Localizer.Get(locale, "roles.personNotFound"));
        }
        var departments = await People.ListDepartmentsAsync(tenant, cancellationToken).ConfigureAwait(false);

        var rolesText = Field(data, "roles", 500);
        var roles = rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var team = Field(data, "team");
        if (team == PeopleCards.NoTeam)
        {
            team = "";
        }
        var onDutyText = Field(data, "onDuty");
        var values = new JsonObject { ["roles"] = rolesText, ["team"] = team, ["onDuty"] = onDutyText == "true" ? "true" : "false" };

        var errors = new JsonObject();
        if (roles.Any(r => !Roles.IsGrantable(r)))
        {
            errors["roles"] = Localizer.Get(locale, "roles.errors.unknownRole");
        }
        if (team.Length > 0 && !departments.Any(d => d.Name == team))
        {
            errors["team"] = Localizer.Get(locale, "roles.errors.unknownTeam");
        }
        if (onDutyText is not ("true" or "false" or ""))
        {
            errors["onDuty"] = Localizer.Get(locale, "roles.errors.badValue");
        }
        else if (onDutyText == "true" && !roles.Contains(Roles.CsRep))
        {
            errors["onDuty"] = Localizer.Get(locale, "roles.errors.onDutyNeedsRep");
        }
        if (person.UserId == actor.UserId && person.Has(Roles.Office) && !roles.Contains(Roles.Office))
        {
            // Nobody locks themselves out by accident: another office member must do it.
            errors["roles"] = Localizer.Get(locale, "roles.errors.cannotDropOwnOffice");
        }
        if (errors.Count > 0)
        {
            return new CardActionResult(Cards.Edit(locale, person, departments, values, errors, Localizer.Get(locale, "roles.fixErrors")));
        }

        // The version of the person the card showed. A card without one (forged, or from before
        // cards carried it) cannot say it saw the current roles: refused, never written over
        // unconditionally; the sender gets the current settings on a card that has it.
        var expectedETag = Field(data, "etag", 300);
        if (expectedETag.Length == 0 || expectedETag == "*")
        {
            return new CardActionResult(Cards.Edit(locale, person, departments, message: Localizer.Get(locale, "roles.cardOutdated")));
        }
        if (expectedETag != person.ETag)
        {
            // Someone changed the person since this card was made, or the card's version is not
            // one storage gave (forged): refused here, never handed to storage as a condition.
            return new CardActionResult(Cards.Edit(locale, person, departments, message: Localizer.Get(locale, "roles.changedMeanwhile")));
        }
        var saved = await People.SaveAssignmentAsync(actor, person, roles, team.Length == 0 ? null : team, onDutyText == "true",
            person.ETag!, cancellationToken).ConfigureAwait(false);
        if (saved.IsChanged)
        {
            var latest = await People.GetAsync(tenant, person.UserId, cancellationToken).ConfigureAwait(false) ?? person;
            return new CardActionResult(Cards.Edit(locale, latest, departments, message: Localizer.Get(locale, "roles.changedMeanwhile")));
        }
        if (saved.Value!.UserId == actor.UserId)
        {
            // The sender changed their own roles: later checks in this turn read them again.
            AuthorizationService.ForgetActor(turnContext);
        }
        return new CardActionResult(Cards.Edit(locale, saved.Value!, departments, message: Localizer.Get(locale, "roles.saved", saved.Value!.Name)));
    }
}

/// <summary>"roles.saveDepartment": create a department or change its leave approver.</summary>
public sealed class SaveDepartmentAction(AuthorizationService a, PeopleDirectory p, PeopleCards c, Localizer l) : RoleActionBase(a, p, c, l)
{
    public override string Verb => "roles.saveDepartment";

    protected override async Task<CardActionResult> HandleAllowedAsync(ITurnContext turnContext, string tenant, Person actor, JObject data, string locale, CancellationToken cancellationToken)
    {
        var name = Field(data, "departmentName", 1000);
        var approverId = Field(data, "approverUserId");
        var errors = new JsonObject();
        if (name.Length == 0)
        {
            errors["departmentName"] = Localizer.Get(locale, "roles.errors.departmentNameRequired");
        }
        else if (name.Length > 50)
        {
            errors["departmentName"] = Localizer.Get(locale, "roles.errors.departmentNameTooLong");
        }
        if (approverId.Length == 0)
        {
            errors["approverUserId"] = Localizer.Get(locale, "roles.errors.approverRequired");
        }
        else if (await People.GetAsync(tenant, approverId, cancellationToken).ConfigureAwait(false) == null)
        {
            errors["approverUserId"] = Localizer.Get(locale, "roles.personNotFound");
        }
        if (errors.Count > 0)
        {
            return await AdminCardAsync(tenant, locale, Field(data, "query", 100), search: false, data, errors, Localizer.Get(locale, "roles.fixErrors"), cancellationToken).ConfigureAwait(false);
        }

        var saved = await People.SaveDepartmentAsync(actor, name, approverId, cancellationToken).ConfigureAwait(false);
        if (saved.IsChanged)
        {
            return await AdminCardAsync(tenant, locale, "", search: false, message: Localizer.Get(locale, "roles.changedMeanwhile"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var done = Localizer.Get(locale, "roles.departmentSaved", name);
        try
        {
            return await AdminCardAsync(tenant, locale, "", search: false, message: done, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            // Saved; only the refreshed list could not be read: say it was saved, not "not saved".
            return new CardActionResult(Message: done);
        }
    }
}
