using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>What the local chat channel does with the bot's answer to an invoke.</summary>
internal static class DevInvokes
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>
    /// An <c>adaptiveCard/action</c> (Action.Execute) answered with a card: the card replaces
    /// the one the action came from (the invoke's replyToId) for the person who clicked, as in
    /// Teams; everyone else keeps seeing the card until the bot updates the message itself
    /// (PUT on the connector, which replaces it for everyone). A message answer ("type":
    /// "application/vnd.microsoft.activity.message") changes nothing in the transcript; the page
    /// shows its text briefly, as Teams does.
    /// </summary>
    public static void Apply(Transcript transcript, JObject invoke, DevPerson person, int status, JObject? body)
    {
        if ((string?)invoke["name"] != AdaptiveCardAction || status != StatusCodes.Status200OK || body == null)
        {
            return;
        }
        if ((string?)body["type"] != AdaptiveCardContentType || body["value"] is not JObject card)
        {
            return;
        }
        var replyToId = (string?)invoke["replyToId"];
        var original = replyToId == null ? null : transcript.Latest(replyToId, person.Id);
        if (original == null)
        {
            return;
        }
        original["attachments"] = new JArray(new JObject
        {
            ["contentType"] = AdaptiveCardContentType,
            ["content"] = card.DeepClone(),
        });
        if (original["channelData"] is not JObject channelData)
        {
            original["channelData"] = channelData = new JObject();
        }
        channelData["devchannel:userSpecific"] = person.Id;
        transcript.Append(original, visibleTo: person.Id);
    }
}
