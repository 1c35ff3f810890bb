using ChatRegs.Bot.Core;
using System.Globalization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;

namespace ChatRegs.Bot.Leave;

/// <summary>Leave as people read it, in their language and the request's time zone.</summary>
public sealed class LeaveText(Localizer localizer)
{
    public Localizer Localizer => localizer;

    public string L(string locale, string key, params object?[] args) => localizer.Get(locale, "leave." + key, args);

    public string Type(string locale, string type) => L(locale, "types." + (LeaveTypes.IsValid(type) ? type : LeaveTypes.Other));

    public string Status(string locale, LeaveStatus status) => L(locale, "status." + Camel(status.ToString()));

    public static string StatusColor(LeaveStatus status) => status switch
    {
        LeaveStatus.Approved => "Good",
        LeaveStatus.Rejected => "Attention",
        LeaveStatus.Pending => "Warning",
        _ => "Default",
    };

    /// <summary>"11月27日 周五 10:02" / "Fri 27 Nov 10:02".</summary>
    public static string Stamp(DateTimeOffset instant, TimeZoneInfo zone, string locale)
    {
        var local = TeamClock.LocalIn(instant, zone);
        return MeetingText.Date(local, locale) + " " + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>What the leave is from: the meeting's name, or "days" in words.</summary>
    public string What(LeaveRequest r, string locale) => r.Kind == LeaveKind.Meeting ? r.SeriesName ?? r.SeriesId ?? "" : L(locale, "text.days");

    /// <summary>When: "11月30日 周一 08:30–09:30", or a span of days with its length.</summary>
    public string When(LeaveRequest r, string locale)
    {
        if (r.Kind == LeaveKind.Meeting)
        {
            var start = TeamClock.LocalIn(r.FromUtc, r.Zone);
            var end = TeamClock.LocalIn(r.ToUtc, r.Zone);
            var endText = end.Date == start.Date ? end.ToString("HH:mm", CultureInfo.InvariantCulture) : MeetingText.Date(end, locale) + " " + end.ToString("HH:mm", CultureInfo.InvariantCulture);
            return $"{MeetingText.Date(start, locale)} {start:HH\\:mm}–{endText}";
        }
        return Span(r.FromDate ?? default, r.FromHalf, r.ToDate ?? default, r.ToHalf, locale) + L(locale, "text.workingDays", Days(r.WorkingDays));
    }

    /// <summary>One line: "周工作例会 11月30日 周一 08:30–09:30" / "按天请假 11月30日 周一 至 12月2日 周三（共 3 个工作日）".</summary>
    public string Title(LeaveRequest r, string locale) => What(r, locale) + " " + When(r, locale);

    /// <summary>"11月30日 周一 全天", "11月30日 周一 下午 至 12月2日 周三 上午", "Mon 30 Nov – Wed 2 Dec".</summary>
    public string Span(DateOnly from, HalfDay fromHalf, DateOnly to, HalfDay toHalf, string locale)
    {
        var fromText = MeetingText.Date(from.ToDateTime(TimeOnly.MinValue), locale);
        var toText = MeetingText.Date(to.ToDateTime(TimeOnly.MinValue), locale);
        if (from == to)
        {
            var part = (fromHalf, toHalf) switch
            {
                (HalfDay.Morning, HalfDay.Afternoon) => L(locale, "text.allDay"),
                (HalfDay.Morning, HalfDay.Morning) => L(locale, "text.morning"),
                _ => L(locale, "text.afternoon"),
            };
            return L(locale, "text.dayPart", fromText, part);
        }
        var start = fromHalf == HalfDay.Afternoon ? L(locale, "text.dayPart", fromText, L(locale, "text.afternoon")) : fromText;
        var end = toHalf == HalfDay.Morning ? L(locale, "text.dayPart", toText, L(locale, "text.morning")) : toText;
        return L(locale, "text.range", start, end);
    }

    public static string Days(double days) => days.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The outcome in one line: "已批准 · 张伟 · 11月27日 周五 10:02".</summary>
    public string Decision(LeaveRequest r, string locale) => r.Status switch
    {
        LeaveStatus.Pending => L(locale, "decision.pending", r.ApproverName.Length > 0 ? r.ApproverName : r.ApproverId),
        LeaveStatus.Withdrawn => L(locale, "decision.withdrawn", r.DecidedAt is { } w ? Stamp(w, r.Zone, locale) : ""),
        _ => L(locale, r.Status == LeaveStatus.Approved ? "decision.approved" : "decision.rejected",
            r.DecidedByName is { Length: > 0 } n ? n : r.DecidedById ?? "", r.DecidedAt is { } at ? Stamp(at, r.Zone, locale) : ""),
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
