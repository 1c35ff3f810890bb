namespace ChatRegs.Bot.Meetings;

/// <summary>Bound from "ChatRegs:Meetings".</summary>
public sealed class MeetingOptions
{
    public const string Section = "ChatRegs:Meetings";

    /// <summary>
    /// How long this process keeps a series, its participants and one-off changes in memory.
    /// Check-ins read them from here, so a rush of check-ins costs one insert each. Changes made
    /// on this instance are seen at once; changes made on another instance within this time.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Leaving the Teams meeting at most this long before its end (the scheduled one, or the
    /// actual one when the meeting ended earlier) is not left early (早退): people hang up before
    /// the host ends the meeting.
    /// </summary>
    public int LeftEarlyGraceMinutes { get; set; } = 5;

    /// <summary>At most this many participants of one Teams join or leave event are looked at (Teams sends a few at a time).</summary>
    public int MaxMembersPerEvent { get; set; } = 500;

    /// <summary>How far ahead <c>会议</c> looks for my meetings.</summary>
    public int UpcomingDays { get; set; } = 14;

    /// <summary>At most this many people are offered in the series form's pickers (the card must stay small).</summary>
    public int MaxPeopleInForm { get; set; } = 150;

    /// <summary>
    /// The page Teams' targeted in-meeting notification opens on the meeting stage when a meeting
    /// starts (the meeting panel's check-in page, e.g. https://chatregs.example.com/tabs/meeting.html):
    /// an absolute https URL in a domain the app package lists (http only on localhost). Empty:
    /// no in-meeting notification, everyone not checked in gets a personal message.
    /// </summary>
    public string InMeetingNotificationUrl { get; set; } = "";
}
