using ChatRegs.Bot.Core;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.People;

/// <summary>Builds the data for the people and roles cards (Cards/Roles.json, RoleEdit.json, WhoAmI.json, RoleLog.json).</summary>
public sealed class PeopleCards
{
    /// <summary>The value of the "no department" choice.</summary>
    public const string NoTeam = "-";

    private readonly ICardFactory _cards;
    private readonly Localizer _localizer;
    private readonly RoleHolders _roles;

    public PeopleCards(ICardFactory cards, Localizer localizer, RoleHolders roles)
    {
        _cards = cards;
        _localizer = localizer;
        _roles = roles;
    }

    /// <summary>The person's roles in the user's language; one given by configuration (not granted) is marked so.</summary>
    public string RoleNames(Person person, string locale) =>
        person.Roles.Count == 0
            ? _localizer.Get(locale, "roles.names.employee")
            : string.Join(Separator(locale),
                Roles.Grantable.Where(person.Has).Select(r => person.ConfiguredRoles.Contains(r)
                    ? _localizer.Get(locale, "roles.admin.fromConfiguration", _localizer.Get(locale, "roles.names." + r))
                    : _localizer.Get(locale, "roles.names." + r)));

    private static string Separator(string locale) => locale.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? ", " : "、";

    /// <summary>
    /// Who is office: everyone holding the role (<paramref name="people"/> read through
    /// <see cref="RoleHolders"/>), those from configuration marked, and configured ids nobody known has, by id.
    /// </summary>
    public string OfficeLine(string locale, IReadOnlyList<Person> people, IReadOnlyList<string> officeNotYetMet)
    {
        var names = people.Where(p => p.Has(Roles.Office))
            .Select(p => p.ConfiguredRoles.Contains(Roles.Office)
                ? _localizer.Get(locale, "roles.admin.fromConfiguration", p.Name.Length > 0 ? p.Name : p.UserId)
                : p.Name.Length > 0 ? p.Name : p.UserId)
            .Concat(officeNotYetMet.Select(id => _localizer.Get(locale, "roles.admin.notYetMet", id)))
            .ToList();
        return _localizer.Get(locale, "roles.admin.officeLine", names.Count == 0 ? _localizer.Get(locale, "weeklyReports.settings.nobody") : string.Join(Separator(locale), names));
    }

    /// <summary>
    /// The office's admin card: who is office (configured administrators marked, and listed by id
    /// while nobody known has it), search people, departments with their approvers.
    /// </summary>
    public Attachment Admin(string tenantId, string locale, string query, IReadOnlyList<Person>? results, IReadOnlyList<Department> departments,
        IReadOnlyList<Person> people, JsonObject? values = null, JsonObject? errors = null, string message = "")
    {
        // Roles as the bot treats them: RoleHolders adds the office role configuration gives.
        people = people.Select(p => _roles.Resolve(p)).ToList();
        results = results?.Select(p => _roles.Resolve(p)).ToList();
        var officeNotYetMet = _roles.NotYetMet(tenantId, people);
        var byId = people.ToDictionary(p => p.UserId);
        var data = new JsonObject
        {
            ["officeLine"] = OfficeLine(locale, people, officeNotYetMet),
            ["searched"] = results != null,
            ["noResults"] = results is { Count: 0 },
            ["results"] = new JsonArray((results ?? []).Select(p => (JsonNode)new JsonObject
            {
                ["userId"] = p.UserId,
                ["name"] = p.Name,
                ["rolesText"] = RoleNames(p, locale),
                ["team"] = p.Team ?? "—",
            }).ToArray()),
            ["departments"] = new JsonArray(departments.Select(d => (JsonNode)new JsonObject
            {
                ["name"] = d.Name,
                ["approverName"] = d.ApproverUserId != null && byId.TryGetValue(d.ApproverUserId, out var a) ? a.Name : "—",
            }).ToArray()),
            ["hasDepartments"] = departments.Count > 0,
            ["people"] = PeopleChoices(people),
            ["values"] = values ?? new JsonObject { ["query"] = query, ["departmentName"] = "", ["approverUserId"] = "" },
            ["errors"] = Complete(errors, "query", "departmentName", "approverUserId"),
            ["message"] = message,
        };
        return _cards.Create("Roles", data, locale);
    }

    /// <summary>The form that sets one person's roles, department and on-duty flag.</summary>
    public Attachment Edit(string locale, Person person, IReadOnlyList<Department> departments, JsonObject? values = null, JsonObject? errors = null, string message = "")
    {
        // The renderer refuses a choice with an empty value, so "no department" is NoTeam.
        var teamChoices = new JsonArray { new JsonObject { ["title"] = _localizer.Get(locale, "roles.noTeam"), ["value"] = NoTeam } };
        foreach (var d in departments)
        {
            teamChoices.Add(new JsonObject { ["title"] = d.Name, ["value"] = d.Name });
        }
        var data = new JsonObject
        {
            ["userId"] = person.UserId,
            ["name"] = person.Name,
            ["etag"] = person.ETag ?? "",
            ["roleChoices"] = new JsonArray(Roles.Grantable.Select(r => (JsonNode)new JsonObject
            {
                ["title"] = _localizer.Get(locale, "roles.names." + r),
                ["value"] = r,
            }).ToArray()),
            ["teamChoices"] = teamChoices,
            ["values"] = values ?? new JsonObject
            {
                ["roles"] = string.Join(",", Roles.Grantable.Where(person.Has)),
                ["team"] = person.Team ?? NoTeam,
                ["onDuty"] = person.OnDuty ? "true" : "false",
            },
            ["errors"] = Complete(errors, "roles", "team", "onDuty"),
            ["message"] = message,
        };
        return _cards.Create("RoleEdit", data, locale);
    }

    public Attachment WhoAmI(string locale, Person person, Person? approver)
    {
        var data = new JsonObject
        {
            ["name"] = person.Name,
            ["userId"] = person.UserId,
            ["rolesText"] = RoleNames(person, locale),
            ["team"] = person.Team ?? _localizer.Get(locale, "roles.noTeam"),
            ["approver"] = approver?.Name ?? "—",
            ["onDuty"] = _localizer.Get(locale, person.OnDuty ? "roles.yes" : "roles.no"),
            ["showOnDuty"] = person.Has(Roles.CsRep),
            ["timeZone"] = person.TimeZone,
            ["language"] = _localizer.Get(locale, person.ChosenLanguage != null ? "roles.whoami.languageChosen" : "roles.whoami.languageAutomatic",
                _localizer.Get(person.PreferredLanguage, person.PreferredLanguage == Localizer.English ? "language.english" : "language.chinese")),
        };
        return _cards.Create("WhoAmI", data, locale);
    }

    public Attachment Log(string locale, IReadOnlyList<RoleAuditEntry> entries, TimeZoneInfo zone)
    {
        var data = new JsonObject
        {
            ["empty"] = entries.Count == 0,
            ["entries"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
            {
                ["when"] = TeamClock.LocalIn(e.When, zone).ToString("yyyy-MM-dd HH:mm"),
                ["actor"] = e.ActorName.Length > 0 ? e.ActorName : e.ActorId,
                ["target"] = e.TargetName.Length > 0 ? e.TargetName : e.TargetId,
                ["change"] = e.Change,
            }).ToArray()),
        };
        return _cards.Create("RoleLog", data, locale);
    }

    private static JsonArray PeopleChoices(IReadOnlyList<Person> people) =>
        new(people.Select(p => (JsonNode)new JsonObject { ["title"] = p.Name.Length > 0 ? p.Name : p.UserId, ["value"] = p.UserId }).ToArray());

    /// <summary>Every field the card can show an error for gets a value ("" = no error), so templates test one thing.</summary>
    private static JsonObject Complete(JsonObject? errors, params string[] fields)
    {
        var result = errors == null ? new JsonObject() : (JsonObject)errors.DeepClone();
        foreach (var f in fields)
        {
            result[f] ??= "";
        }
        return result;
    }
}
