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
    public const string ReviewMinutes = "minutes.review";
    public const string ReviewStatus = "minutes.reviewStatus";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(EditMinutes, [], [MeetingRoles.Host, MeetingRoles.Recorder], "minutes.auth.edit"),
        new(ViewMinutes, [Roles.Office, Roles.Manager, Roles.MinutesReviewer], [MeetingRoles.Participant, MeetingRoles.Host, MeetingRoles.Recorder, MinutesRoles.Recipient], "minutes.auth.view"),
        new(UpdateActionItem, [], [MinutesRoles.Owner, MeetingRoles.Host], "minutes.auth.update"),
        new(FollowUpActions, [Roles.Office, Roles.Supervisor], [MeetingRoles.Host], "minutes.auth.followUp"),
        // 例会制度(四) 第十条: the reviewer (e.g. 计划发展部) checks every meeting's minutes; the office sees who checked what.
        new(ReviewMinutes, [Roles.MinutesReviewer], [], "minutes.auth.review"),
        new(ReviewStatus, [Roles.Office, Roles.MinutesReviewer], [], "minutes.auth.reviewStatus"),
    ];
}
