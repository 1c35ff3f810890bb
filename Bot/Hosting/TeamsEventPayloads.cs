using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// Teams events whose details the Bot Framework's TeamsActivityHandler (and the meeting
/// feature) convert to typed objects before any of our code can look: a meetingStart whose
/// StartTime is not a time, or a participant event whose value is a string, would throw there.
/// They are converted once here, the same way, and a payload that does not convert is a 400.
/// </summary>
public static class TeamsEventPayloads
{
    private static readonly Dictionary<string, Type> Payloads = new(StringComparer.Ordinal)
    {
        ["application/vnd.microsoft.meetingStart"] = typeof(MeetingStartEventDetails),
        ["application/vnd.microsoft.meetingEnd"] = typeof(MeetingEndEventDetails),
        ["application/vnd.microsoft.meetingParticipantJoin"] = typeof(MeetingParticipantsEventDetails),
        ["application/vnd.microsoft.meetingParticipantLeave"] = typeof(MeetingParticipantsEventDetails),
        ["application/vnd.microsoft.readReceipt"] = typeof(ReadReceiptInfo),
    };

    /// <returns>Null when the activity is not such an event or its details convert, else what is wrong.</returns>
    public static string? Check(Activity activity)
    {
        if (activity.Type != ActivityTypes.Event || activity.Name == null || !Payloads.TryGetValue(activity.Name, out var type))
        {
            return null;
        }
        if (activity.Value is not JObject value)
        {
            return $"The {activity.Name} event carries no details object.";
        }
        try
        {
            // What TeamsActivityHandler does: JObject.FromObject(value).ToObject<T>().
            JObject.FromObject(value).ToObject(type);
            return null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidCastException or OverflowException or UriFormatException)
        {
            return $"The {activity.Name} event's details are not what Teams sends.";
        }
    }
}
