using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>The roll card (签到表, template Cards/AttendanceRoll.json) with its correction form.</summary>
public sealed class RollCard(ICardFactory cards, Localizer localizer)
{
    /// <summary>The roll (签到表); with <paramref name="canCorrect"/>, the correction form for the host or recorder.</summary>
    public Attachment Create(Roll roll, string locale, bool canCorrect, string? message = null, IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var occurrence = roll.Occurrence;
        var series = occurrence.Series;
        string L(string key, params object?[] args) => localizer.Get(locale, "meetings.roll." + key, args);
        JsonArray Lines(IEnumerable<RollEntry> entries) => new(entries.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name,
            ["detail"] = Detail(e, occurrence, locale),
        }).ToArray());
        var groups = new JsonArray();
        void Group(string title, IEnumerable<RollEntry> entries)
        {
            var list = entries.ToList();
            if (list.Count > 0)
            {
                groups.Add(new JsonObject { ["title"] = L("groupTitle", title, list.Count), ["people"] = Lines(list) });
            }
        }
        Group(L("present"), roll.With(AttendanceStatus.Early, AttendanceStatus.OnTime));
        Group(L("notEarly", series.ArriveByMinutes), roll.With(AttendanceStatus.NotEarly));
        Group(L("late"), roll.With(AttendanceStatus.Late));
        Group(L("leftEarly"), roll.With(AttendanceStatus.LeftEarly));
        Group(L("onLeave"), roll.With(AttendanceStatus.OnLeave));
        Group(L("excused"), roll.With(AttendanceStatus.Excused));
        Group(roll.Final ? L("absent") : L("notYet"), roll.With(AttendanceStatus.Absent));

        // Until the roll is final nobody is absent: those not checked in yet are counted as such.
        var byStatus = AttendanceService.RollOrder
            .Select(s => (s, n: roll.Entries.Count(e => e.Status == s)))
            .Where(p => p.n > 0)
            .Select(p => (Label: p.s == AttendanceStatus.Absent && !roll.Final ? L("notYet") : MeetingText.Status(localizer, locale, p.s), Count: p.n))
            .ToList();
        var counts = string.Join(" · ", byStatus.Select(p => $"{p.Label} {p.Count}"));
        var people = new JsonArray(roll.Entries.Select(e => (JsonNode)new JsonObject { ["title"] = e.Name, ["value"] = e.UserId }).ToArray());
        var statuses = new JsonArray(AttendanceService.Corrections.Select(s => (JsonNode)new JsonObject { ["title"] = MeetingText.Status(localizer, locale, s), ["value"] = s.ToString() }).ToArray());
        var corrections = new JsonArray(roll.Corrections.OrderByDescending(c => c.At).Take(20).Select(c => (JsonNode)new JsonObject
        {
            ["text"] = L("correctionLine", NameIn(roll, c.UserId), MeetingText.Status(localizer, locale, c.Status), c.ByName.Length > 0 ? c.ByName : c.ById,
                MeetingText.Date(MeetingText.Local(c.At, series), locale) + " " + MeetingText.Time(c.At, series), c.Reason),
        }).ToArray());
        var data = new JsonObject
        {
            ["occurrence"] = occurrence.Key,
            ["name"] = series.Name,
            ["when"] = MeetingText.When(occurrence, locale),
            ["location"] = series.Location.Length > 0 ? series.Location : "—",
            ["host"] = roll.Snapshot.NameOf(occurrence.HostId),
            ["recorder"] = series.RecorderId == null ? "—" : roll.Snapshot.NameOf(series.RecorderId),
            ["state"] = roll.EndedAt is { } ended ? L("ended", MeetingText.Time(ended, series)) : roll.Final ? L("final") : L("inProgress", MeetingText.Window(occurrence, locale)),
            ["summary"] = L("summary", roll.Entries.Count, roll.Present.Count(), counts),
            ["chart"] = ChartData.Of(locale, byStatus.Select(p => (p.Label, p.Count))),
            ["groups"] = groups,
            ["hasCorrections"] = corrections.Count > 0,
            ["corrections"] = corrections,
            ["canCorrect"] = canCorrect && roll.Entries.Count > 0,
            ["people"] = people,
            ["statuses"] = statuses,
            ["message"] = message ?? "",
            ["values"] = new JsonObject
            {
                ["person"] = values?.GetValueOrDefault("person") ?? roll.Entries.FirstOrDefault()?.UserId ?? "",
                ["status"] = values?.GetValueOrDefault("status") ?? AttendanceStatus.LeftEarly.ToString(),
                ["reason"] = values?.GetValueOrDefault("reason") ?? "",
            },
            ["errors"] = CardData.Errors(errors),
        };
        return cards.Create("AttendanceRoll", data, locale);
    }

    private static string NameIn(Roll roll, string userId) => roll.Entries.FirstOrDefault(e => e.UserId == userId)?.Name ?? roll.Snapshot.NameOf(userId);

    private string Detail(RollEntry e, MeetingOccurrence occurrence, string locale)
    {
        var series = occurrence.Series;
        var parts = new List<string>();
        if (e.CheckIn != null)
        {
            // The check-in as the series' arrive-by rule reads it (提前 / 未提前签到 / 迟到).
            var status = AttendanceService.StatusOf(occurrence, e.CheckIn);
            parts.Add(localizer.Get(locale, "meetings.roll.checkedInAt", MeetingText.CheckInTime(e.CheckIn.At, status == AttendanceStatus.Late, series), MeetingText.Status(localizer, locale, status)));
        }
        if (e.LeftAt is { } left)
        {
            parts.Add(localizer.Get(locale, "meetings.roll.leftAt", MeetingText.Time(left, series)));
        }
        if (e.Correction != null)
        {
            parts.Add(localizer.Get(locale, "meetings.roll.correctedBy", e.Correction.ByName.Length > 0 ? e.Correction.ByName : e.Correction.ById, e.Correction.Reason));
        }
        return parts.Count == 0 ? "" : string.Join(MeetingText.IsEnglish(locale) ? "; " : "；", parts);
    }
}
