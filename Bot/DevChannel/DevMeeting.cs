using System.Globalization;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The sample meeting of the local chat channel (in the team's "周例会" channel): whether it is
/// running and who is in it, and the Teams meeting events the page can raise (meeting
/// start/end, a participant joins/leaves), shaped as Teams sends them to a bot with the
/// meeting RSC permissions.
/// </summary>
public sealed class DevMeeting
{
    public const string StartEvent = "application/vnd.microsoft.meetingStart";
    public const string EndEvent = "application/vnd.microsoft.meetingEnd";
    public const string JoinEvent = "application/vnd.microsoft.meetingParticipantJoin";
    public const string LeaveEvent = "application/vnd.microsoft.meetingParticipantLeave";

    private readonly object _lock = new();
    private readonly HashSet<string> _inMeeting = [];
    private DateTimeOffset? _startedAt;

    public const string JoinUrl = "https://teams.microsoft.com/l/meetup-join/dev-meeting-weekly";

    public bool IsIn(DevPerson person)
    {
        lock (_lock)
        {
            return _inMeeting.Contains(person.Id);
        }
    }

    /// <summary>MeetingDetails as GET v1/meetings/{id} returns them.</summary>
    public JObject Details()
    {
        var start = ScheduledStart();
        return new JObject
        {
            ["id"] = DevPeople.MeetingId,
            ["msGraphResourceId"] = "MSo2ZTJmNmE0MC0xYzNiLTRkOWEtOWE1MS0zYjhmMGMyZDFlMDIqMCoqMTk6ZGV2LW1lZXRpbmctd2Vla2x5QHRocmVhZC50YWN2Mg",
            ["scheduledStartTime"] = start.ToString("o", CultureInfo.InvariantCulture),
            ["scheduledEndTime"] = start.AddHours(1).ToString("o", CultureInfo.InvariantCulture),
            ["joinUrl"] = JoinUrl,
            ["title"] = DevPeople.MeetingTitle,
            ["type"] = "Scheduled",
        };
    }

    /// <summary>This week's Monday 08:30 in China (例会制度二: weekly meeting, Monday 8:30).</summary>
    private static DateTimeOffset ScheduledStart()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var monday = now.Date.AddDays(-(((int)now.DayOfWeek + 6) % 7));
        return new DateTimeOffset(monday.AddHours(8.5), TimeSpan.FromHours(8));
    }

    /// <summary>The event activity for "start", "end", "join" or "leave" (by <paramref name="person"/>); null for anything else.</summary>
    public JObject? Event(DevTeams teams, string kind, DevPerson person, string serviceUrl, string? locale)
    {
        var activity = teams.Envelope("event", person, DevPeople.MeetingChat, serviceUrl, locale);
        var now = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            switch (kind)
            {
                case "start":
                    _startedAt = DateTimeOffset.UtcNow;
                    activity["name"] = StartEvent;
                    activity["value"] = new JObject
                    {
                        ["Id"] = DevPeople.MeetingId,
                        ["MeetingType"] = "Scheduled",
                        ["JoinUrl"] = JoinUrl,
                        ["Title"] = DevPeople.MeetingTitle,
                        ["StartTime"] = now,
                    };
                    return activity;
                case "end":
                    _startedAt = null;
                    _inMeeting.Clear();
                    activity["name"] = EndEvent;
                    activity["value"] = new JObject
                    {
                        ["Id"] = DevPeople.MeetingId,
                        ["MeetingType"] = "Scheduled",
                        ["JoinUrl"] = JoinUrl,
                        ["Title"] = DevPeople.MeetingTitle,
                        ["EndTime"] = now,
                    };
                    return activity;
                case "join":
                case "leave":
                    var joining = kind == "join";
                    if (joining)
                    {
                        _inMeeting.Add(person.Id);
                    }
                    else
                    {
                        _inMeeting.Remove(person.Id);
                    }
                    activity["name"] = joining ? JoinEvent : LeaveEvent;
                    activity["value"] = new JObject
                    {
                        ["members"] = new JArray(new JObject
                        {
                            ["user"] = DevTeams.Member(person),
                            ["meeting"] = new JObject { ["inMeeting"] = joining, ["role"] = person.MeetingRole },
                        }),
                    };
                    return activity;
                default:
                    return null;
            }
        }
    }

    public bool Running
    {
        get { lock (_lock) { return _startedAt != null; } }
    }
}
