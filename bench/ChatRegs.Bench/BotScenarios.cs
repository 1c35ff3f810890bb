using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.Suggestions;

namespace ChatRegs.Bench;

/// <summary>
/// The two scenarios driven over HTTP: the 8:30 rush (card submits checking people in to one
/// meeting) and state turns (the two-step suggestion dialog in many conversations), each run
/// against the bot and then against the echo bot with the same generator, C requests in flight.
/// </summary>
public sealed class BotScenarios(BenchOptions options, TableServiceClient tables, TableNames names)
{
    public const string Tenant = TeamsActivity.Tenant;
    public const string RushChat = "19:meeting_bench-rush@thread.v2";
    public const string WarmupChat = "19:meeting_bench-warmup@thread.v2";
    public const string HostId = "29:bench-host";
    public const string SeriesName = "周一例会（压测）";
    private const string Locale = "zh-CN";

    private readonly Localizer _strings = Localizer.Default;

    public string RushKey { get; private set; } = "";

    public string WarmupKey { get; private set; } = "";

    public string SeriesTimeZone { get; private set; } = "";

    public static string RushPerson(int i) => $"29:bench-p{i:D6}";

    public static string WarmupPerson(int i) => $"29:bench-w{i:D6}";

    /// <summary>
    /// Seeds, through the bot's own store, a meeting whose check-in is open now (once, starting
    /// in 10 minutes) with N participants, in a meeting chat; and a second one for warming up.
    /// The series' time zone is the team's (Asia/Shanghai) unless it is late at night there, in
    /// which case a zone where the meeting stays within one day is used.
    /// </summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var store = new MeetingStore(tables.GetTableClient(names.Meetings));
        var now = DateTimeOffset.UtcNow;
        string[] zones = ["Asia/Shanghai", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "America/New_York"];
        SeriesTimeZone = zones.First(z =>
        {
            var local = TimeZoneInfo.ConvertTime(now, TimeZones.Find(z)).TimeOfDay;
            return local >= TimeSpan.FromHours(5) && local < TimeSpan.FromHours(21);
        });
        var zone = TimeZones.Find(SeriesTimeZone);
        var localStart = TimeZoneInfo.ConvertTime(now, zone).DateTime.AddMinutes(10);
        localStart = new DateTime(localStart.Year, localStart.Month, localStart.Day, localStart.Hour, localStart.Minute, 0);
        var date = DateOnly.FromDateTime(localStart);
        var start = TimeOnly.FromDateTime(localStart);
        var schedule = MeetingSchedule.OnceOn(date, start, start.AddHours(2));

        MeetingSeries Series(string id, string chat) => new()
        {
            TenantId = Tenant,
            Id = id,
            Name = id == "rush" ? SeriesName : "预热会议",
            ConversationId = chat,
            ConversationName = id == "rush" ? "周一例会" : "预热",
            Location = "一号会议室",
            HostId = HostId,
            Schedule = schedule,
            TimeZone = SeriesTimeZone,
            CheckInOpensMinutesBefore = 30,
            CreatedBy = "bench",
            CreatedAt = now,
        };
        await store.CreateSeriesAsync(Series("rush", RushChat), Enumerable.Range(0, options.People).Select(RushPerson), cancellationToken).ConfigureAwait(false);
        await store.CreateSeriesAsync(Series("warmup", WarmupChat), Enumerable.Range(0, Math.Max(1, options.Warmup)).Select(WarmupPerson), cancellationToken).ConfigureAwait(false);
        RushKey = MeetingOccurrence.KeyFor("rush", localStart);
        WarmupKey = MeetingOccurrence.KeyFor("warmup", localStart);
    }

    // ---- 8:30 rush ----

    /// <summary>
    /// Each person presses 签到 on the meeting chat's check-in card (Action.Submit): one request
    /// each. The same activities go to the echo bot and the floor bot (<paramref name="forFloor"/>),
    /// whose replies are checked for their own shape.
    /// </summary>
    public IReadOnlyList<Sequence> CheckIns(bool warmup, bool forEcho, bool forFloor = false)
    {
        var count = warmup ? options.Warmup : options.People;
        var key = warmup ? WarmupKey : RushKey;
        var chat = warmup ? WarmupChat : RushChat;
        var donePrefix = Prefix("meetings.checkIn.done");
        return Enumerable.Range(0, count).Select(i =>
        {
            var id = warmup ? WarmupPerson(i) : RushPerson(i);
            var body = TeamsActivity.Message(id, $"参会者{i}", chat, isGroup: true,
                value: new JsonObject { ["verb"] = ChatRegs.Bot.Meetings.CheckIns.CheckInCard.Verb, ["occurrence"] = key });
            Func<IReadOnlyList<JsonElement>, string?> check = forFloor
                ? FloorCheck
                : forEcho
                ? EchoCheck
                : replies =>
                {
                    var texts = LoadGenerator.Texts(replies);
                    return texts.Count == 1 && texts[0].StartsWith(donePrefix, StringComparison.Ordinal) && texts[0].Contains(warmup ? "预热会议" : SeriesName, StringComparison.Ordinal)
                        ? null
                        : "not the \"checked in\" reply: " + LoadGenerator.Truncate(string.Join(" | ", texts));
                };
            return new Sequence([new Step(body, check)]);
        }).ToList();
    }

    /// <summary>Reads the roll (one partition read) and compares it with the people who pressed the button.</summary>
    public async Task<RollCheck> VerifyRollAsync(CancellationToken cancellationToken)
    {
        var store = new CheckInStore(tables.GetTableClient(names.CheckIns));
        var (checkIns, _) = await store.ReadAsync(Tenant, RushKey, cancellationToken).ConfigureAwait(false);
        var expected = Enumerable.Range(0, options.People).Select(RushPerson).ToHashSet(StringComparer.Ordinal);
        var seen = checkIns.GroupBy(c => c.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new RollCheck(
            Rows: checkIns.Count,
            Missing: expected.Count(id => !seen.ContainsKey(id)),
            Doubled: seen.Values.Count(n => n > 1),
            Unexpected: seen.Keys.Count(id => !expected.Contains(id)));
    }

    // ---- state turns ----

    public static string StateUser(string run, int i) => $"29:bench-{run}-{i:D4}";

    /// <summary>
    /// C conversations (1:1 chats), each running the suggestion flow <see cref="BenchOptions.Rounds"/>
    /// times: "建议" → the title (a text prompt) → the card form's submit. Three turns a flow,
    /// each waiting for the one before (the dialog state must be saved before the next turn reads it).
    /// </summary>
    public IReadOnlyList<Sequence> SuggestionFlows(string run, int conversations, int rounds, bool forEcho)
    {
        var askTitle = _strings.Get(Locale, "suggestions.askTitle");
        var saved = Prefix("suggestions.saved");
        return Enumerable.Range(0, conversations).Select(i =>
        {
            var user = StateUser(run, i);
            var chat = $"a:bench-{run}-{i:D4}";
            var name = $"建议人{i}";
            var steps = new List<Step>();
            for (var r = 1; r <= rounds; r++)
            {
                steps.Add(new Step(TeamsActivity.Message(user, name, chat, isGroup: false, text: "建议"), forEcho ? EchoCheck : replies =>
                {
                    var texts = LoadGenerator.Texts(replies);
                    return texts.Count == 1 && texts[0] == askTitle ? null : "not the title question: " + LoadGenerator.Truncate(string.Join(" | ", texts));
                }));
                steps.Add(new Step(TeamsActivity.Message(user, name, chat, isGroup: false, text: $"压测建议 {i:D4}-{r}"), forEcho ? EchoCheck : replies =>
                    replies.Any(a => a.TryGetProperty("attachments", out var att) && att.ValueKind == JsonValueKind.Array
                        && att.EnumerateArray().Any(x => x.TryGetProperty("contentType", out var ct) && ct.GetString() == "application/vnd.microsoft.card.adaptive"))
                        ? null
                        : "no form card: " + LoadGenerator.Truncate(string.Join(" | ", LoadGenerator.Texts(replies)))));
                steps.Add(new Step(TeamsActivity.Message(user, name, chat, isGroup: false, value: new JsonObject
                {
                    ["verb"] = SuggestionDialog.SubmitVerb,
                    ["details"] = "周会材料提前一天发到群里，会上只讨论问题。（压测）",
                    ["department"] = "",
                    ["benefit"] = "",
                }), forEcho ? EchoCheck : replies =>
                {
                    var texts = LoadGenerator.Texts(replies);
                    return texts.Count == 1 && texts[0].StartsWith(saved, StringComparison.Ordinal) ? null : "not \"suggestion received\": " + LoadGenerator.Truncate(string.Join(" | ", texts));
                }));
            }
            return new Sequence(steps);
        }).ToList();
    }

    /// <summary>Every flow of the measured run filed exactly one suggestion: each person has <c>rounds</c> this week.</summary>
    public async Task<SuggestionCheck> VerifySuggestionsAsync(string run, int conversations, int rounds, DateTimeOffset startedUtc, CancellationToken cancellationToken)
    {
        var store = new SuggestionStore(tables.GetTableClient(names.Suggestions));
        var zone = TimeZones.Find(TimeZones.DefaultId);
        var weeks = new[] { startedUtc, DateTimeOffset.UtcNow }
            .Select(t => ChatRegs.Bot.Core.IsoWeek.Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, zone).DateTime)))
            .Distinct();
        var byUser = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var week in weeks)
        {
            foreach (var s in await store.ListAsync(Tenant, week, null, cancellationToken).ConfigureAwait(false))
            {
                byUser[s.UserId] = byUser.GetValueOrDefault(s.UserId) + 1;
            }
        }
        var expected = Enumerable.Range(0, conversations).Select(i => StateUser(run, i)).ToList();
        return new SuggestionCheck(
            Stored: expected.Sum(u => byUser.GetValueOrDefault(u)),
            Expected: conversations * rounds,
            PeopleWithWrongCount: expected.Count(u => byUser.GetValueOrDefault(u) != rounds));
    }

    // ---- shared ----

    private static string? EchoCheck(IReadOnlyList<JsonElement> replies)
    {
        var texts = LoadGenerator.Texts(replies);
        return texts.Count == 1 && texts[0].StartsWith("Echo: ", StringComparison.Ordinal) ? null : "not an echo: " + LoadGenerator.Truncate(string.Join(" | ", texts));
    }

    private static string? FloorCheck(IReadOnlyList<JsonElement> replies)
    {
        var texts = LoadGenerator.Texts(replies);
        return texts.Count == 1 && texts[0].StartsWith(FloorServer.ReplyPrefix, StringComparison.Ordinal) ? null : "not the floor bot's reply: " + LoadGenerator.Truncate(string.Join(" | ", texts));
    }

    /// <summary>A string's text up to its first placeholder ("已签到 {0}…" → "已签到 ").</summary>
    private string Prefix(string key)
    {
        var marked = _strings.Get(Locale, key, "\u0001", "\u0001", "\u0001", "\u0001", "\u0001", "\u0001");
        var cut = marked.IndexOf('\u0001');
        return cut < 0 ? marked : marked[..cut];
    }
}

public sealed record RollCheck(int Rows, int Missing, int Doubled, int Unexpected)
{
    public bool Ok => Missing == 0 && Doubled == 0 && Unexpected == 0;
}

public sealed record SuggestionCheck(int Stored, int Expected, int PeopleWithWrongCount)
{
    public bool Ok => Stored == Expected && PeopleWithWrongCount == 0;
}
