using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>
/// The check-in card (template Cards/CheckIn.json), its button's verb and its refresh verb.
/// The card posted to a shared chat carries an Adaptive Card <c>refresh</c> (Universal Actions)
/// naming the meeting's expected people (<see cref="RefreshUserIds"/>): Teams asks the bot for
/// each of them for their own view (<c>Attendance/CheckInViewAction</c>).
/// </summary>
public sealed class CheckInCard(ICardFactory cards, Localization.Localizer localizer)
{
    /// <summary>The 签到 button (Action.Execute), handled by <see cref="CheckInAction"/>.</summary>
    public const string Verb = "meetings.checkin";

    /// <summary>The card's refresh (Action.Execute, trigger "automatic"), handled by <c>Attendance/CheckInViewAction</c>.</summary>
    public const string ViewVerb = "meetings.checkin.view";

    /// <summary>Teams refreshes a card automatically for at most 60 users (<c>refresh.userIds</c>).</summary>
    public const int MaxRefreshUsers = 60;

    /// <summary>
    /// Who gets their own view: the host (and that meeting's substitute) and the recorder first,
    /// then the other expected people in id order, at most <see cref="MaxRefreshUsers"/>; anyone
    /// beyond sees the shared card (and still checks in with its button).
    /// </summary>
    public static IReadOnlyList<string> RefreshUserIds(SeriesSnapshot snapshot, MeetingOccurrence occurrence) =>
        snapshot.FirstExpected(occurrence, MaxRefreshUsers);

    /// <summary>
    /// The check-in card: as posted to the meeting's conversation (the shared view); with
    /// <paramref name="result"/>, a person's result or state on it; <paramref name="canCheckIn"/>
    /// and <paramref name="canSeeRoll"/> choose the buttons.
    /// </summary>
    public Attachment Create(SeriesSnapshot snapshot, MeetingOccurrence occurrence, string locale, string? result = null, bool good = true,
        bool canCheckIn = true, bool canSeeRoll = false, string? resultColor = null)
    {
        var series = snapshot.Series;
        var data = new JsonObject
        {
            ["occurrence"] = occurrence.Key,
            ["name"] = series.Name,
            ["when"] = MeetingText.When(occurrence, locale),
            ["location"] = series.Location.Length > 0 ? series.Location : "—",
            ["host"] = snapshot.NameOf(occurrence.HostId),
            ["window"] = MeetingText.Window(occurrence, locale),
            ["rules"] = Rules(series, locale),
            ["result"] = result ?? "",
            ["resultColor"] = resultColor ?? (good ? "Good" : "Attention"),
            ["userIds"] = new JsonArray(RefreshUserIds(snapshot, occurrence).Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
            ["canCheckIn"] = canCheckIn,
            ["canSeeRoll"] = canSeeRoll,
        };
        return cards.Create("CheckIn", data, locale);
    }

    /// <summary>
    /// The rules under the card, with the series' own arrive-by offset: the regulation's words
    /// (提前五分钟, 例会制度(四) 第八条) for the default 5 minutes, the number otherwise, and no
    /// arrive-early rule for a series that has none (0).
    /// </summary>
    private string Rules(MeetingSeries series, string locale) => series.ArriveByMinutes switch
    {
        5 => localizer.Get(locale, "meetings.checkInCard.rules"),
        <= 0 => localizer.Get(locale, "meetings.checkInCard.rulesNoEarly"),
        var minutes => localizer.Get(locale, "meetings.checkInCard.rulesMinutes", minutes),
    };
}
