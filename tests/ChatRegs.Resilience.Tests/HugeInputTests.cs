using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// A pasted novel (issue #17): a 1,000,000-character message, and a 1,000,000-character field in
/// a card submit, sent at every step of every flow that takes what people type (suggestion,
/// weekly report, leave, new meeting series, callback call, complaint, agenda topic, minutes),
/// over HTTP as Teams sends it, in Chinese and in English. Each gets a 200 and a clear "too long"
/// message in the person's language (a message at a form step is told to use the form), nothing
/// is saved, no error is logged, and the same step then takes a valid answer and the flow goes on
/// to save. One bot serves the class (<see cref="SharedHttpHost"/>): each walk has a tenant and a
/// clock of its own.
/// </summary>
public sealed class HugeInputTests(SharedHttpHost bot) : IClassFixture<SharedHttpHost>
{
    private const int Huge = 1_000_000;

    private const string Office = "29:office";
    private const string Supervisor = "29:sup";
    private const string Rep = "29:rep";
    private const string Host = "29:host";
    private const string Recorder = "29:rec";
    private const string Employee = "29:emp";
    private const string Approver = "29:appr";
    private const string Team = "销售部";
    private const string MeetingChat = "19:weekly@thread.tacv2";

    private const string Series = "hugeweekly";
    /// <summary>Last Monday's meeting (its minutes are written now) and next Monday's (topics are collected for it).</summary>
    private const string PastMeeting = Series + "@202611230830";
    private const string NextMeeting = Series + "@202611300830";

    /// <summary>Thursday 26 Nov 2026, 10:00 in Shanghai: the week's report is due tomorrow, topics for Monday until tomorrow 17:00.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, FeatureHost.Shanghai);

    private static readonly string Million = new('长', Huge);

    /// <summary>Every flow, by name (the table the theory walks; each walker lists its steps).</summary>
    private static readonly Dictionary<string, Func<Walk, Task>> Flows = new(StringComparer.Ordinal)
    {
        ["suggestion"] = SuggestionAsync,
        ["weekly report"] = WeeklyReportAsync,
        ["leave"] = LeaveAsync,
        ["meeting series form"] = MeetingSeriesAsync,
        ["callback call"] = CallbackCallAsync,
        ["complaint"] = ComplaintAsync,
        ["agenda topic"] = AgendaTopicAsync,
        ["minutes"] = MinutesAsync,
    };

    /// <summary>Flows this walk does not cover yet (none).</summary>
    private static readonly HashSet<string> NotYet = [];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var flow in Flows.Keys.Where(f => !NotYet.Contains(f)))
        {
            data.Add(flow, "zh-CN");
            data.Add(flow, "en-US");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_million_characters_at_every_step_are_refused_in_the_persons_language_and_the_flow_goes_on(string flow, string locale)
    {
        await using var host = await bot.StartAsync(Now, new()
        {
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        });
        await SeedAsync(host, locale);
        var walk = new Walk(host, locale);
        await Flows[flow](walk);
        Assert.True(walk.Steps > 0);
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "errors logged:\n" + string.Join("\n", errors.Select(e => e.Message + " " + e.Exception?.GetType().Name + ": " + e.Exception?.Message)));
    }

    // ---- the flows ----

    private static async Task SuggestionAsync(Walk w)
    {
        await w.SayAsync(Employee, w.Zh ? "建议" : "suggest");
        // 1: the title, typed (a text prompt capped at 100)
        await w.TypedStepAsync(Employee, cap: 100, valid: w.Zh ? "周会材料提前发" : "Send the papers early");
        // 2: the details form
        await w.FormStepAsync(Employee, ["details", "department", "benefit"], new JsonObject
        {
            ["verb"] = "suggestion.submit",
            ["details"] = w.Zh ? "周会材料提前一天发到群里，大家可以先看。" : "Send the weekly meeting papers one day early so people can read them.",
            ["department"] = "",
            ["benefit"] = "",
        });
        await w.SavedAsync("the suggestion");
    }

    private static async Task WeeklyReportAsync(Walk w)
    {
        await w.SayAsync(Employee, w.Zh ? "周报" : "report");
        await w.FormStepAsync(Employee, ["summary", "plan", "issues", "coordination", "suggestionTitle", "suggestionDetails"], new JsonObject
        {
            ["verb"] = "weeklyReports.submit",
            ["summary"] = "完成三季度考勤汇总，组织两场新员工培训。",
            ["plan"] = "起草年终考核方案。",
            ["issues"] = "",
            ["coordination"] = "",
            ["suggestionTitle"] = "周会材料提前发",
            ["suggestionDetails"] = "周会材料提前一天发到群里，大家可以先看。",
        });
        await w.SavedAsync("the weekly report");
    }

    private static async Task LeaveAsync(Walk w)
    {
        await w.SayAsync(Employee, w.Zh ? "请假" : "leave");
        // 1: what the leave is for (a choice; a forged 1,000,000-character choice is over the cap too)
        await w.FormStepAsync(Employee, ["target"], new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, saves: false);
        // 2: the form, whose reason is the regulation's written reason
        var form = new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "去深圳参加供应商年度评审会，需要出差。",
            ["fromDate"] = "2026-12-02", ["fromHalf"] = "am", ["toDate"] = "2026-12-02", ["toHalf"] = "pm",
        };
        // A reason over its cap (by one character, and by a million): the person is told the cap
        // next to the reason and what they sent, and the form comes back with the text cut to it.
        var cap = (int)JsonReplies.Descendants(w.LastCard).Single(o => (string?)o["id"] == "reason")["maxLength"]!;
        foreach (var length in new[] { cap + 1, Huge })
        {
            var over = (JsonObject)form.DeepClone();
            over["reason"] = new string('因', length);
            var before = await w.SnapshotAsync();
            var replies = await w.SubmitAsync(Employee, over);
            var text = JsonReplies.ReadableText(replies);
            Assert.Contains(w.Text("dialogs.limits.formTooLong", 1), text);
            Assert.Contains(w.Text("dialogs.limits.fieldTooLong", cap, length), text);
            Assert.Equal(cap, JsonReplies.InputValue(JsonReplies.LastCard(replies), "reason")!.Length);
            Assert.Equal(before, await w.SnapshotAsync());
        }
        await w.FormStepAsync(Employee, ["reason", "type", "fromDate", "fromHalf", "toDate", "toHalf"], form);
        await w.SavedAsync("the leave request");
    }

    private static async Task MeetingSeriesAsync(Walk w)
    {
        await w.SayAsync(Office, w.Zh ? "新建例会" : "new meeting");
        await w.FormStepAsync(Office, ["name", "location", "participants", "days", "start"], new JsonObject
        {
            ["verb"] = "meetings.saveSeries", ["name"] = "安全周例会", ["conversation"] = FeatureHost.ChatOf(Office), ["location"] = "三楼会议室",
            ["hostId"] = Host, ["recorder"] = Recorder, ["participants"] = Employee, ["kind"] = "weekly", ["days"] = "Tuesday",
            ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
            ["dayOfMonth"] = "29", ["date"] = "2026-12-01", ["leaveApprover"] = "host", ["lateGrace"] = "5", ["windowBefore"] = "30", ["speakingLimit"] = "5",
        });
        await w.SavedAsync("the meeting series");
    }

    private static async Task CallbackCallAsync(Walk w)
    {
        var queue = await w.SayAsync(Rep, w.Zh ? "回访" : "callback");
        var store = w.Host.Get<CallbackStore>();
        var task = (await store.ListTasksAsync(w.Host.Tenant, openOnly: true, default)).Single();
        await w.SubmitAsync(Rep, new JsonObject { ["verb"] = "callbacks.start", ["taskId"] = task.Id });
        // Each step card of the script, until the call is recorded: a 1,000,000-character message,
        // then the customer's words and the follow-up note a million characters long, then a real answer.
        for (var i = 0; i < 12 && (await store.RecordsOfTaskAsync(w.Host.Tenant, task.Id, default)).Count == 0; i++)
        {
            var card = w.LastCard;
            var answer = JsonReplies.Descendants(card).First(o => (string?)o["type"] == "Action.Submit" && (string?)o["data"]?["verb"] == CallbackCallDialog.AnswerVerb);
            var data = (JsonObject)answer["data"]!.DeepClone();
            foreach (var id in JsonReplies.Inputs(card))
            {
                data[id] = id switch
                {
                    "words" => "顾客说服务很好。",
                    "followUp" => "no",
                    _ => JsonReplies.Descendants(card).Single(o => (string?)o["id"] == id)["choices"]?[0]?["value"]?.DeepClone()
                        ?? JsonReplies.Descendants(card).Single(o => (string?)o["id"] == id)["value"]?.DeepClone() ?? "",
                };
            }
            await w.FormStepAsync(Rep, JsonReplies.Inputs(card).Where(id => id is "words" or "followUpNote").DefaultIfEmpty("words").ToArray(), data, saves: false);
        }
        Assert.True((await store.RecordsOfTaskAsync(w.Host.Tenant, task.Id, default)).Count > 0, "the call was not recorded: " + JsonReplies.ReadableText(w.LastReplies));
    }

    private static async Task ComplaintAsync(Walk w)
    {
        var form = w.CardOf(await w.SayAsync(Rep, w.Zh ? "投诉" : "complaint"));
        var data = (JsonObject)JsonReplies.Descendants(form).Single(o => (string?)o["type"] == "Action.Submit")["data"]!.DeepClone();
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["complainant"] = "张丽", ["title"] = "ms", ["contact"] = "13900001111", ["receivedDate"] = "2026-11-26", ["receivedTime"] = "09:30",
            ["channel"] = "phone", ["category"] = "service", ["what"] = "洗完车还有水渍", ["request"] = "重新清洗",
        })
        {
            data[k] = v;
        }
        await w.FormStepAsync(Rep, ["complainant", "contact", "what", "request"], data);
        await w.SavedAsync("the complaint");
    }

    private static async Task AgendaTopicAsync(Walk w)
    {
        var form = w.CardOf(await w.SayAsync(Employee, w.Zh ? "议题" : "topic"));
        var data = (JsonObject)JsonReplies.Descendants(form).Single(o => (string?)o["type"] is "Action.Submit" or "Action.Execute" && ((string?)o["verb"] ?? (string?)o["data"]?["verb"]) == "agenda.submitTopic")["data"]!.DeepClone();
        data["verb"] = "agenda.submitTopic";
        data["title"] = "十二月安全检查安排";
        data["presenter"] = Employee;
        data["material"] = "一、检查范围：三个仓库和两处办公区。二、分工：每组两人。三、时间：十二月第一周。";
        data["minutes"] = "5";
        // The presenter is a choice of attendees, not typed text: a huge value there is "not an attendee" (ReadPermission/BadInput corpora), and is echoed cut.
        await w.FormStepAsync(Employee, ["title", "material"], data, execute: true);
        await w.SavedAsync("the topic");
    }

    private static async Task MinutesAsync(Walk w)
    {
        // The recorder opens the minutes of last Monday's meeting (none written yet): the form,
        // with the rows the card declares and its revision. A draft is saved first, so that what
        // follows must not lose what was saved.
        var form = w.CardOf(await w.SayAsync(Recorder, w.Zh ? "会议纪要" : "minutes"));
        var data = SubmitData(form, "minutes.submit");
        var inputs = JsonReplies.Descendants(form).Select(o => (string?)o["id"]).OfType<string>().ToList();
        var discussion = inputs.First(i => i.StartsWith("discussion_", StringComparison.Ordinal));
        var outcome = inputs.First(i => i.StartsWith("outcome_", StringComparison.Ordinal));
        var description = inputs.First(i => i.StartsWith("desc_", StringComparison.Ordinal));
        var row = description["desc_".Length..];
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["date"] = "2026-11-23", ["start"] = "08:30", ["end"] = "09:30",
            [discussion] = "讨论了十二月的安全检查。", [outcome] = "按计划执行。",
            [description] = "准备检查清单", ["owner_" + row] = Employee, ["due_" + row] = "2026-12-04",
        })
        {
            data[k] = v;
        }
        var draft = (JsonObject)data.DeepClone();
        draft["verb"] = "minutes.save";
        var saved = await w.Host.ExecuteAsync(Recorder, "minutes.save", draft, w.Locale);
        data["rev"] = SubmitData(saved["value"]!.AsObject(), "minutes.submit")["rev"]!.DeepClone();

        // Each text field a million characters long: the form comes back with the text cut to the
        // field's cap and the field marked, nothing is saved (the draft stays as it was); then the
        // valid form is submitted.
        string[] fields = [discussion, outcome, description, .. inputs.Where(i => i.StartsWith("title_", StringComparison.Ordinal)).Take(1), "date", "due_" + row];
        await w.FormStepAsync(Recorder, fields, data, execute: true);
        await w.SavedAsync("the minutes");
        var version = Assert.Single(await w.Host.Get<MinutesStore>().VersionsAsync(w.Host.Tenant, PastMeeting, default));
        Assert.Equal("讨论了十二月的安全检查。", version.Content.Topics.Single(t => t.Discussion.Length > 0).Discussion);
    }

    private static JsonObject SubmitData(JsonNode card, string verb) =>
        (JsonObject)JsonReplies.Descendants(card).Single(o => (string?)o["type"] == "Action.Execute" && (string?)o["verb"] == verb)["data"]!.DeepClone();

    // ---- the world ----

    private static async Task SeedAsync(HttpFeatureHost h, string locale)
    {
        await h.PersonAsync(Office, "陈主任", locale: locale, roles: Roles.Office);
        await h.PersonAsync(Supervisor, "刘洋", locale: locale, roles: Roles.CsSupervisor);
        await BotSeed.PersonAsync(h.Services, h.Tenant, Rep, "李娜", locale, onDuty: true, team: "客服部", roles: [Roles.CsRep]);
        await h.PersonAsync(Host, "张伟", team: Team, locale: locale);
        await h.PersonAsync(Recorder, "陈静", team: Team, locale: locale);
        await h.PersonAsync(Employee, "王小明", team: Team, locale: locale);
        await h.PersonAsync(Approver, "周部长", team: Team, locale: locale);
        await h.DepartmentAsync(Team, Approver);
        await h.KnowChatAsync(MeetingChat, Office, "陈主任", "channel", locale);

        await BotSeed.SeriesAsync(h.Services, new MeetingSeries
        {
            TenantId = h.Tenant,
            Id = Series,
            Name = "销售周例会",
            Location = "二楼会议室",
            HostId = Host,
            RecorderId = Recorder,
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
            CreatedAt = Now.AddDays(-30),
        }, [Employee, Approver]);
        // last Monday's meeting had one accepted topic: its minutes have a discussion field for it
        await h.Get<AgendaStore>().AddTopicAsync(new Topic
        {
            TenantId = h.Tenant,
            OccurrenceKey = PastMeeting,
            Id = "fedcba9876543210fedcba9876543210",
            Title = "十一月销售回顾",
            PresenterId = Employee,
            PresenterName = "王小明",
            Material = "书面材料：提纲与图表说明",
            Minutes = 5,
            SubmittedById = Employee,
            SubmittedByName = "王小明",
            SubmittedAt = Now.AddDays(-8),
            Status = TopicStatus.Accepted,
            Order = 1,
        }, default);

        var supervisor = (await h.Get<PeopleDirectory>().GetAsync(h.Tenant, Supervisor))!;
        var imported = await h.Get<CallbackService>().ImportAsync(supervisor, "赵先生,先生,13911224455,是,汽车保养,2026-11-25,李娜", "zh-CN", default);
        Assert.True(imported.Added.Count == 1, imported.Refusal + string.Join(", ", imported.Errors.Select(e => e.ToString())));
    }

    /// <summary>One walk through a flow: sends what a person sends and checks every step.</summary>
    private sealed class Walk(HttpFeatureHost host, string locale)
    {
        private Dictionary<string, string>? _start;

        public HttpFeatureHost Host => host;

        public string Locale => locale;

        public bool Zh => locale.StartsWith("zh", StringComparison.Ordinal);

        public int Steps { get; private set; }

        public JsonArray LastReplies { get; private set; } = [];

        /// <summary>The last card the person was sent (in the replies, else in their chat).</summary>
        public JsonObject LastCard => CardOf(LastReplies);

        public JsonObject CardOf(JsonArray replies) => replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Any(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")
            ? JsonReplies.LastCard(replies)
            : throw new InvalidOperationException("No card in the replies: " + JsonReplies.ReadableText(replies));

        public string Text(string key, params object?[] args) => host.Get<Localizer>().Get(locale, key, args);

        public async Task<JsonArray> SayAsync(string userId, string text)
        {
            _start ??= await SnapshotAsync();
            return LastReplies = await host.SayAsync(userId, text, locale);
        }

        public async Task<JsonArray> SubmitAsync(string userId, JsonObject value)
        {
            _start ??= await SnapshotAsync();
            return LastReplies = await host.SubmitAsync(userId, value, locale);
        }

        /// <summary>A step that takes a typed answer (a text prompt with this cap).</summary>
        public async Task TypedStepAsync(string userId, int cap, string valid)
        {
            Steps++;
            var before = await SnapshotAsync();
            var replies = await host.SayAsync(userId, Million, locale);
            var text = JsonReplies.ReadableText(replies);
            Assert.Contains(Text("dialogs.limits.answerTooLong", cap, Huge), text);
            Assert.DoesNotContain(new string('长', cap + 1), text);
            Assert.Equal(before, await SnapshotAsync());
            LastReplies = await host.SayAsync(userId, valid, locale);
            Assert.DoesNotContain(Text("dialogs.limits.answerTooLong", cap, valid.Length), JsonReplies.ReadableText(LastReplies));
        }

        /// <summary>
        /// A step that takes a card form: a 1,000,000-character message, then the valid form with
        /// each of <paramref name="fields"/> a million characters long, then the valid form.
        /// </summary>
        public async Task FormStepAsync(string userId, string[] fields, JsonObject valid, bool saves = true, bool execute = false)
        {
            Steps++;
            var before = await SnapshotAsync();

            // typed instead of the form: not an answer; the person is told what to do, in their language
            var said = await host.SayAsync(userId, Million, locale);
            var saidText = JsonReplies.ReadableText(said);
            Assert.False(string.IsNullOrWhiteSpace(saidText), "no answer to a 1,000,000-character message");
            Assert.True(InLanguage(saidText), $"not in {locale}: {saidText[..Math.Min(saidText.Length, 300)]}");
            Assert.DoesNotContain(new string('长', 2_001), saidText);
            Assert.Equal(before, await SnapshotAsync());

            foreach (var field in fields)
            {
                var over = (JsonObject)valid.DeepClone();
                over[field] = Million;
                var (text, json) = await SendFormAsync(userId, over, execute);
                Assert.True(TooLong().Any(p => p.IsMatch(text)), $"{field}: no 'too long' message in {locale}: {text[..Math.Min(text.Length, 500)]}");
                Assert.DoesNotContain(new string('长', 5_001), json);
                Assert.Equal(before, await SnapshotAsync());
            }

            var (answer, _) = await SendFormAsync(userId, valid, execute);
            if (saves)
            {
                Assert.True(!before.SequenceEqual(await SnapshotAsync()), "the valid form saved nothing: " + answer);
            }
        }

        /// <summary>
        /// A card's button pressed: an Action.Submit (a message with the inputs as its value) or an
        /// Action.Execute (an invoke; its response is the text read); returns what the person reads and the raw JSON.
        /// </summary>
        private async Task<(string Text, string Json)> SendFormAsync(string userId, JsonObject data, bool execute)
        {
            if (!execute)
            {
                LastReplies = await host.SubmitAsync(userId, data, locale);
                return (JsonReplies.ReadableText(LastReplies), JsonReplies.Json(LastReplies));
            }
            var body = await host.ExecuteAsync(userId, (string)data["verb"]!, data, locale);
            var text = (string?)body["type"] == "application/vnd.microsoft.card.adaptive" ? JsonReplies.CardText(body["value"]!) : (string?)body["value"] ?? "";
            LastReplies = [new JsonObject { ["type"] = "message", ["text"] = text }];
            return (text, JsonReplies.Json(body));
        }

        /// <summary>The flow saved something (it went on after every refusal).</summary>
        public async Task SavedAsync(string what)
        {
            Assert.True(_start != null && !_start.SequenceEqual(await SnapshotAsync()), $"{what} was not saved: " + JsonReplies.ReadableText(LastReplies));
        }

        /// <summary>The "too long" messages of the person's language, as patterns (every string-table key named so).</summary>
        private List<Regex> TooLong()
        {
            var patterns = new List<Regex>();
            void Walk(JsonNode? node, string key)
            {
                switch (node)
                {
                    case JsonObject obj:
                        foreach (var (k, v) in obj)
                        {
                            Walk(v, k);
                        }
                        break;
                    case JsonValue value when key.Contains("TooLong", StringComparison.OrdinalIgnoreCase) && value.TryGetValue<string>(out var template):
                        patterns.Add(new Regex(Regex.Replace(Regex.Escape(template), @"\\\{\d+}", @"\d+")));
                        break;
                }
            }
            Walk(host.Get<Localizer>().Table(locale), "");
            return patterns;
        }

        private bool InLanguage(string text) => Zh ? Regex.IsMatch(text, @"\p{IsCJKUnifiedIdeographs}") && !text.Contains("Please", StringComparison.Ordinal) : !Regex.IsMatch(StripEcho(text), @"[\u3000-\u303f\uff00-\uffef]|请|的");

        // the person's own text may be echoed back (cut to its cap): not the bot's words
        private static string StripEcho(string text) => text.Replace("长", "", StringComparison.Ordinal);

        /// <summary>Every record a feature keeps (bookkeeping tables excluded), with its ETag.</summary>
        public Task<Dictionary<string, string>> SnapshotAsync() => RecordSnapshot.TakeAsync(host.Services);
    }
}
