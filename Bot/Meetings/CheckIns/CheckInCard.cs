using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>The check-in card (template Cards/CheckIn.json) and its button's verb.</summary>
public sealed class CheckInCard(ICardFactory cards)
{
    /// <summary>The 签到 button (Action.Execute), handled by <see cref="CheckInAction"/>.</summary>
    public const string Verb = "meetings.checkin";

    /// <summary>The check-in card posted to the meeting's conversation; with <paramref name="outcome"/>, the clicker's result on it.</summary>
    public Attachment Create(SeriesSnapshot snapshot, MeetingOccurrence occurrence, string locale, string? result = null, bool good = true)
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
            ["result"] = result ?? "",
            ["resultColor"] = good ? "Good" : "Attention",
        };
        return cards.Create("CheckIn", data, locale);
    }
}
