using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// How a store keeps a JSON value (or any long text) in a Table Storage entity so that it
/// always fits:
/// <list type="bullet">
/// <item>JSON is written with Chinese (and every other BMP) text as it is, not as
/// <c>\uXXXX</c>, which would make each character six;</item>
/// <item>a value longer than one string property may hold (64 KiB, i.e. 32 Ki UTF-16 code
/// units) is split over numbered properties (<c>Name</c>, <c>Name_1</c>, <c>Name_2</c>…, with
/// <c>Name_Parts</c> saying how many), never inside a surrogate pair;</item>
/// <item>an entity whose text would pass what one entity may hold (1 MiB) is refused with
/// <see cref="RecordTooLargeException"/> before any request is made, so the caller can say so
/// instead of the service answering "PropertyValueTooLarge" / "EntityTooLarge".</item>
/// </list>
/// A value written in one property before this helper existed reads back unchanged.
/// </summary>
public static class TableJson
{
    /// <summary>UTF-16 code units one string property holds, with room to spare (the limit is 32,768).</summary>
    public const int MaxPropertyChars = 32_000;

    /// <summary>What one entity may take: 1 MiB.</summary>
    public const int MaxEntityBytes = 1_048_576;

    /// <summary>
    /// Bytes one UTF-16 code unit may take in the request that writes it: the Azure SDK writes
    /// every character outside ASCII as <c>\uXXXX</c> (six bytes; an emoji is two such), and the
    /// emulator (Azurite) holds the request body, as UTF-8, to the 1 MiB. Azure itself counts
    /// two bytes a code unit, so a record that fits this way fits there three times over.
    /// </summary>
    public const int MaxBytesPerChar = 6;

    /// <summary>Room left in the 1 MiB for the request's own JSON: braces, quotes, type annotations.</summary>
    public const int EnvelopeBytes = 32_768;

    /// <summary>
    /// Weight of a property that is not a string (a number, a date, a flag) in
    /// <see cref="TextLength"/>: its value and its <c>@odata.type</c> annotation.
    /// </summary>
    public const int NonStringChars = 16;

    /// <summary>
    /// UTF-16 code units of text (values and property names, <see cref="TextLength"/>) one entity
    /// may carry in all, derived from the limits above: (1 MiB less the envelope) / 6 = 169,301.
    /// Every cap on what a record holds is derived from this one.
    /// </summary>
    public const int MaxEntityChars = (MaxEntityBytes - EnvelopeBytes) / MaxBytesPerChar;

    private const string PartsSuffix = "_Parts";

    /// <summary>The options with an encoder that leaves CJK, emoji and other text unescaped (still valid JSON).</summary>
    public static JsonSerializerOptions Unescaped(JsonSerializerOptions options) =>
        new(options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes <paramref name="value"/> into property <paramref name="name"/> (split when long).</summary>
    public static void Put<T>(TableEntity entity, string name, T value, JsonSerializerOptions options) =>
        PutText(entity, name, JsonSerializer.Serialize(value, options));

    /// <summary>Reads what <see cref="Put{T}"/> wrote, or <paramref name="fallback"/> when nothing is there.</summary>
    public static T Get<T>(TableEntity entity, string name, JsonSerializerOptions options, T fallback)
    {
        var json = GetText(entity, name);
        return string.IsNullOrEmpty(json) ? fallback : JsonSerializer.Deserialize<T>(json, options) ?? fallback;
    }

    /// <summary>Stores text of any length in <paramref name="name"/>, split over numbered properties when it must be.</summary>
    public static void PutText(TableEntity entity, string name, string? text)
    {
        if (text == null || text.Length <= MaxPropertyChars)
        {
            entity[name] = text;
            CheckSize(entity);
            return;
        }

        var parts = 0;
        for (var start = 0; start < text.Length; parts++)
        {
            var length = Math.Min(MaxPropertyChars, text.Length - start);
            // Never leave half a surrogate pair at the end of a part.
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }
            entity[PartName(name, parts)] = text.Substring(start, length);
            start += length;
        }
        entity[name + PartsSuffix] = parts;
        CheckSize(entity);
    }

    /// <summary>Reads what <see cref="PutText"/> wrote (or a plain string property of that name).</summary>
    public static string? GetText(TableEntity entity, string name)
    {
        var parts = entity.GetInt32(name + PartsSuffix);
        if (parts is not > 1)
        {
            return entity.GetString(name);
        }
        var text = new StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            text.Append(entity.GetString(PartName(name, i))
                ?? throw new InvalidDataException($"{entity.PartitionKey}/{entity.RowKey} is missing part {i} of {parts} of {name}."));
        }
        return text.ToString();
    }

    /// <summary>The UTF-16 code units of the entity's property names and string values, other values counted as <see cref="NonStringChars"/> (what counts towards <see cref="MaxEntityChars"/>).</summary>
    public static int TextLength(TableEntity entity) =>
        entity.Sum(p => p.Key.Length + (p.Value is string s ? s.Length : NonStringChars));

    /// <summary>Throws <see cref="RecordTooLargeException"/> when the entity could not be stored.</summary>
    public static void CheckSize(TableEntity entity)
    {
        var length = TextLength(entity);
        if (length > MaxEntityChars)
        {
            throw new RecordTooLargeException(entity.RowKey, length);
        }
    }

    private static string PartName(string name, int index) => index == 0 ? name : $"{name}_{index}";
}

/// <summary>A record that Table Storage would refuse for its size; nothing was written.</summary>
public sealed class RecordTooLargeException(string rowKey, int length)
    : InvalidOperationException($"Record {rowKey} holds {length:N0} characters of text; one Table Storage entity holds at most {TableJson.MaxEntityChars:N0}.")
{
    public int Length { get; } = length;
}
