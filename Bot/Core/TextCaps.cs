namespace ChatRegs.Bot.Core;

/// <summary>
/// Lengths the bot holds text from an activity to, so a stored row always fits Table Storage
/// (32 K characters a property) whatever the activity carried. The transport
/// (<c>Hosting/ActivityShape</c>, <c>Hosting/ActivityLimits</c>) applies them before a turn runs;
/// stores apply them again to what they copy.
/// </summary>
public static class TextCaps
{
    /// <summary>Display names: Entra ID's own limit for a display name.</summary>
    public const int MaxNameLength = 256;

    /// <summary>A type, channel id, activity name, locale, role or conversation type.</summary>
    public const int MaxWordLength = 128;

    public const int MaxServiceUrlLength = 2048;

    /// <summary><paramref name="name"/> cut to <see cref="MaxNameLength"/> characters, never inside a surrogate pair.</summary>
    public static string? Name(string? name) => Truncate(name, MaxNameLength);

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, never inside a surrogate pair.</summary>
    public static string? Truncate(string? text, int max)
    {
        if (text == null || text.Length <= max)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut];
    }

    /// <summary>
    /// True when <paramref name="text"/> has no visible character (empty counts): only whitespace,
    /// Unicode format characters (zero-width spaces and joiners, direction marks and overrides, the
    /// byte-order mark, word joiners) and the Hangul and Braille blanks.
    /// </summary>
    public static bool IsBlank(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format
                && c is not ('\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800'))
            {
                return false;
            }
        }
        return true;
    }
}
