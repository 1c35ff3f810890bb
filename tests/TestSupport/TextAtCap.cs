namespace ChatRegs.TestSupport;

/// <summary>Text that fills a field to its cap, for the size tests (records must stay under Table Storage's limits).</summary>
public static class TextAtCap
{
    /// <summary>
    /// <paramref name="length"/> UTF-16 code units starting with <paramref name="seed"/>: Chinese,
    /// emoji, quotes and backslashes (never a comma) unless another <paramref name="filler"/> is
    /// given, never ending in half an emoji.
    /// </summary>
    public static string Full(int length, string seed, string filler = "顾客说“水渍”😀\\")
    {
        var text = new System.Text.StringBuilder(seed);
        while (text.Length < length)
        {
            text.Append(filler);
        }
        var s = text.ToString(0, length);
        return char.IsHighSurrogate(s[^1]) ? s[..^1] + "满" : s;
    }
}
