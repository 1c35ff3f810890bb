using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Turns;

/// <summary>
/// Text with nothing visible in it — zero-width spaces and joiners, direction marks and overrides,
/// the byte-order mark, padded with whitespace — is no answer: a required typed answer or form
/// field made of it is refused as empty, in the person's language, and nothing is saved.
/// </summary>
public class InvisibleTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai);

    /// <summary>Six characters, none of them visible.</summary>
    private const string Invisible = " \u200b\u200c\u200d\u202e\u2060\ufeff\u200f ";

    [Theory]
    [InlineData("zh-CN", "建议", "标题需要 4–60 个字")]
    [InlineData("en-US", "suggest", "The title needs 4–60 characters")]
    public async Task A_typed_answer_with_nothing_visible_is_refused_as_empty(string locale, string start, string refusal)
    {
        await using var host = await FeatureHost.StartAsync("tenant-invisible", Now);
        await host.PersonAsync("29:ann", "王小明", locale);
        await host.SayAsync("29:ann", start, locale);

        Assert.Contains(refusal, Replies.All(await host.SayAsync("29:ann", Invisible, locale)));
    }

    [Fact]
    public async Task A_required_form_field_with_nothing_visible_is_refused_and_nothing_is_registered()
    {
        await using var host = await FeatureHost.StartAsync("tenant-invisible", Now);
        await host.PersonAsync("29:ann", "王小明");
        var form = Replies.Card(await host.SayAsync("29:ann", "投诉"));
        var replies = await host.PressAsync("29:ann", form, "登记投诉", new
        {
            complainant = "张三", title = "mr", contact = "13800000000", channel = "phone", category = "service",
            what = "服务态度差", request = Invisible,
        });

        Assert.Contains("1 处需要修改", Replies.All(replies));
        Assert.DoesNotContain("TS-", Replies.All(replies));
    }
}
