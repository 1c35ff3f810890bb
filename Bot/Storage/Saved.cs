namespace ChatRegs.Bot.Storage;

/// <summary>What became of a store's write: the one way every store reports it (see the storage README).</summary>
public enum SaveOutcome
{
    /// <summary>Written; <see cref="Saved{T}.Value"/> is the record as stored (with its new ETag).</summary>
    Written,

    /// <summary>An insert that must happen once found the row there; <see cref="Saved{T}.Value"/> is that earlier row (when the store could read it).</summary>
    AlreadyExists,

    /// <summary>Someone changed (or removed) the row since it was read: its ETag no longer matches. Nothing was written.</summary>
    Changed,
}

/// <summary>
/// The answer of every store write that can meet someone else's: <see cref="SaveOutcome.Written"/>,
/// <see cref="SaveOutcome.AlreadyExists"/> (with the earlier row) or <see cref="SaveOutcome.Changed"/>
/// (meanwhile, by someone else). A storage failure is still an exception (it is not an answer:
/// <c>StorageProblems.Is</c> says "not saved, try again"). A caller with nothing special to say about
/// a conflict calls <see cref="OrThrow"/>: the conflict becomes a <see cref="StorageConflictException"/>,
/// which the turn's error handler answers with "not saved, try again".
/// </summary>
public readonly record struct Saved<T>
{
    internal Saved(SaveOutcome outcome, T? value, string key, string? expectedETag)
    {
        Outcome = outcome;
        Value = value;
        Key = key;
        ExpectedETag = expectedETag;
    }

    public SaveOutcome Outcome { get; }

    /// <summary>Written: the record as stored. AlreadyExists: the earlier row (or default when it could not be read). Changed: default.</summary>
    public T? Value { get; }

    /// <summary>The row's key, for messages and logs.</summary>
    public string Key { get; }

    /// <summary>The ETag the write carried (Changed).</summary>
    public string? ExpectedETag { get; }

    public bool IsWritten => Outcome == SaveOutcome.Written;

    public bool IsAlreadyExisting => Outcome == SaveOutcome.AlreadyExists;

    public bool IsChanged => Outcome == SaveOutcome.Changed;

    /// <summary>True for <see cref="SaveOutcome.AlreadyExists"/>, with the earlier row.</summary>
    public bool AlreadyExists(out T? existing)
    {
        existing = IsAlreadyExisting ? Value : default;
        return IsAlreadyExisting;
    }

    /// <summary>The written record; else <see cref="StorageConflictException"/> ("not saved, try again").</summary>
    public T OrThrow() => IsWritten
        ? Value!
        : throw new StorageConflictException(Key, ExpectedETag);

    /// <summary>The record as it now stands: the one written, or the one that was there first; else <see cref="StorageConflictException"/>.</summary>
    public T WrittenOrExisting() => !IsChanged && Value is not null
        ? Value
        : throw new StorageConflictException(Key, ExpectedETag);

    public override string ToString() => $"{Outcome} {Key}";
}

/// <summary>Makes a <see cref="Saved{T}"/>: <c>Saved.Written(record)</c>, <c>Saved.AlreadyExists(earlier, key)</c>, <c>Saved.Changed&lt;T&gt;(key, etag)</c>.</summary>
public static class Saved
{
    public static Saved<T> Written<T>(T value, string key = "") => new(SaveOutcome.Written, value, key, null);

    public static Saved<T> AlreadyExists<T>(T? existing, string key) => new(SaveOutcome.AlreadyExists, existing, key, null);

    public static Saved<T> Changed<T>(string key, string? expectedETag) => new(SaveOutcome.Changed, default, key, expectedETag);
}
