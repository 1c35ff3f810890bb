using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Duties;

/// <summary>
/// "职责" / "duties": alone, the roles the handbook has; "职责 客服" that role's duties; "职责 客服 7"
/// one section; "职责 客服 回访" (or "职责 回访" over every role) the lines with that word.
/// </summary>
public sealed class DutiesCommand(DutiesHandbook handbook, DutiesCards cards, Localizer localizer) : IChatCommand
{
    public string Id => "duties";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Roles(locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        // The role may be one word or two ("customer service").
        DutyRole? role = null;
        var rest = words;
        for (var n = Math.Min(2, words.Length); n >= 1 && role == null; n--)
        {
            role = handbook.FindRole(string.Join(" ", words[..n]));
            if (role != null)
            {
                rest = words[n..];
            }
        }
        var query = string.Join(" ", rest);
        Attachment? card = role switch
        {
            not null when query.Length == 0 => cards.Role(role, null, locale),
            not null when role.Sections.FirstOrDefault(s => s.Id == query) is { } section => cards.Role(role, section, locale),
            not null => cards.Search([role], query, locale),
            null => cards.Search(handbook.Current.Roles, arguments.Trim(), locale),
        };
        if (card == null)
        {
            var text = role == null
                ? localizer.Get(locale, "duties.nothingAnywhere", arguments.Trim(), string.Join("、", handbook.Current.Roles.Select(r => r.Title.In(locale))))
                : localizer.Get(locale, "duties.nothing", role.Title.In(locale), query);
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A role's button on the duties card.</summary>
public sealed class ShowDutiesAction(DutiesHandbook handbook, DutiesCards cards) : ICardActionHandler
{
    public string Verb => "duties.show";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var role = CardFields.Raw(data, "role") is { } name ? handbook.FindRole(name) : null;
        await turnContext.SendActivityAsync(MessageFactory.Attachment(role == null ? cards.Roles(locale) : cards.Role(role, null, locale)), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>The Duties card: a role's sections, one section, or the lines found, kept well under Teams' card size.</summary>
public sealed class DutiesCards(ICardFactory cards, DutiesHandbook handbook, Localizer localizer)
{
    public const string Template = "Duties";

    /// <summary>Characters of duty text one card carries at most.</summary>
    public const int MaxChars = 6000;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "duties." + key, args);

    private JsonArray RoleButtons(string locale)
    {
        var roles = new JsonArray();
        foreach (var r in handbook.Current.Roles)
        {
            roles.Add(new JsonObject { ["title"] = r.Title.In(locale), ["key"] = r.Key });
        }
        return roles;
    }

    private static string SectionTitle(DutyRole role, DutySection s, string locale) => s.Title.In(locale);

    public Attachment Roles(string locale)
    {
        var sections = new JsonArray();
        foreach (var r in handbook.Current.Roles)
        {
            var lines = new JsonArray();
            foreach (var s in r.Sections)
            {
                lines.Add(new JsonObject { ["text"] = $"{s.Id}. {s.Title.In(locale)}" });
            }
            sections.Add(new JsonObject { ["title"] = r.Title.In(locale), ["lines"] = lines });
        }
        return Create(L(locale, "heading"), L(locale, "intro"), sections, null, locale);
    }

    public Attachment Role(DutyRole role, DutySection? only, string locale)
    {
        var sections = new JsonArray();
        var used = 0;
        var left = new List<DutySection>();
        foreach (var s in only == null ? role.Sections : [only])
        {
            var size = s.Lines.Sum(l => l.In(locale).Length);
            if (sections.Count > 0 && used + size > MaxChars)
            {
                left.Add(s);
                continue;
            }
            used += size;
            var lines = new JsonArray();
            foreach (var line in s.Lines)
            {
                lines.Add(new JsonObject { ["text"] = line.In(locale) });
            }
            sections.Add(new JsonObject { ["title"] = SectionTitle(role, s, locale), ["lines"] = lines });
        }
        var more = left.Count == 0 ? null : L(locale, "more", left.Count, string.Join("、", left.Select(s => s.Id)), role.Title.In(locale), left[0].Id);
        return Create(L(locale, "roleHeading", role.Title.In(locale)), L(locale, "roleIntro", role.Sections.Count, role.Title.In(locale)), sections, more, locale);
    }

    /// <summary>The lines holding the word (either language), by role and section; null when none.</summary>
    public Attachment? Search(IReadOnlyList<DutyRole> roles, string query, string locale)
    {
        var sections = new JsonArray();
        var found = 0;
        var used = 0;
        var cut = false;
        foreach (var role in roles)
        {
            foreach (var s in role.Sections)
            {
                var hits = s.Lines.Where(l => l.Zh.Contains(query, StringComparison.OrdinalIgnoreCase) || l.En.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
                if (hits.Count == 0)
                {
                    continue;
                }
                found += hits.Count;
                if (cut)
                {
                    continue;
                }
                var lines = new JsonArray();
                foreach (var line in hits)
                {
                    var text = line.In(locale);
                    if (used + text.Length > MaxChars && used > 0)
                    {
                        cut = true;
                        break;
                    }
                    used += text.Length;
                    lines.Add(new JsonObject { ["text"] = text });
                }
                if (lines.Count > 0)
                {
                    sections.Add(new JsonObject { ["title"] = roles.Count > 1 ? $"{role.Title.In(locale)} · {SectionTitle(role, s, locale)}" : SectionTitle(role, s, locale), ["lines"] = lines });
                }
            }
        }
        if (found == 0)
        {
            return null;
        }
        var heading = roles.Count == 1 ? L(locale, "searchHeadingRole", roles[0].Title.In(locale), query) : L(locale, "searchHeading", query);
        return Create(heading, L(locale, "found", found), sections, cut ? L(locale, "moreFound") : null, locale);
    }

    private Attachment Create(string heading, string intro, JsonArray sections, string? more, string locale) =>
        cards.Create(Template, new JsonObject
        {
            ["heading"] = heading,
            ["intro"] = intro,
            ["sections"] = sections,
            ["hasMore"] = more != null,
            ["more"] = more ?? "",
            ["roles"] = RoleButtons(locale),
        }, locale);
}
