using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>Minutes and action items's actions and who may do them (registered with AddPermissions in MinutesServices; rows in the authorization matrix test).</summary>
public static class MinutesPermissions
{
    public const string EditMinutes = "minutes.edit";
    public const string ViewMinutes = "minutes.view";
    public const string UpdateActionItem = "actions.update";
    public const string FollowUpActions = "actions.followUp";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(EditMinutes, [], [MeetingRoles.Host, MeetingRoles.Recorder], "minutes.auth.edit"),
        new(ViewMinutes, [Roles.Office, Roles.Manager], [MeetingRoles.Participant, MeetingRoles.Host, MeetingRoles.Recorder, MinutesRoles.Recipient], "minutes.auth.view"),
        new(UpdateActionItem, [], [MinutesRoles.Owner, MeetingRoles.Host], "minutes.auth.update"),
        new(FollowUpActions, [Roles.Office], [MeetingRoles.Host], "minutes.auth.followUp"),
    ];
}
