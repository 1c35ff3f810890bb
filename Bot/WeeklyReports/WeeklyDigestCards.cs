using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// The digest as Adaptive Cards ("WeeklyReportDigest"), paged so that every page stays under
/// <see cref="MaxCardBytes"/>: the status lists on the first page, then the reports by person,
/// then the gathered suggestions and coordination items, packed greedily into pages of about
/// <see cref="WeeklyReportOptions.DigestPageBytes"/>; every page is then bound and measured, and
/// a page over the limit is split again. Pages turn in place (Action.Execute).
/// </summary>
public sealed class WeeklyDigestCards(ICardFactory cards, Localizer localizer, Microsoft.Extensions.Options.IOptions<WeeklyReportOptions> options)
{
    public const string Template = "WeeklyReportDigest";
    public const string PageVerb = "weeklyReports.digestPage";
    public const string ExportVerb = "weeklyReports.export";

    /// <summary>Teams refuses a message over about 80 KB, card included (docs/weekly-reports.md, "The digest"): a page never reaches it.</summary>
    public const int MaxCardBytes = 80 * 1024;

    /// <summary>Room kept under <see cref="MaxCardBytes"/> for what the channel adds around the card.</summary>
    private const int Margin = 4 * 1024;

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The size of a card attachment as sent: its content as compact JSON, UTF-8 (what the connector serializes).</summary>
    public static int Bytes(Attachment card) => Encoding.UTF8.GetByteCount(((JToken)card.Content).ToString(Newtonsoft.Json.Formatting.None));

    /// <summary>Page <paramref name="page"/> (1-based, clamped) of the digest, and how many pages there are.</summary>
    public (Attachment Card, int Page, int Pages) Page(WeeklyDigest digest, string locale, int page)
    {
        var layout = Layout(digest, locale);
        var index = Math.Clamp(page, 1, layout.Count) - 1;
        return (layout[index].Card, index + 1, layout.Count);
    }

    /// <summary>Every page, in order; <paramref name="interactive"/> false leaves out the buttons (a page posted to a chat, whose members may not page or export).</summary>
    public IReadOnlyList<Attachment> AllPages(WeeklyDigest digest, string locale, bool interactive = true) => Layout(digest, locale, interactive).Select(p => p.Card).ToList();

    private sealed record Block(JsonObject? Person, JsonObject? Item, int Bytes);

    private sealed record LaidOutPage(List<Block> Blocks, Attachment Card);

    private List<LaidOutPage> Layout(WeeklyDigest digest, string locale, bool interactive = true)
    {
        var blocks = new List<Block>();
        foreach (var person in digest.Reports)
        {
            var node = PersonNode(digest, person, locale);
            blocks.Add(new Block(node, null, Estimate(node) + 400));
        }
        foreach (var item in digest.Items)
        {
            var node = ItemNode(item, locale);
            blocks.Add(new Block(null, node, Estimate(node) + 250));
        }

        // Greedy packing by estimate; the first page also carries the status lists.
        var budget = options.Value.DigestPageBytes;
        var groups = new List<List<Block>>();
        var current = new List<Block>();
        var used = Estimate(StatusNode(digest, locale)) + 3000;
        foreach (var block in blocks)
        {
            if (current.Count > 0 && used + block.Bytes > budget)
            {
                groups.Add(current);
                current = [];
                used = 3000;
            }
            current.Add(block);
            used += block.Bytes;
        }
        groups.Add(current);

        // Bind and measure; split any page the estimate got wrong.
        for (var attempt = 0; ; attempt++)
        {
            var pages = groups.Select((g, i) => new LaidOutPage(g, Bind(digest, locale, interactive, g, i + 1, groups.Count,
                itemsBegan: groups.Take(i).Any(earlier => earlier.Any(b => b.Item != null))))).ToList();
            var tooBig = pages.FindIndex(p => Bytes(p.Card) > MaxCardBytes - Margin && p.Blocks.Count > 1);
            if (tooBig < 0 || attempt > 50)
            {
                return pages;
            }
            var split = groups[tooBig];
            groups[tooBig] = split[..(split.Count / 2)];
            groups.Insert(tooBig + 1, split[(split.Count / 2)..]);
        }
    }

    private static int Estimate(JsonNode node) => Encoding.UTF8.GetByteCount(node.ToJsonString(Compact));

    private JsonObject StatusNode(WeeklyDigest digest, string locale)
    {
        var groups = new JsonArray();
        foreach (var (state, color) in new[] { (ReportState.Submitted, "Good"), (ReportState.Late, "Warning"), (ReportState.Missing, "Attention"), (ReportState.Exempt, "Default") })
        {
            var names = digest.Names(state);
            if (names.Count > 0)
            {
                groups.Add(new JsonObject
                {
                    ["label"] = localizer.Get(locale, "weeklyReports.digest.group", ReportText.State(localizer, locale, state), names.Count),
                    ["names"] = string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), names),
                    ["color"] = color,
                });
            }
        }
        return new JsonObject { ["groups"] = groups };
    }

    private JsonObject PersonNode(WeeklyDigest digest, PersonReportStatus person, string locale)
    {
        var report = person.Report!;
        var sections = new JsonArray();
        foreach (var (label, text) in WeeklyDigest.Sections(localizer, locale, report))
        {
            sections.Add(new JsonObject { ["label"] = label, ["text"] = text });
        }
        var submitted = ReportText.DateTime(localizer, locale, report.SubmittedUtc, digest.Status.Plan.Zone);
        return new JsonObject
        {
            ["name"] = person.Name,
            ["isLate"] = report.Late,
            ["late"] = ReportText.State(localizer, locale, ReportState.Late),
            ["meta"] = localizer.Get(locale, "weeklyReports.digest.personMeta", submitted, person.Suggestions.Count, report.CoordinationItems.Count),
            ["sections"] = sections,
        };
    }

    private JsonObject ItemNode(DigestItem item, string locale) => new()
    {
        ["kind"] = localizer.Get(locale, item.Kind == DigestItemKind.Suggestion ? "weeklyReports.digest.suggestionTag" : "weeklyReports.digest.coordinationTag"),
        ["isSuggestion"] = item.Kind == DigestItemKind.Suggestion,
        ["title"] = item.Title,
        ["hasTitle"] = item.Title.Length > 0,
        ["text"] = item.Text,
        ["by"] = item.PersonName,
    };

    private Attachment Bind(WeeklyDigest digest, string locale, bool interactive, List<Block> blocks, int page, int pages, bool itemsBegan)
    {
        var plan = digest.Status.Plan;
        var people = new JsonArray(blocks.Where(b => b.Person != null).Select(b => (JsonNode)b.Person!.DeepClone()).ToArray());
        var items = new JsonArray(blocks.Where(b => b.Item != null).Select(b => (JsonNode)b.Item!.DeepClone()).ToArray());
        var shift = ReportText.ShiftNote(localizer, locale, plan);
        var data = new JsonObject
        {
            ["heading"] = localizer.Get(locale, "weeklyReports.digest.heading", digest.Team, ReportText.Week(localizer, locale, digest.Week)),
            ["deadline"] = plan.ReportsDue
                ? localizer.Get(locale, "weeklyReports.digest.deadline", ReportText.Deadline(localizer, locale, plan))
                : localizer.Get(locale, "weeklyReports.digest.notDue"),
            ["hasShift"] = shift.Length > 0,
            ["shift"] = shift,
            ["counts"] = digest.CountsLine(localizer, locale),
            ["pageLabel"] = localizer.Get(locale, "weeklyReports.digest.page", page, pages),
            ["showStatus"] = page == 1,
            ["status"] = StatusNode(digest, locale)["groups"]!.DeepClone(),
            // The hand-in as a pie (first page only, with the status lists); a zero is no slice.
            ["chart"] = page == 1
                ? ChartData.Of(locale, new[] { ReportState.Submitted, ReportState.Late, ReportState.Missing, ReportState.Exempt }
                    .Select(s => (ReportText.State(localizer, locale, s), digest.Names(s).Count)), dropZeros: true)
                : ChartData.Of(locale, []),
            ["isEmpty"] = page == 1 && digest.Reports.Count == 0,
            ["hasPeople"] = people.Count > 0,
            ["peopleHeader"] = localizer.Get(locale, "weeklyReports.digest.reportsHeader"),
            ["people"] = people,
            ["hasItems"] = items.Count > 0,
            ["itemsHeader"] = localizer.Get(locale, !itemsBegan ? "weeklyReports.digest.itemsHeader" : "weeklyReports.digest.itemsHeaderContinued", digest.Items.Count),
            ["items"] = items,
            ["team"] = digest.Team,
            ["week"] = digest.Week,
            ["interactive"] = interactive,
            ["hasPrev"] = interactive && page > 1,
            ["hasNext"] = interactive && page < pages,
            ["prevPage"] = page - 1,
            ["nextPage"] = page + 1,
            ["previousWeek"] = IsoWeek.Add(digest.Week, -1),
        };
        return cards.Create(Template, data, locale);
    }
}
