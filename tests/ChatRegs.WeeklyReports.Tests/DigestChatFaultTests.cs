using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// Naming the digest's chat (<c>周报汇总 发到本群 综合部</c>, issue #23) while storage fails: for
/// every request the command makes, a run where exactly that request fails — not sent, or applied
/// with its answer lost — tells the office "not saved, try again" in their language with the
/// settings unchanged, or "saved" with them saved (never "not saved" when it was); typing it again
/// then saves it.
/// </summary>
public sealed class DigestChatFaultTests
{
    private static readonly Localizer Strings = Localizer.Default;
    private const string Group = "19:zonghe-work@thread.v2";

    private static async Task<(WeeklyHost Host, StorageFaults Faults)> TeamAsync()
    {
        StorageFaults? faults = null;
        var host = await StartAsync(Local(2026, 11, 27, 9), configure: s => faults = StorageFaults.Install(s));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部");
        await host.AddPersonAsync("29:office", "陈静", null, "zh-CN", "office");
        await host.AddPersonAsync("29:office-en", "Jane Chen", null, "en", "office");
        // The office has used the chat before: the bot knows it.
        await SayInGroupAsync(host, "29:office", "帮助");
        return (host, faults!);
    }

    private static Task<JsonArray> SayInGroupAsync(WeeklyHost host, string userId, string text, string locale = "zh-CN") =>
        host.Feature.PostAsync(InGroup(host, userId, text, locale));

    /// <summary>A message typed in the group chat (built before storage is made to fail: the test host reads the person's name).</summary>
    private static JsonObject InGroup(WeeklyHost host, string userId, string text, string locale)
    {
        var activity = host.Feature.Activity(userId, locale, "message", Group, "groupChat");
        activity["conversation"]!["name"] = "综合部工作群";
        activity["text"] = text;
        return activity;
    }

    [Theory]
    [InlineData(StorageFault.BeforeSending, "zh-CN")]
    [InlineData(StorageFault.ResponseLost, "zh-CN")]
    [InlineData(StorageFault.BeforeSending, "en")]
    public async Task Naming_the_chat_when_any_request_fails_is_not_saved_with_nothing_changed_or_saved_and_typing_it_again_saves_it(StorageFault kind, string locale)
    {
        var (office, command) = locale == "en" ? ("29:office-en", "digest post here 综合部") : ("29:office", "周报汇总 发到本群 综合部");
        var posted = Strings.Get(locale, "weeklyReports.chat.posted", "综合部", Strings.Get(locale, "commands.digest.name"));
        var notSaved = Strings.Get(locale, "common.notSaved");
        int requests;
        {
            var (host, faults) = await TeamAsync();
            await using var _ = host;
            var activity = InGroup(host, office, command, locale);
            faults.Count();
            Assert.Equal(posted, ReadableText(await host.Feature.PostAsync(activity)));
            faults.Off();
            requests = faults.Seen;
        }
        Assert.True(requests >= 2, $"{requests} requests");

        for (var n = 1; n <= requests; n++)
        {
            var (host, faults) = await TeamAsync();
            await using var _ = host;
            var store = host.Get<TeamSettingsStore>();
            var before = await store.GetAsync(Tenant, "综合部");
            var activity = InGroup(host, office, command, locale);
            faults.FailAt(n, kind);
            var first = ReadableText(await host.Feature.PostAsync(activity));
            faults.Off();
            var because = $"request {n} of {requests} ({faults.InjectedInto}) failing {kind}: {first}";
            var after = await store.GetAsync(Tenant, "综合部");
            if (!faults.Injected)
            {
                // Fewer requests than the counting turn: a background write (the people directory's first-contact batch) fell into that one.
                Assert.True(n > requests - 3 && first == posted && after?.DigestChatId == Group, $"{because}: no request {n}");
            }
            else if (first.Contains(notSaved, StringComparison.Ordinal))
            {
                Assert.True(after?.DigestChatId == null && after?.ETag == before?.ETag, $"{because}: told \"not saved\" but the settings changed");
            }
            else
            {
                Assert.True(first == posted, because);
                Assert.True(after?.DigestChatId == Group, $"{because}: told \"saved\" but not saved");
            }
            Assert.True(ReadableText(await SayInGroupAsync(host, office, command, locale)) == posted, $"{because}: the retry");
            Assert.Equal(Group, (await store.GetAsync(Tenant, "综合部"))!.DigestChatId);
        }
    }
}
