using System.IO.Compression;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Exports;

/// <summary>A file offered to someone and not yet accepted or declined.</summary>
public sealed record PendingExport(string TenantId, string ExportId, string OwnerUserId, string FileName, string ContentType, string Description, byte[] Bytes, DateTimeOffset ExpiresUtc);

/// <summary>
/// Files waiting for their owner to accept the Teams file consent card, in the table
/// "PendingExports": PartitionKey = tenant, RowKey = export id. The bytes are gzip-compressed
/// when that helps and split across binary properties of at most <see cref="ChunkBytes"/>
/// (Table Storage caps a property at 64 KiB and an entity at 1 MiB), so a file may take up to
/// <see cref="MaxStoredBytes"/> once compressed. A row is good for <see cref="Lifetime"/>;
/// an expired row reads as missing (and is deleted then).
/// </summary>
public sealed class PendingExportStore(TableClient table, TimeProvider time)
{
    public const int ChunkBytes = 60_000;
    public const int MaxChunks = 15;
    public const int MaxStoredBytes = ChunkBytes * MaxChunks;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>What the file takes in storage (gzip when smaller), or null when it is too big to keep.</summary>
    public static (byte[] Stored, bool Gzip)? Pack(byte[] bytes)
    {
        var zipped = Gzip(bytes);
        var (stored, gzip) = zipped.Length < bytes.Length ? (zipped, true) : (bytes, false);
        return stored.Length > MaxStoredBytes ? null : (stored, gzip);
    }

    /// <summary>Keeps the file for its owner; returns the new export's id. Storage failures propagate.</summary>
    public async Task<PendingExport?> AddAsync(string tenantId, string ownerUserId, string fileName, string contentType, string description, byte[] bytes, CancellationToken cancellationToken)
    {
        if (Pack(bytes) is not { } packed)
        {
            return null;
        }
        var id = Guid.NewGuid().ToString("N");
        var expires = time.GetUtcNow() + Lifetime;
        var entity = new TableEntity(TableKeys.Escape(tenantId), id)
        {
            ["Owner"] = ownerUserId,
            ["FileName"] = fileName,
            ["ContentType"] = contentType,
            ["Description"] = description,
            ["Size"] = (long)bytes.Length,
            ["Gzip"] = packed.Gzip,
            ["ExpiresUtc"] = expires,
        };
        var chunks = 0;
        for (var offset = 0; offset < packed.Stored.Length; offset += ChunkBytes)
        {
            entity["Chunk" + chunks++] = packed.Stored.AsSpan(offset, Math.Min(ChunkBytes, packed.Stored.Length - offset)).ToArray();
        }
        entity["Chunks"] = chunks;
        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        return new PendingExport(tenantId, id, ownerUserId, fileName, contentType, description, bytes, expires);
    }

    /// <summary>The pending export, or null when there is none (never offered, done, or expired).</summary>
    public async Task<PendingExport?> GetAsync(string tenantId, string exportId, CancellationToken cancellationToken)
    {
        if (!IsId(exportId))
        {
            return null;
        }
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), exportId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        var expires = entity.GetDateTimeOffset("ExpiresUtc") ?? DateTimeOffset.MinValue;
        if (expires <= time.GetUtcNow())
        {
            await DeleteAsync(tenantId, exportId, cancellationToken).ConfigureAwait(false);
            return null;
        }
        using var stored = new MemoryStream();
        var chunks = entity.GetInt32("Chunks") ?? 0;
        for (var i = 0; i < chunks; i++)
        {
            stored.Write(entity.GetBinary("Chunk" + i) ?? []);
        }
        var bytes = entity.GetBoolean("Gzip") == true ? Gunzip(stored.ToArray()) : stored.ToArray();
        return new PendingExport(tenantId, exportId, entity.GetString("Owner") ?? "", entity.GetString("FileName") ?? "", entity.GetString("ContentType") ?? "",
            entity.GetString("Description") ?? "", bytes, expires);
    }

    /// <summary>Forgets the export (idempotent).</summary>
    public async Task DeleteAsync(string tenantId, string exportId, CancellationToken cancellationToken)
    {
        if (!IsId(exportId))
        {
            return;
        }
        try
        {
            await table.DeleteEntityAsync(TableKeys.Escape(tenantId), exportId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>Export ids are 32 hex digits; anything else (from a forged invoke) names nothing.</summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigit);

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
