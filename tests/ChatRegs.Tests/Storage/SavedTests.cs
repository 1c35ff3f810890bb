using ChatRegs.Bot.Core;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Tests.Storage;

/// <summary>The one conflict result every store answers with, read the same way by every caller.</summary>
public sealed class SavedTests
{
    [Fact]
    public void Written_gives_the_record_as_stored()
    {
        var saved = Saved.Written("v2", "k");
        Assert.True(saved.IsWritten);
        Assert.False(saved.AlreadyExists(out _));
        Assert.Equal("v2", saved.OrThrow());
        Assert.Equal("v2", saved.WrittenOrExisting());
    }

    [Fact]
    public void Already_exists_carries_the_earlier_row_and_is_not_written()
    {
        var saved = Saved.AlreadyExists("first", "form|abc");
        Assert.True(saved.AlreadyExists(out var earlier));
        Assert.Equal("first", earlier);
        Assert.Equal("first", saved.WrittenOrExisting());
        var e = Assert.Throws<StorageConflictException>(() => saved.OrThrow());
        Assert.Equal("form|abc", e.Key);
    }

    [Fact]
    public void Changed_meanwhile_becomes_not_saved_try_again_when_the_caller_has_nothing_to_add()
    {
        var saved = Saved.Changed<string>("series|weekly", "W/\"1\"");
        Assert.True(saved.IsChanged);
        Assert.Null(saved.Value);
        var e = Assert.Throws<StorageConflictException>(() => saved.OrThrow());
        Assert.Equal("W/\"1\"", e.ExpectedETag);
        Assert.True(StorageProblems.Is(e));
        Assert.Throws<StorageConflictException>(() => saved.WrittenOrExisting());
    }
}
