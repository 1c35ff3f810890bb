namespace ChatRegs.Bot.Storage;

/// <summary>
/// A write carried an ETag that is no longer current: someone else (another turn, another bot
/// instance) changed the item since it was read. Derives from ArgumentException because that
/// is what the SDK's MemoryStorage throws for the same case, so code written against either
/// storage catches it; callers that care can catch this type specifically.
/// </summary>
public sealed class StorageConflictException : ArgumentException
{
    public StorageConflictException(string key, string? expectedETag, Exception? inner = null)
        : base($"Etag conflict on '{key}': the item changed since it was read (expected ETag '{expectedETag ?? "(none)"}').", inner)
    {
        Key = key;
        ExpectedETag = expectedETag;
    }

    public string Key { get; }

    public string? ExpectedETag { get; }
}
