using ChatRegs.Bot.Storage;

namespace ChatRegs.Tests.Storage;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("a/b\\c#d?e%f")]
    [InlineData("中文/键")]
    [InlineData("tab\there\u0000nul\u009f")]
    public void Escaped_keys_have_no_forbidden_characters_and_unescape_back(string id)
    {
        var key = TableKeys.Escape(id);
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.Equal(id, TableKeys.Unescape(key));
    }

    [Fact]
    public void Long_ids_are_shortened_but_stay_distinct()
    {
        var a = TableKeys.Escape(new string('x', 5000) + "a");
        var b = TableKeys.Escape(new string('x', 5000) + "b");
        Assert.True(a.Length <= TableKeys.MaxLength);
        Assert.NotEqual(a, b);
    }
}
