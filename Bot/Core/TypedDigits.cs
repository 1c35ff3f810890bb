namespace ChatRegs.Bot.Core;

/// <summary>
/// Dates, months, weeks and times as people type them with a Chinese input method: full-width
/// (２０２６－１２－０５, ２０２６年１２月, ０８：３０, ２０２６－Ｗ４８), or with another script's digits.
/// Parsers fold the text first, so these read as their ASCII forms, and match digits with
/// <c>[0-9]</c>, never <c>\d</c>: <c>\d</c> also matches every other script's digits, which
/// <c>int.Parse</c> then refuses with an exception instead of the "cannot read" answer.
/// </summary>
public static class TypedDigits
{
    /// <summary>
    /// <paramref name="text"/> with full-width ASCII forms (U+FF01–U+FF5E) and the ideographic
    /// space folded to ASCII, and every decimal digit of any script to 0–9. One character for
    /// one character, so positions found in the folded text hold in the original.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                    '\u3000' => ' ',
                    _ when c > '\u007F' && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DecimalDigitNumber
                        => (char)('0' + (int)char.GetNumericValue(c)),
                    _ => c,
                };
            }
        });
    }
}
