namespace ChatRegs.Bot.DevChannel;

/// <summary>A sample person of the local chat channel, shaped like a Teams user.</summary>
/// <param name="Key">Short name used by the page and the Direct Line token ("employee").</param>
/// <param name="Id">Teams user id (MRI), as the bot sees it in <c>from.id</c>.</param>
/// <param name="AadObjectId">Azure AD object id, as Teams sends it in <c>from.aadObjectId</c>.</param>
/// <param name="Role">The person's job in the regulations; matches the People feature's role
/// names where one exists (<c>office</c>, <c>csSupervisor</c>, <c>csRep</c>).</param>
/// <param name="MeetingRole">Their role in the sample meeting (Organizer, Presenter, Attendee).</param>
public sealed record DevPerson(
    string Key,
    string Id,
    string AadObjectId,
    string Name,
    string Role,
    string RoleZh,
    string RoleEn,
    string UserPrincipalName,
    string MeetingRole)
{
    /// <summary>The person's 1:1 chat with the bot (Teams returns the same one every time it is created).</summary>
    public string PersonalConversationId => "a:dev-" + Key;
}

/// <summary>A conversation of the local chat channel: a person's 1:1 chat or the meeting chat.</summary>
public sealed record DevChat(
    string ConversationId,
    string ConversationType,
    string? Name,
    IReadOnlyList<DevPerson> Members,
    bool IsMeetingChat);

/// <summary>
/// The sample tenant of the local chat channel (Development only): five people, each with a
/// 1:1 chat with the bot, and one team whose "周例会" channel holds the weekly meeting, so the
/// meeting chat carries team, channel and meeting in its Teams channel data.
/// </summary>
public static class DevPeople
{
    public const string TenantId = "dev-tenant";

    public const string TeamId = "19:dev-team-general@thread.tacv2";
    public const string TeamName = "综合部";
    public const string TeamAadGroupId = "0d6c2d8e-5b1a-4c3e-9f1d-7a0b6c5d4e01";

    /// <summary>The meeting's channel: the "meeting chat" of the page.</summary>
    public const string MeetingConversationId = "19:dev-meeting-weekly@thread.tacv2";
    public const string MeetingChannelName = "周例会";
    public const string MeetingId = "MCMeeting-dev-weekly";
    public const string MeetingTitle = "周例会";

    public static DevPerson Employee { get; } = new("employee", "29:dev-employee", "6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e01", "王小明", "employee", "员工", "Employee", "wangxiaoming@dev-tenant.example", "Attendee");
    public static DevPerson Host { get; } = new("host", "29:dev-host", "6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e02", "张伟", "host", "主持人", "Meeting host", "zhangwei@dev-tenant.example", "Organizer");
    public static DevPerson CsRep { get; } = new("csRep", "29:dev-cs-rep", "6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e03", "李娜", "csRep", "客服专员", "CS rep", "lina@dev-tenant.example", "Attendee");
    public static DevPerson CsSupervisor { get; } = new("csSupervisor", "29:dev-cs-supervisor", "6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e04", "刘洋", "csSupervisor", "客服主管", "CS supervisor", "liuyang@dev-tenant.example", "Attendee");
    public static DevPerson Office { get; } = new("office", "29:dev-office", "6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e05", "陈静", "office", "办公室", "Office manager", "chenjing@dev-tenant.example", "Presenter");

    public static IReadOnlyList<DevPerson> All { get; } = [Employee, Host, CsRep, CsSupervisor, Office];

    public static DevChat MeetingChat { get; } = new(MeetingConversationId, "channel", MeetingChannelName, All, IsMeetingChat: true);

    public static DevPerson? ByKey(string? key) => All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>By Teams id (29:…) or AAD object id.</summary>
    public static DevPerson? ById(string? id) =>
        All.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(p.AadObjectId, id, StringComparison.OrdinalIgnoreCase));

    public static DevChat PersonalChat(DevPerson person) => new(person.PersonalConversationId, "personal", null, [person], IsMeetingChat: false);

    /// <summary>The chat with this conversation id; the team id stands for the team (its members).</summary>
    public static DevChat? ChatById(string? conversationId)
    {
        if (conversationId == null)
        {
            return null;
        }
        if (conversationId == MeetingConversationId || conversationId == TeamId)
        {
            return MeetingChat with { ConversationId = conversationId };
        }
        var person = All.FirstOrDefault(p => p.PersonalConversationId == conversationId);
        return person == null ? null : PersonalChat(person);
    }

    /// <summary>"personal" (the person's own 1:1 chat) or "meeting".</summary>
    public static DevChat? ChatFor(DevPerson person, string? chatKey) => chatKey switch
    {
        null or "" or "personal" => PersonalChat(person),
        "meeting" => MeetingChat,
        _ => null,
    };
}
