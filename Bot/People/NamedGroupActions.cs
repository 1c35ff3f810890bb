using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.People;

/// <summary>The named-groups card (Cards/NamedGroups.json): the groups with their members, and the form to create one or set its members.</summary>
public sealed class NamedGroupCards(ICardFactory cards, Localizer localizer)
{
    public Attachment Create(IReadOnlyList<NamedGroup> groups, IReadOnlyList<Person> everyone, string locale, string? message = null,
        IReadOnlyDictionary<string, string>? errors = null, (string Name, string Members)? values = null)
    {
        var names = everyone.ToDictionary(p => p.UserId, p => p.Name.Length > 0 ? p.Name : p.UserId);
        var separator = locale.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? ", " : "、";
        var data = new JsonObject
        {
            ["message"] = message ?? "",
            ["isEmpty"] = groups.Count == 0,
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Name,
                ["members"] = g.Members.Count == 0 ? "—" : string.Join(separator, g.Members.Select(m => names.GetValueOrDefault(m, m))),
            }).ToArray()),
            ["peopleChoices"] = new JsonArray(everyone.Take(NamedGroups.MaxMembers + 50).Select(p => (JsonNode)new JsonObject
            {
                ["title"] = p.Name.Length > 0 ? p.Name : p.UserId,
                ["value"] = p.UserId,
            }).ToArray()),
            ["values"] = new JsonObject { ["name"] = values?.Name ?? "", ["members"] = values?.Members ?? "" },
            ["errors"] = CardData.Errors(errors),
        };
        _ = localizer;
        return cards.Create("NamedGroups", data, locale);
    }
}

/// <summary>"分组" / "groups" (office only): the named groups (e.g. 总经理室) a series can send its minutes to.</summary>
public sealed class GroupsCommand(IAuthorizationService authorization, NamedGroups groups, PeopleDirectory people, NamedGroupCards cards) : IChatCommand
{
    public string Id => "groups";

    public string? HelpAction => PeoplePermissions.ManageGroups;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, PeoplePermissions.ManageGroups, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var tenant = Tenants.Of(turnContext.Activity)!;
        var card = cards.Create(await groups.ListAsync(tenant, cancellationToken).ConfigureAwait(false), await people.ListAsync(tenant, cancellationToken).ConfigureAwait(false),
            turnContext.Activity.Locale ?? "", values: (arguments.Length <= NamedGroups.MaxName ? arguments : "", ""));
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// "groups.save": creates a named group, or sets the members of the one with that name (office
/// only, decided from the sender's identity). Name and members are checked on the server: the
/// members must be people the bot knows.
/// </summary>
public sealed class SaveGroupAction(IAuthorizationService authorization, NamedGroups groups, PeopleDirectory people, NamedGroupCards cards, Localizer localizer) : CardActionHandler(authorization)
{
    public override string Verb => "groups.save";

    protected override string Permission => PeoplePermissions.ManageGroups;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var turnContext = action.Turn;
        var data = action.Data;
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity)!;
        string L(string key, params object?[] args) => localizer.Get(locale, "groups." + key, args);
        var name = CardFields.Field(data, "name");
        var membersText = CardFields.Field(data, "members");
        var members = membersText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        var everyone = await people.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var known = everyone.Select(p => p.UserId).ToHashSet();
        var errors = new Dictionary<string, string>();
        if (name.Length == 0) errors["name"] = L("errors.nameRequired");
        else if (name.Length > NamedGroups.MaxName) errors["name"] = L("errors.nameTooLong", NamedGroups.MaxName);
        else if (name.Any(c => char.IsControl(c) || c == ',')) errors["name"] = L("errors.nameChars");
        if (members.Count == 0) errors["members"] = L("errors.noMembers");
        else if (members.Count > NamedGroups.MaxMembers) errors["members"] = L("errors.tooMany", NamedGroups.MaxMembers);
        else if (members.Any(m => !known.Contains(m))) errors["members"] = L("errors.unknownPerson");
        var existing = await groups.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var current = existing.FirstOrDefault(g => g.Name == name);
        if (errors.Count == 0 && current == null && existing.Count >= NamedGroups.MaxGroups) errors["name"] = L("errors.tooManyGroups", NamedGroups.MaxGroups);
        var echo = (name.Length <= NamedGroups.MaxName ? name : name[..NamedGroups.MaxName], members.Count <= NamedGroups.MaxMembers ? string.Join(",", members.Where(known.Contains)) : "");
        if (errors.Count > 0)
        {
            return new CardActionResult(Message: L("fixErrors", errors.Count), RefreshedCard: cards.Create(existing, everyone, locale, null, errors, echo));
        }
        var saved = await groups.SaveAsync(tenant, name, members, activity.From?.Id ?? "", current?.ETag, cancellationToken).ConfigureAwait(false);
        if (saved.IsChanged || saved.AlreadyExists(out _))
        {
            // Someone else created or changed it meanwhile: nothing was written.
            return new CardActionResult(Message: localizer.Get(locale, "errors.notSaved"));
        }
        var message = L(current == null ? "created" : "updated", name, members.Count);
        Core.SavedTurns.Mark(turnContext);
        try
        {
            return new CardActionResult(Message: message, RefreshedCard: cards.Create(await groups.ListAsync(tenant, cancellationToken).ConfigureAwait(false), everyone, locale, message));
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            return new CardActionResult(Message: message);
        }
    }
}
