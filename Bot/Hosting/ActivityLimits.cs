using ChatRegs.Bot.Core;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// Display names are copied from activities into stored rows (conversation references, the
/// people directory's first-contact rows, records that name who did something). Table Storage
/// keeps at most 32 K characters in a property, so a 40,000-character <c>from.name</c> would
/// make every turn of that person "not saved". Names are therefore shortened to
/// <see cref="MaxNameLength"/> characters (Entra ID's own limit for a display name) before
/// the turn runs; ids are never shortened (<see cref="ActivityShape"/> refuses absurd ones).
/// </summary>
public static class ActivityLimits
{
    public const int MaxNameLength = TextCaps.MaxNameLength;

    /// <summary>Shortens the display names the activity carries (sender, recipient, conversation, members added or removed, meeting participants).</summary>
    public static void Apply(Activity activity)
    {
        Shorten(activity.From);
        Shorten(activity.Recipient);
        if (activity.Conversation != null)
        {
            activity.Conversation.Name = Name(activity.Conversation.Name);
        }
        foreach (var member in activity.MembersAdded ?? [])
        {
            Shorten(member);
        }
        foreach (var member in activity.MembersRemoved ?? [])
        {
            Shorten(member);
        }
        // Meeting participant events name who joined or left inside their details.
        if (activity.Type == ActivityTypes.Event && activity.Value is JObject { } value && value["members"] is JArray members)
        {
            foreach (var user in members.OfType<JObject>().Select(m => m["user"]).OfType<JObject>())
            {
                if (user["name"] is JValue { Type: JTokenType.String } name)
                {
                    user["name"] = Name((string?)name);
                }
            }
        }
    }

    /// <summary><paramref name="name"/> cut to <see cref="MaxNameLength"/> characters, never inside a surrogate pair.</summary>
    public static string? Name(string? name) => TextCaps.Name(name);

    private static void Shorten(ChannelAccount? account)
    {
        if (account != null)
        {
            account.Name = Name(account.Name);
        }
    }
}
