using System.Security.Cryptography;
using System.Text;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// Turns any id (a Bot Framework state key, a Teams conversation id, a tenant id) into a legal
/// PartitionKey/RowKey. Table keys may not contain '/', '\', '#', '?' or control characters
/// and are limited to 1 KiB, so those characters (and '%', the escape character itself) are
/// written as %XX. The escaping is reversible and keeps non-ASCII text as it is.
/// Over-long keys are shortened with a hash suffix, so they stay unique.
/// </summary>
public static class TableKeys
{
    /// <summary>Well under the 1 KiB limit even when every character is two bytes.</summary>
    public const int MaxLength = 400;

    public static string Escape(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var sb = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                // Every character escaped here is below U+0100 (control characters are
                // U+0000-U+001F and U+007F-U+009F), so two hex digits always suffice.
                sb.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                sb.Append(c);
            }
        }

        if (sb.Length <= MaxLength)
        {
            return sb.ToString();
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return sb.ToString(0, MaxLength - hash.Length - 1) + "~" + hash;
    }

    /// <summary>Reverses <see cref="Escape"/> for keys that were not shortened.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length)
            {
                sb.Append((char)Convert.ToInt32(key.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                sb.Append(key[i]);
            }
        }
        return sb.ToString();
    }
}
