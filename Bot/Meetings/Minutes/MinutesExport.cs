using System.Globalization;
using System.Text;
using ChatRegs.Bot.Localization;
using ChatRegs.Cards;
using global::CsvHelper;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>The minutes as files: Markdown (the latest version, then the history of versions) and CSV (one row per topic and per decision, every version).</summary>
public static class MinutesExport
{
    public const string MarkdownType = "text/markdown";
    public const string CsvType = "text/csv";

    /// <summary>"会议纪要-weekly-2026-11-30.md" / "minutes-weekly-2026-11-30.csv".</summary>
    public static string FileName(MinutesContext context, Localizer localizer, string locale, string extension) =>
        $"{localizer.Get(locale, "minutes.export.fileName")}-{context.Series.Id}-{context.Doc.Content.Date}.{extension}";

    /// <summary>
    /// The minutes as Markdown. Everything people typed (the meeting's name, names, topics, the
    /// discussion record, decisions) is escaped with <see cref="MarkdownText"/>: in the file it reads
    /// exactly as typed, never as a link, an image, a heading or a list. The string table's text
    /// goes through the same escaping (it holds no Markdown), only the document's own structure
    /// (headings, list markers, bold labels) is written here.
    /// </summary>
    public static byte[] Markdown(MinutesContext context, IReadOnlyList<MinutesVersion> versions, MinutesCards cards, Localizer localizer, string locale)
    {
        string L(string key, params object?[] args) => localizer.Get(locale, "minutes." + key, args);
        // one line of text (a heading, a list item, a field) / a block that keeps its lines
        static string Line(string text) => MarkdownText.EscapeOneLine(text);
        static string Lines(string text) => MarkdownText.EscapeLines(text);
        var latest = versions[^1];
        var c = latest.Content;
        var sb = new StringBuilder();
        sb.Append("# ").Append(Line(L("view.heading"))).Append(" — ").AppendLine(Line(context.Series.Name));
        sb.AppendLine();
        sb.AppendLine(Line(L("view.version", latest.Number, latest.ByName, latest.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))));
        sb.AppendLine();
        sb.Append("- **").Append(Line(L("view.time"))).Append("**: ").AppendLine(Line(c.Date.Replace('-', '/') + " " + c.Start + "–" + c.End));
        sb.Append("- **").Append(Line(L("form.host"))).Append("**: ").AppendLine(Line(cards.HostText(locale, c)));
        sb.Append("- **").Append(Line(L("form.recorder"))).Append("**: ").AppendLine(Line(c.RecorderName));
        sb.Append("- **").Append(Line(L("form.attendees"))).Append("**: ").AppendLine(Line(cards.AttendeesText(locale, c)));
        sb.Append("- **").Append(Line(L("form.absentees"))).Append("**: ").AppendLine(Line(cards.AbsenteesText(locale, c)));
        sb.AppendLine();
        sb.Append("## ").AppendLine(Line(L("form.topics")));
        for (var i = 0; i < c.Topics.Count; i++)
        {
            var t = c.Topics[i];
            sb.AppendLine();
            sb.Append("### ").Append(i + 1).Append(". ").AppendLine(Line(t.Title));
            sb.AppendLine();
            sb.AppendLine(Lines(L("view.discussion", t.Discussion)));
            sb.AppendLine();
            sb.AppendLine(Lines(L("view.outcome", t.Outcome)));
        }
        if (c.Decisions.Count > 0)
        {
            sb.AppendLine();
            sb.Append("## ").AppendLine(Line(L("form.decisions")));
            sb.AppendLine();
            for (var i = 0; i < c.Decisions.Count; i++)
            {
                var d = c.Decisions[i];
                sb.Append("- ").AppendLine(Line(L("view.decision", i + 1, d.Description, d.OwnerName, d.Due)));
            }
        }
        if (versions.Count > 1)
        {
            sb.AppendLine();
            sb.Append("## ").AppendLine(Line(L("export.versions")));
            sb.AppendLine();
            foreach (var v in versions)
            {
                sb.Append("- ").AppendLine(Line(L("view.version", v.Number, v.ByName, v.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))));
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Csv(MinutesContext context, IReadOnlyList<MinutesVersion> versions, MinutesCards cards, Localizer localizer, string locale)
    {
        string L(string key) => localizer.Get(locale, "minutes.export." + key);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        // RFC 4180; a field starting with = + - @ is escaped so a spreadsheet never runs it as a formula.
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteRecord(new[] { "version", "editedBy", "editedAt", "meeting", "date", "start", "end", "host", "recorder", "attendees", "absentees", "kind", "title", "discussion", "outcome", "owner", "due" }
                .Select(h => L("col." + h)).ToArray());
            foreach (var v in versions)
            {
                var c = v.Content;
                string[] Head(string kind) =>
                [
                    v.Number.ToString(CultureInfo.InvariantCulture), v.ByName, v.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    context.Series.Name, c.Date, c.Start, c.End, cards.HostText(locale, c), c.RecorderName, cards.AttendeesText(locale, c), cards.AbsenteesText(locale, c), L(kind),
                ];
                foreach (var t in c.Topics)
                {
                    csv.WriteRecord([.. Head("topic"), t.Title, t.Discussion, t.Outcome, "", ""]);
                }
                foreach (var d in c.Decisions)
                {
                    csv.WriteRecord([.. Head("decision"), d.Description, "", "", d.OwnerName, d.Due]);
                }
            }
            csv.Flush();
        }
        // With a BOM, so that Excel reads the Chinese right.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(writer.ToString())];
    }
}
