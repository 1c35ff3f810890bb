using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;

namespace ChatRegs.Dialogs.Choices;

/// <summary>What a channel can show (the SDK's table, so rendering matches the real package).</summary>
public static class Channel
{
    /// <summary>Whether the channel shows <paramref name="buttonCnt"/> suggested actions.</summary>
    public static bool SupportsSuggestedActions(string? channelId, int buttonCnt = 100) => channelId switch
    {
        Channels.Facebook or Channels.Skype => buttonCnt <= 10,
        Channels.Line => buttonCnt <= 13,
        "kik" => buttonCnt <= 20,
        Channels.Telegram or Channels.Emulator or Channels.Directline or Channels.Webchat => buttonCnt <= 100,
        _ => false,
    };

    /// <summary>Whether the channel shows <paramref name="buttonCnt"/> card buttons (Teams: 3).</summary>
    public static bool SupportsCardActions(string? channelId, int buttonCnt = 100) => channelId switch
    {
        Channels.Facebook or Channels.Skype or Channels.Msteams => buttonCnt <= 3,
        Channels.Line => buttonCnt <= 99,
        Channels.Slack or Channels.Emulator or Channels.Directline or Channels.Webchat or "cortana" => buttonCnt <= 100,
        _ => false,
    };

    /// <summary>The longest button title the channel shows whole.</summary>
    public static int MaxActionTitleLength(string? channelId) => 20;

    /// <summary>The channel of the turn's activity, or "".</summary>
    public static string GetChannelId(ITurnContext turnContext) =>
        turnContext?.Activity?.ChannelId ?? string.Empty;
}
