using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// The Bot Framework <see cref="IStorage"/> over Azure Table Storage, keeping the SDK's ETag
/// contract exactly as its MemoryStorage does:
/// <list type="bullet">
/// <item>an <see cref="IStoreItem"/> whose ETag is not the current one (including an empty
/// ETag over an existing item) fails with <see cref="StorageConflictException"/>;</item>
/// <item><c>"*"</c> overwrites; a value that is not an IStoreItem overwrites;</item>
/// <item>reads return the current ETag in the item.</item>
/// </list>
/// Beyond MemoryStorage, a dictionary or JObject carrying an <c>"eTag"</c> entry (which is how
/// BotState holds conversation and user state) is checked the same way, so two bot instances
/// writing one conversation cannot silently overwrite each other; after a successful write the
/// new ETag is put back into the written object so a second save in the same turn succeeds.
///
/// One key is one entity (PartitionKey = escaped key, RowKey = "state"). The value is
/// serialized as the SDK's storages do (Newtonsoft, TypeNameHandling.All), gzip-compressed when
/// that helps, and split across binary properties of at most <see cref="ChunkBytes"/> bytes,
/// because Table Storage caps a property at 64 KiB and an entity at 1 MiB.
/// </summary>
public sealed class TableStorage : IStorage
{
    public const int ChunkBytes = 60_000;
    public const int MaxChunks = 16;
    private const string RowKey = "state";
    private const string ETagProperty = "eTag";

    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        // Only types the bot itself, the SDK and the BCL define can be materialized from storage.
        SerializationBinder = new StateTypeBinder(),
        MaxDepth = null,
    };

    private readonly TableClient _table;

    public TableStorage(TableClient table)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
    }

    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var reads = keys.Distinct().Select(async key =>
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(key), RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (key, entity: response.HasValue ? response.Value : null);
        });

        var result = new Dictionary<string, object>();
        foreach (var (key, entity) in await Task.WhenAll(reads).ConfigureAwait(false))
        {
            if (entity == null)
            {
                continue;
            }

            var value = Deserialize(entity);
            if (value != null)
            {
                SetETag(value, entity.ETag.ToString());
                result[key] = value;
            }
        }
        return result;
    }

    public async Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        // Writes to different keys are independent; run them side by side.
        await Task.WhenAll(changes.Select(change => WriteOneAsync(change.Key, change.Value, cancellationToken))).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await Task.WhenAll(keys.Distinct().Select(async key =>
        {
            try
            {
                await _table.DeleteEntityAsync(TableKeys.Escape(key), RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Already gone: deleting is idempotent, as in MemoryStorage.
            }
        })).ConfigureAwait(false);
    }

    private async Task WriteOneAsync(string key, object? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value == null)
        {
            throw new ArgumentNullException(nameof(value), $"Cannot store a null value for '{key}'; delete it instead.");
        }

        var (isChecked, expected) = ExpectedETag(value);
        var entity = Serialize(key, value);
        Response response;
        try
        {
            if (!isChecked || expected == "*")
            {
                response = await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else if (string.IsNullOrEmpty(expected))
            {
                // An item that claims to be new: it must not exist yet.
                response = await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    response = await _table.UpdateEntityAsync(entity, new ETag(expected), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // MemoryStorage writes an item with an ETag when nothing is stored under its key.
                    response = await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new StorageConflictException(key, expected, e);
        }

        if (response.Headers.ETag is { } newETag)
        {
            SetETag(value, newETag.ToString());
        }
    }

    private static (bool IsChecked, string? ETag) ExpectedETag(object value) => value switch
    {
        IStoreItem item => (true, item.ETag),
        IDictionary<string, object> dict when dict.TryGetValue(ETagProperty, out var e) && e is string s => (true, s),
        JObject obj when obj[ETagProperty]?.Type == JTokenType.String => (true, (string?)obj[ETagProperty]),
        _ => (false, null),
    };

    private static void SetETag(object value, string etag)
    {
        switch (value)
        {
            case IStoreItem item:
                item.ETag = etag;
                break;
            case IDictionary<string, object> dict when !dict.IsReadOnly:
                dict[ETagProperty] = etag;
                break;
            case JObject obj:
                obj[ETagProperty] = etag;
                break;
        }
    }

    private static TableEntity Serialize(string key, object value)
    {
        var json = JsonConvert.SerializeObject(value, Settings);
        var bytes = Encoding.UTF8.GetBytes(json);
        var encoding = "json";
        if (bytes.Length > 1024)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(bytes);
            }
            if (buffer.Length < bytes.Length)
            {
                bytes = buffer.ToArray();
                encoding = "json+gzip";
            }
        }

        var chunks = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException(
                $"State for '{key}' is {bytes.Length:N0} bytes after compression; Table Storage keeps at most {MaxChunks * ChunkBytes:N0} bytes per key.");
        }

        var entity = new TableEntity(TableKeys.Escape(key), RowKey)
        {
            ["Key"] = key.Length <= 16_000 ? key : key[..16_000],
            ["Encoding"] = encoding,
            ["Chunks"] = chunks,
        };
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            entity["D" + i] = bytes.AsSpan(start, Math.Min(ChunkBytes, bytes.Length - start)).ToArray();
        }
        return entity;
    }

    private static object? Deserialize(TableEntity entity)
    {
        var chunks = entity.GetInt32("Chunks") ?? 0;
        using var all = new MemoryStream();
        for (var i = 0; i < chunks; i++)
        {
            all.Write(entity.GetBinary("D" + i) ?? throw new InvalidDataException($"State '{entity.PartitionKey}' is missing chunk {i} of {chunks}."));
        }

        byte[] bytes = all.ToArray();
        if (entity.GetString("Encoding") == "json+gzip")
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }
        return JsonConvert.DeserializeObject(Encoding.UTF8.GetString(bytes), Settings);
    }
}
