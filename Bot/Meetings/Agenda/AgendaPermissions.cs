using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>The agenda (议题)'s actions and who may do them (registered with AddPermissions in AgendaServices; rows in the authorization matrix test).</summary>
public static class AgendaPermissions
{
    public const string SubmitTopic = "agenda.submitTopic";
    public const string ViewAgenda = "agenda.view";
    public const string ManageAgenda = "agenda.manage";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(SubmitTopic, [Roles.Office], [MeetingRoles.Participant, MeetingRoles.Host, MeetingRoles.Recorder], "agenda.auth.submit"),
        new(ViewAgenda, [Roles.Office, Roles.Manager], [MeetingRoles.Participant, MeetingRoles.Host, MeetingRoles.Recorder], "agenda.auth.view"),
        new(ManageAgenda, [Roles.Office], [MeetingRoles.Host, MeetingRoles.Recorder], "agenda.auth.manage"),
    ];
}
