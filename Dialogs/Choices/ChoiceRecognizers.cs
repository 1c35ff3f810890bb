using System.Globalization;
using System.Text;

namespace ChatRegs.Dialogs.Choices;

/// <summary>
/// Finds which choice a reply selects. A simplified, deterministic version of the SDK's
/// recognizer, in this order:
/// <list type="number">
/// <item>the whole reply equals a choice's value, button title or synonym (case-insensitive,
/// full-width letters/digits folded, surrounding spaces and end punctuation ignored);</item>
/// <item>the reply is a 1-based number: "2", "２", "二", "第二个", "#2", "2nd", "second";</item>
/// <item>the reply contains the value, title or synonym of exactly one choice (English words
/// must stand alone); when several match, the longest match wins, a tie matches nothing.</item>
/// </list>
/// </summary>
public static class ChoiceRecognizers
{
    private static readonly string[] EnglishOrdinals =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    /// <summary>The matches of <paramref name="utterance"/> in <paramref name="list"/>, best first (at most one here).</summary>
    public static List<ModelResult<FoundChoice>> RecognizeChoices(string? utterance, IList<Choice> list) =>
        RecognizeChoices(utterance, list, allowPartialMatch: true);

    /// <summary>As <see cref="RecognizeChoices(string?, IList{Choice})"/>; without partial matches only steps 1 and 2 apply.</summary>
    internal static List<ModelResult<FoundChoice>> RecognizeChoices(string? utterance, IList<Choice> list, bool allowPartialMatch)
    {
        var results = new List<ModelResult<FoundChoice>>();
        if (string.IsNullOrWhiteSpace(utterance) || list == null || list.Count == 0)
        {
            return results;
        }

        var text = Normalize(utterance);
        if (text.Length == 0)
        {
            return results;
        }

        // 1. Exact value / title / synonym.
        for (var i = 0; i < list.Count; i++)
        {
            var term = Terms(list[i]).FirstOrDefault(t => t.Normalized == text);
            if (term != default)
            {
                results.Add(Result(utterance, list[i], i, 1f, term.Original));
                return results;
            }
        }

        // 2. A 1-based number.
        var number = ParseNumber(text);
        if (number is >= 1 && number <= list.Count)
        {
            results.Add(Result(utterance, list[number.Value - 1], number.Value - 1, 1f, number.Value.ToString(CultureInfo.InvariantCulture)));
            return results;
        }

        if (!allowPartialMatch)
        {
            return results;
        }

        // 3. A value / title / synonym inside the reply.
        var best = list
            .Select((choice, index) => (choice, index, term: Terms(choice)
                .Where(t => t.Normalized.Length > 0 && Contains(text, t.Normalized))
                .OrderByDescending(t => t.Normalized.Length)
                .FirstOrDefault()))
            .Where(m => m.term != default)
            .OrderByDescending(m => m.term.Normalized.Length)
            .ToList();
        if (best.Count == 1 || (best.Count > 1 && best[0].term.Normalized.Length > best[1].term.Normalized.Length))
        {
            var m = best[0];
            results.Add(Result(utterance, m.choice, m.index, (float)m.term.Normalized.Length / text.Length, m.term.Original));
        }

        return results;
    }

    /// <summary>Folds width and case, trims spaces and end punctuation.</summary>
    internal static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();
        return folded.Trim(' ', '\t', '\r', '\n', '\u3000', '.', '。', '!', '?', ',', '，', '、', '~', '～', ';', ':');
    }

    /// <summary>Parses "2", "第二个", "二", "#2", "2nd", "second" (up to 99); null when not a number.</summary>
    internal static int? ParseNumber(string normalized)
    {
        var text = normalized;
        if (text.StartsWith('#'))
        {
            text = text[1..].Trim();
        }

        if (text.StartsWith('第'))
        {
            text = text[1..].TrimEnd('个', '項', '项', '条', '種', '种', '位', '号', '個').Trim();
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        foreach (var suffix in new[] { "st", "nd", "rd", "th" })
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && int.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }

        var ordinal = Array.IndexOf(EnglishOrdinals, text);
        if (ordinal >= 0)
        {
            return ordinal + 1;
        }

        return ParseChineseNumber(text);
    }

    private static int? ParseChineseNumber(string text)
    {
        static int? Digit(char c) => "零一二三四五六七八九".IndexOf(c) is var i and >= 0 ? i : c == '两' ? 2 : null;

        if (text.Length == 0 || text.Length > 3)
        {
            return null;
        }

        var ten = text.IndexOf('十');
        if (ten < 0)
        {
            return text.Length == 1 ? Digit(text[0]) : null;
        }

        var tens = ten == 0 ? 1 : ten == 1 ? Digit(text[0]) : null;
        var rest = text[(ten + 1)..];
        var ones = rest.Length == 0 ? 0 : rest.Length == 1 ? Digit(rest[0]) : null;
        return tens.HasValue && ones.HasValue ? tens * 10 + ones : null;
    }

    private static IEnumerable<(string Original, string Normalized)> Terms(Choice choice)
    {
        var terms = new List<string?> { choice.Value, choice.Action?.Title };
        terms.AddRange(choice.Synonyms ?? Enumerable.Empty<string>());
        return terms
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(t => (t!, Normalize(t!)))
            .Where(t => t.Item2.Length > 0);
    }

    private static bool Contains(string text, string term)
    {
        for (var start = text.IndexOf(term, StringComparison.Ordinal); start >= 0; start = text.IndexOf(term, start + 1, StringComparison.Ordinal))
        {
            var end = start + term.Length;
            var leftOk = start == 0 || !IsWordChar(text[start - 1]) || !IsWordChar(term[0]);
            var rightOk = end == text.Length || !IsWordChar(text[end]) || !IsWordChar(term[^1]);
            if (leftOk && rightOk)
            {
                return true;
            }
        }

        return false;
    }

    // Latin letters and digits form words; CJK characters each stand alone.
    private static bool IsWordChar(char c) => c < 0x2E80 && char.IsLetterOrDigit(c);

    private static ModelResult<FoundChoice> Result(string utterance, Choice choice, int index, float score, string synonym) => new()
    {
        Start = 0,
        End = utterance.Length - 1,
        Text = utterance,
        TypeName = "choice",
        Resolution = new FoundChoice { Value = choice.Value, Index = index, Score = score, Synonym = synonym },
    };
}
