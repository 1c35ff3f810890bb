using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Language;

/// <summary>Languages' actions and who may do them (registered with AddPermissions in LanguageServices; rows in the authorization matrix test).</summary>
public static class LanguagePermissions
{
    /// <summary>
    /// <c>本群语言</c>: the office, or the host of a meeting series held in that chat. Choosing one's
    /// own language (<c>语言</c>) needs no permission: it changes nothing of anyone else's.
    /// </summary>
    public const string SetChatLanguage = "language.setChat";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(SetChatLanguage, [Roles.Office], [MeetingRoles.Host], "language.chat.notAllowed"),
    ];
}
