using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Proactive;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;

namespace ChatRegs.Tests.Conversations;

/// <summary>
/// A reminder sent by an instance that has never seen the person (another instance recorded
/// their chat, or the bot restarted): the message arrives, and the bot's own proactive turn
/// reads the stored reference once without writing it back.
/// </summary>
public class ProactiveTurnTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("29:li", "李娜", "zh-CN")]
    [InlineData("29:mike-en", "Mike", "en-US")]
    public async Task A_proactive_message_reads_the_chat_once_and_writes_no_conversation_rows(string userId, string name, string locale)
    {
        var counting = new Dictionary<string, string?> { [StorageDiagnostics.Switch] = "true" };
        await using var first = await FeatureHost.StartAsync("tenant-p", Now, counting);
        await first.PersonAsync(userId, name);
        await using var second = await FeatureHost.StartAsync("tenant-p", Now, counting, tablePrefix: first.Bot.TablePrefix);
        var counter = second.Get<StorageRequestCounter>();
        var before = counter.ByTable;

        string? seenLocale = null;
        var result = await second.DriveAsync(second.Get<ProactiveSender>().SendToPersonAsync("tenant-p", userId, async (turn, ct) =>
        {
            seenLocale = turn.Activity.Locale;
            await turn.SendActivityAsync(locale == "zh-CN" ? "周报今天 17:00 截止" : "Weekly report due at 17:00", cancellationToken: ct);
        }));

        Assert.True(result.Delivered);
        Assert.Equal(locale, seenLocale);
        var sent = Assert.Single(second.Connector.To(FeatureHost.ChatOf(userId)));
        Assert.Equal(locale == "zh-CN" ? "周报今天 17:00 截止" : "Weekly report due at 17:00", sent.Text);
        var references = Requests(counter.ByTable, before, second.Bot.TablePrefix + "ConversationReferences");
        Assert.Equal(1, references);
        // The stored chat is unchanged: still in the person's language, still reachable.
        var stored = await first.Get<ConversationReferenceStore>().GetPersonalConversationAsync("tenant-p", userId, default);
        Assert.Equal(locale, stored!.Locale);
    }

    private static long Requests(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> before, string table) =>
        now.Where(kv => kv.Key.Contains(table, StringComparison.Ordinal)).Sum(kv => kv.Value)
        - before.Where(kv => kv.Key.Contains(table, StringComparison.Ordinal)).Sum(kv => kv.Value);
}
