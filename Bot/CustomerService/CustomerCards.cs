using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.CustomerService;

/// <summary>The data of the customer cards (Cards/CustomerList.json, Cards/CustomerFile.json). Every bound value is always given.</summary>
public sealed class CustomerCards(ICardFactory cards, Localizer localizer, CustomerFiles files, ComplaintService complaints)
{
    public const string ListTemplate = "CustomerList";
    public const string FileTemplate = "CustomerFile";

    /// <summary>Customers a list shows at most.</summary>
    public const int MaxListed = 30;

    /// <summary>Lines a section of the file shows at most (the newest).</summary>
    public const int MaxLines = 15;

    /// <summary>Notes the card shows at most (the newest, in full).</summary>
    public const int MaxNotes = 10;

    /// <summary>A customer's words or a complaint's text is shortened to this on the card (the card stays small whatever was typed).</summary>
    public const int MaxShownText = 200;

    /// <summary>Reps the owner picker offers at most.</summary>
    public const int MaxReps = 100;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "customers." + key, args);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Local(DateTimeOffset t) => files.Clock.Local(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string CustomerName(CustomerFile f, string locale) => CallbackText.Customer(localizer, locale, f.Name, f.Title);

    public string Category(string category, string locale) => category.Length == 0 ? L(locale, "unsorted") : L(locale, "categories." + category);

    public string Priority(string priority, string locale) => priority.Length == 0 ? "—" : L(locale, "priorities." + priority);

    public string Owner(CustomerFile f, string locale) => f.OwnerName is { Length: > 0 } name ? name : L(locale, "nobody");

    /// <summary>"first contact due 2026-03-11 · 2 days overdue", or "first contact made (…)", with its colour.</summary>
    public (string Text, string Color) FirstContact(CustomerFile f, string locale, DateOnly today)
    {
        if (f.ContactedUtc is { } at)
        {
            return (L(locale, "list.contacted", Local(at)), "Good");
        }
        var due = L(locale, "list.dueOn", Iso(f.DueDate));
        if (f.DueDate < today)
        {
            return ($"{due} · {L(locale, "list.overdue", today.DayNumber - f.DueDate.DayNumber)}", "Attention");
        }
        return f.DueDate == today ? ($"{due} · {L(locale, "list.dueToday")}", "Warning") : (due, "Default");
    }

    public Attachment List(string heading, string intro, IReadOnlyList<CustomerFile> customers, string locale)
    {
        var today = files.Today;
        var items = new JsonArray();
        foreach (var f in customers.Take(MaxListed))
        {
            var (due, color) = FirstContact(f, locale, today);
            var category = f.IsSorted ? $"{Category(f.Category, locale)} · {Priority(f.Priority, locale)}" : Category("", locale);
            items.Add(new JsonObject
            {
                ["key"] = f.Key,
                ["title"] = L(locale, "list.title", CustomerName(f, locale), f.Phone),
                ["line"] = L(locale, "list.line", category, L(locale, f.IsMember ? "member" : "notMember"), Owner(f, locale)),
                ["due"] = due,
                ["color"] = color,
            });
        }
        var more = customers.Count - Math.Min(customers.Count, MaxListed);
        return cards.Create(ListTemplate, new JsonObject
        {
            ["heading"] = heading,
            ["intro"] = intro,
            ["hasItems"] = customers.Count > 0,
            ["empty"] = L(locale, "list.empty"),
            ["hasMore"] = more > 0,
            ["more"] = L(locale, "list.more", more),
            ["items"] = items,
        }, locale);
    }

    public Attachment File(CustomerHistory h, Person viewer, bool canSort, bool canNote, IReadOnlyList<Person> reps, string locale, string? notice = null, string noticeColor = "Good")
    {
        var f = h.File;
        var today = files.Today;
        var facts = new JsonArray
        {
            Fact(L(locale, "file.phone"), f.Phone),
            Fact(L(locale, "file.member"), L(locale, f.IsMember ? "member" : "notMember")),
            Fact(L(locale, "file.category"), Category(f.Category, locale)),
            Fact(L(locale, "file.priority"), Priority(f.Priority, locale)),
            Fact(L(locale, "file.owner"), Owner(f, locale)),
            Fact(L(locale, "file.firstService"), Iso(f.FirstServiceDate)),
            Fact(L(locale, "file.firstContact"), FirstContact(f, locale, today).Text),
        };
        if (f.SortedByName is { Length: > 0 } sortedBy && f.SortedUtc is { } sortedAt)
        {
            facts.Add(Fact(L(locale, "file.sortedBy"), L(locale, "file.sortedByValue", sortedBy, Local(sortedAt))));
        }

        var sections = new JsonArray
        {
            Section(L(locale, "file.services", h.Services.Count), h.Services.Select(t => Line(
                L(locale, "file.serviceLine", Iso(t.ServiceDate), t.ServiceItem),
                L(locale, "file.serviceSub", CallbackText.Status(localizer, locale, t.Status), t.RepName ?? L(locale, "nobody")))).ToList(), locale),
            Section(L(locale, "file.calls", h.Calls.Count), h.Calls.Select(c => Line(
                L(locale, "file.callLine", Local(c.EndedUtc), c.RepName, CallbackText.Outcome(localizer, locale, c.Outcome)),
                CallSub(c, locale))).ToList(), locale),
            Section(L(locale, "file.complaints", h.Complaints.Count), h.Complaints.Select(c => Line(
                L(locale, "file.complaintLine", c.Number, Short(c.WhatHappened)),
                L(locale, "file.complaintSub", localizer.Get(locale, "complaints.stages." + c.Stage), complaints.CategoryName(c.Category, locale)))).ToList(), locale),
            Section(L(locale, "file.notes", h.Notes.Count), h.Notes.Select(n => Line(
                L(locale, "file.noteLine", Local(n.AtUtc), n.AuthorName) + (n.Contact ? L(locale, "file.contactNote") : ""),
                n.Text)).ToList(), locale, MaxNotes),
        };

        var ownerChoices = new JsonArray();
        foreach (var rep in reps.OrderBy(r => r.Name, StringComparer.Ordinal).Take(MaxReps))
        {
            ownerChoices.Add(new JsonObject { ["title"] = rep.Name, ["value"] = rep.UserId });
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "file.heading", CustomerName(f, locale)),
            ["hasNotice"] = notice != null,
            ["notice"] = notice ?? "",
            ["noticeColor"] = noticeColor,
            ["key"] = f.Key,
            ["version"] = f.ETag ?? "",
            ["facts"] = facts,
            ["sections"] = sections,
            ["canSort"] = canSort,
            ["values"] = new JsonObject { ["category"] = f.Category, ["priority"] = f.Priority, ["owner"] = f.OwnerId ?? "" },
            ["categoryChoices"] = Choices(CustomerSorting.Categories, c => Category(c, locale)),
            ["priorityChoices"] = Choices(CustomerSorting.Priorities, p => Priority(p, locale)),
            ["ownerChoices"] = ownerChoices,
            ["canNote"] = canNote,
            ["noteLabel"] = L(locale, "file.noteLabel", files.Options.EffectiveNoteMaxLength),
            ["noteMax"] = files.Options.EffectiveNoteMaxLength,
        };
        return cards.Create(FileTemplate, data, locale);
    }

    private string CallSub(CallRecord c, string locale)
    {
        var parts = new List<string>();
        if (c.Outcome == CallOutcome.Finished)
        {
            parts.Add(L(locale, "file.callSub", CallbackText.Satisfaction(localizer, locale, c.Satisfaction)));
        }
        if (c.CustomerWords is { Length: > 0 } words)
        {
            parts.Add(L(locale, "file.callWords", Short(words)));
        }
        return string.Join(" · ", parts);
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static JsonObject Line(string text, string sub) => new() { ["text"] = text, ["sub"] = sub };

    private static string Short(string text) => text.Length <= MaxShownText ? text : (Core.TextCaps.Truncate(text, MaxShownText - 1) ?? "") + "…";

    private JsonObject Section(string title, IReadOnlyList<JsonObject> lines, string locale, int max = MaxLines)
    {
        var shown = new JsonArray();
        foreach (var line in lines.Take(max))
        {
            shown.Add(line);
        }
        var more = lines.Count - Math.Min(lines.Count, max);
        return new JsonObject
        {
            ["title"] = title,
            ["hasLines"] = lines.Count > 0,
            ["lines"] = shown,
            ["more"] = more > 0 ? L(locale, "file.more", more) : "",
        };
    }

    private static JsonArray Choices(IEnumerable<string> values, Func<string, string> title)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(new JsonObject { ["title"] = title(v), ["value"] = v });
        }
        return array;
    }
}
