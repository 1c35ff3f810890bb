using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Resilience.Tests.Support;

/// <summary>
/// Nobody sees what isn't theirs. Real records owned by other people (complaints at several
/// stages, closed and withdrawn included; callback calls with the customer's answers; a leave
/// request; a weekly report; an agenda topic; minutes with a decision and its action item; a
/// meeting series) carry a canary in every free-text field and in the customers' names and
/// phones. Then, for every verb the bot registers (new ones are covered as soon as they are
/// registered) and every command word with arguments, three people who may not see those records
/// — an employee with no role, someone of another tenant who has the supervisor's very user id,
/// and a second person in a group chat with the owners — send Action.Submit and Action.Execute
/// payloads whose id-like fields hold the real ids. No reply (text, card JSON, attachments,
/// inline files), no message the bot sends anywhere meanwhile, may carry a canary, and no
/// existing record may change.
/// <para>
/// Each test class that runs a part of it (<c>Unauthorized*Tests</c>) starts a corpus of its own:
/// the parts run side by side (xunit runs test classes in parallel), each on a fresh world.
/// </para>
/// </summary>
public sealed class UnauthorizedReadCorpus : IAsyncDisposable
{
    private const string Tenant = "tenant-rd";
    private const string OtherTenant = "tenant-rd-other";
    // The owners.
    private const string Office = "29:office";
    private const string Supervisor = "29:sup";
    private const string Manager = "29:mgr";
    private const string Rep = "29:rep";
    private const string RepB = "29:rep-b";
    private const string Investigator = "29:inv";
    private const string Host = "29:host";
    private const string Recorder = "29:rec";
    private const string Participant = "29:part";
    private const string Requester = "29:req";
    private const string Approver = "29:appr";

    // Those who may not see.
    private const string Nobody = "29:nobody";
    private const string GroupMember = "29:grp";
    private const string GroupChat = "19:owners-and-one-more@thread.v2";

    /// <summary>In every free-text field of every record seeded.</summary>
    private const string Canary = "KANARI";

    /// <summary>The customers' phones (a phone may be shown reformatted: the digits are looked for too).</summary>
    private static readonly string[] Phones = ["13911224455", "13966778899", "13933445566", "13922113344", "13955667788"];

    private const string Series = "rdweekly";
    private const string Meeting = Series + "@202611300830";
    private const string NextMeeting = Series + "@202612070830";
    private const string Team = "销售部";

    /// <summary>Monday 30 Nov 2026, 10:00 in Shanghai: after that morning's meeting.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, FeatureHost.Shanghai);

    private HttpFeatureHost _host = null!;

    /// <summary>Every id the seeded records have, by kind.</summary>
    private readonly Dictionary<string, List<string>> _ids = new(StringComparer.Ordinal);

    private int _tried;

    private UnauthorizedReadCorpus()
    {
    }

    /// <summary>The bot over HTTP with the world seeded: a corpus of its own for one test.</summary>
    public static async Task<UnauthorizedReadCorpus> StartAsync()
    {
        var corpus = new UnauthorizedReadCorpus();
        corpus._host = await HttpFeatureHost.StartAsync(Tenant, Now, new()
        {
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        });
        await corpus.SeedAsync();
        return corpus;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private void Id(string kind, string value)
    {
        if (!_ids.TryGetValue(kind, out var list))
        {
            _ids[kind] = list = [];
        }
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private string C(string field) => $"{Canary}-{field}";

    // ---- the world ----

    private async Task SeedAsync()
    {
        var h = _host;
        await h.PersonAsync(Office, "陈主任", roles: Roles.Office);
        await h.PersonAsync(Supervisor, "刘洋", roles: Roles.CsSupervisor);
        await h.PersonAsync(Manager, "王经理", roles: Roles.Manager);
        await BotSeed.PersonAsync(h.Services, Tenant, Rep, "李娜", "zh-CN", onDuty: true, team: "客服部", roles: [Roles.CsRep]);
        await BotSeed.PersonAsync(h.Services, Tenant, RepB, "赵敏", "zh-CN", onDuty: true, team: "客服部", roles: [Roles.CsRep]);
        await h.PersonAsync(Investigator, "赵强", team: "售后部");
        await h.PersonAsync(Host, "张伟", team: Team);
        await h.PersonAsync(Recorder, "陈静", team: Team);
        await h.PersonAsync(Participant, "王小明", team: Team);
        await h.PersonAsync(Requester, "孙丽", team: Team);
        await h.PersonAsync(Approver, "周部长", team: Team);
        await h.DepartmentAsync(Team, Approver);
        await h.PersonAsync(Nobody, "路人甲", team: "行政部");
        await h.PersonAsync(GroupMember, "路人乙", team: "行政部");
        await h.KnowChatAsync(GroupChat, Host, "张伟", "groupChat");
        foreach (var who in new[] { Office, Supervisor, Manager, Rep, RepB, Investigator, Host, Recorder, Participant, Requester, Approver, Nobody, GroupMember })
        {
            Id("person", who);
        }
        Id("team", Team);

        await SeedComplaintsAsync();
        await SeedCallbacksAsync();
        await SeedMeetingAsync();
        await SeedLeaveAsync();
        await SeedWeeklyReportAsync();
    }

    private Dictionary<string, string?> ComplaintForm(int i, string? formId = null) => new()
    {
        ["complainant"] = C("顾客" + i),
        ["title"] = "ms",
        ["contact"] = Phones[i],
        ["receivedDate"] = "2026-11-30",
        ["receivedTime"] = "09:00",
        ["channel"] = "phone",
        ["category"] = "service",
        ["what"] = C("经过" + i),
        ["request"] = C("要求" + i),
        ["formId"] = formId,
    };

    private async Task SeedComplaintsAsync()
    {
        var service = _host.Get<ComplaintService>();
        var people = _host.Get<PeopleDirectory>();
        async Task<Person> P(string id) => (await people.GetAsync(Tenant, id))!;
        var rep = await P(Rep);
        var supervisor = await P(Supervisor);
        var investigator = await P(Investigator);
        var manager = await P(Manager);
        var stages = new List<Complaint>();
        for (var i = 0; i < 4; i++)
        {
            var formId = Guid.NewGuid().ToString("N");
            Id("formId", formId);
            var outcome = await service.RegisterAsync(rep, ComplaintForm(i, formId), "zh-CN", default);
            Assert.True(outcome.Saved, string.Join(", ", outcome.Errors.Values));
            stages.Add(outcome.Complaint!);
        }
        Complaint Step(StepOutcome o)
        {
            Assert.True(o.Saved, string.Join(", ", o.Errors.Values));
            return o.Complaint!;
        }
        // [0] stays at 投诉判定. [1] goes to 提出处理方案 (cause, plan). [2] is closed. [3] is withdrawn.
        foreach (var i in new[] { 1, 2 })
        {
            var c = Step(await service.JudgeAsync(stages[i], supervisor, new Dictionary<string, string?>
            {
                ["reasonsSufficient"] = "yes", ["requestReasonable"] = "yes", ["verdict"] = "founded", ["investigator"] = Investigator, ["department"] = C("部门" + i),
                ["askedForTime"] = "true", ["replyByDate"] = service.Today.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["replyByTime"] = "18:00",
            }, "zh-CN", default));
            c = Step(await service.InvestigateAsync(c, investigator, new Dictionary<string, string?> { ["cause"] = C("原因" + i), ["responsible"] = C("责任" + i), ["problemType"] = "repair", ["handler"] = Investigator }, "zh-CN", default));
            c = Step(await service.AddPlanAsync(c, investigator, new Dictionary<string, string?> { ["plan"] = C("方案" + i) }, "zh-CN", default));
            if (i == 2)
            {
                c = Step(await service.SubmitPlansAsync(c, investigator, new Dictionary<string, string?>(), "zh-CN", default));
                c = Step(await service.ApproveAsync(c, manager, new Dictionary<string, string?> { ["chosenPlan"] = "1", ["comment"] = C("批示") }, "zh-CN", default));
                c = Step(await service.ImplementAsync(c, rep, new Dictionary<string, string?>
                {
                    ["confirmed"] = "yes", ["penaltyPerson"] = C("人"), ["penaltyPersonWhat"] = C("罚"), ["penaltyHead"] = C("主管"), ["penaltyHeadWhat"] = C("罚"),
                    ["signatureMethod"] = "paper", ["signatureKeeper"] = C("保管"), ["feedback"] = C("反馈"),
                }, "zh-CN", default));
                c = Step(await service.CloseAsync(c, supervisor, new Dictionary<string, string?> { ["summary"] = C("总结"), ["improvement"] = C("改进") }, "zh-CN", default));
                Assert.Equal(ComplaintStage.Closed, c.Stage);
            }
            stages[i] = c;
        }
        stages[3] = Step(await service.WithdrawAsync(stages[3], supervisor, new Dictionary<string, string?> { ["withdrawReason"] = C("作废理由") }, "zh-CN", default));
        // [4]: handed over from a callback, still at 投诉受理 with the rep.
        var fromCall = await service.RegisterFromCallbackAsync(new CallbackComplaintDraft
        {
            TenantId = Tenant,
            TaskId = "task-x",
            RecordNumber = 1,
            CustomerName = C("回访顾客"),
            Title = "mr",
            Phone = Phones[4],
            ServiceItem = C("服务"),
            CustomerWords = C("顾客原话"),
            FollowUpNote = C("跟进"),
            Script = "s",
            RepId = Rep,
            RepName = "李娜",
            ReceivedUtc = Now.AddHours(-1),
        }, default);
        stages.Add(fromCall);
        foreach (var c in stages)
        {
            Id("complaint", c.Number);
        }
    }

    private async Task SeedCallbacksAsync()
    {
        var service = _host.Get<CallbackService>();
        var supervisor = (await _host.Get<PeopleDirectory>().GetAsync(Tenant, Supervisor))!;
        var imported = await service.ImportAsync(supervisor,
            $"{C("客户甲")},女士,{Phones[0]},是,{C("保养")},2026-11-28,李娜\n{C("客户乙")},先生,{Phones[1]},否,{C("洗车")},2026-11-29,李娜", "zh-CN", default);
        Assert.True(imported.Added.Count == 2, imported.Refusal + string.Join(", ", imported.Errors.Select(e => e.ToString())));
        foreach (var task in imported.Added)
        {
            Id("task", task.Id);
        }
        // The first customer was called: satisfied, with words of their own.
        var first = imported.Added[0];
        var (script, _) = await service.ScriptForAsync(Tenant, first.ServiceType, default);
        var call = new CallState
        {
            TenantId = Tenant,
            TaskId = first.Id,
            RepId = Rep,
            RepName = "李娜",
            ScriptId = script.Id,
            ScriptVersion = script.Version,
            StartedUtc = Now.AddMinutes(-10),
            CustomerName = first.CustomerName,
            Phone = first.Phone,
            Satisfaction = nameof(Satisfaction.Satisfied),
            FollowUp = true,
            FollowUpNote = C("回访跟进"),
            Answers =
            [
                new StepAnswer { StepId = "s1", Stage = "exchange", Line = C("话术行"), AnswerLabel = C("回答"), Words = C("顾客的话") },
                new StepAnswer { StepId = "s2", Stage = "exchange", Line = C("建议行"), Words = C("顾客建议") },
            ],
            Collects = new() { ["s1"] = "complaint", ["s2"] = "suggestion" },
        };
        await service.RecordFinishedAsync(call, default);
    }

    private async Task SeedMeetingAsync()
    {
        var h = _host;
        await BotSeed.SeriesAsync(h.Services, new MeetingSeries
        {
            TenantId = Tenant,
            Id = Series,
            Name = "销售周例会",
            Location = C("地点"),
            HostId = Host,
            RecorderId = Recorder,
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
            CreatedAt = Now.AddDays(-10),
        }, [Participant, Requester]);
        Id("series", Series);
        Id("occurrence", Meeting);
        Id("occurrence", NextMeeting);

        // A topic for next week's meeting, by the participant.
        var store = h.Get<AgendaStore>();
        foreach (var (key, id) in new[] { (NextMeeting, "0123456789abcdef0123456789abcdef"), (Meeting, "fedcba9876543210fedcba9876543210") })
        {
            await store.AddTopicAsync(new Topic
            {
                TenantId = Tenant,
                OccurrenceKey = key,
                Id = id,
                Title = C("议题"),
                PresenterId = Participant,
                PresenterName = "王小明",
                Material = C("书面材料") + " 提纲与图表说明",
                Minutes = 5,
                SubmittedById = Participant,
                SubmittedByName = "王小明",
                SubmittedAt = Now.AddDays(-3),
                Status = key == Meeting ? TopicStatus.Accepted : TopicStatus.Pending,
                Order = 1,
            }, default);
            Id("topic", id);
            Id("formId", id);
        }

        // This morning's minutes, submitted by the recorder through the bot: one decision for the participant.
        var form = new JsonObject
        {
            ["verb"] = MinutesActions.SubmitVerb,
            ["occurrence"] = Meeting,
            ["rev"] = "",
            ["date"] = "2026-11-30",
            ["start"] = "08:30",
            ["end"] = "09:30",
            ["discussion_t0"] = C("讨论"),
            ["outcome_t0"] = C("结论"),
            ["desc_0"] = C("决定事项"),
            ["owner_0"] = Participant,
            ["due_0"] = "2026-12-04",
        };
        var replies = await h.SubmitAsync(Recorder, form);
        var minutes = h.Get<MinutesStore>();
        var versions = await minutes.VersionsAsync(Tenant, Meeting, default);
        Assert.True(versions.Count == 1, "the minutes were not submitted: " + JsonReplies.ReadableText(replies));
        Id("version", "1");
        foreach (var item in await minutes.ListItemsAsync(Tenant, default))
        {
            Id("item", item.Id);
        }
        Assert.NotEmpty(_ids["item"]);
    }

    private async Task SeedLeaveAsync()
    {
        var store = _host.Get<LeaveStore>();
        var from = new DateOnly(2026, 12, 2);
        foreach (var (status, i) in new[] { (LeaveStatus.Pending, 0), (LeaveStatus.Approved, 1) })
        {
            var request = await store.CreateAsync(new LeaveRequest
            {
                TenantId = Tenant,
                Id = LeaveStore.NewId(from.AddDays(i)),
                UserId = Requester,
                UserName = "孙丽",
                Kind = LeaveKind.Days,
                Type = LeaveTypes.Personal,
                Reason = C("请假理由" + i),
                FromDate = from.AddDays(i),
                ToDate = from.AddDays(i),
                WorkingDays = 1,
                FromUtc = new DateTimeOffset(from.AddDays(i).ToDateTime(new TimeOnly(9, 0)), FeatureHost.Shanghai),
                ToUtc = new DateTimeOffset(from.AddDays(i).ToDateTime(new TimeOnly(18, 0)), FeatureHost.Shanghai),
                WorkSummary = C("工作总结" + i),
                WorkPlan = C("工作计划" + i),
                ApproverId = Approver,
                ApproverName = "周部长",
                SubmittedAt = Now.AddHours(-2),
                Status = status,
                DecidedById = status == LeaveStatus.Approved ? Approver : null,
                DecidedByName = status == LeaveStatus.Approved ? "周部长" : null,
                DecidedAt = status == LeaveStatus.Approved ? Now.AddHours(-1) : null,
                Comment = status == LeaveStatus.Approved ? C("审批意见") : null,
            });
            Id("leave", request.Id);
        }
    }

    private async Task SeedWeeklyReportAsync()
    {
        var store = _host.Get<WeeklyReportStore>();
        foreach (var week in new[] { "2026-W48", "2026-W49" })
        {
            await store.SaveAsync(new WeeklyReport
            {
                TenantId = Tenant,
                Team = Team,
                Week = week,
                UserId = Participant,
                UserName = "王小明",
                Summary = C("本周总结"),
                Plan = C("下周计划"),
                Issues = C("问题"),
                Coordination = C("协调"),
                SubmittedUtc = Now.AddDays(-1),
                UpdatedUtc = Now.AddDays(-1),
                DeadlineUtc = Now.AddDays(4),
            });
            Id("week", week);
        }
    }

    // ---- what the attackers send ----

    /// <summary>
    /// Every field name a card handler reads an id, a key or a period from (grep CardFields /
    /// data[...] in Bot/): each payload fills all of them, so a verb finds its own whatever it is called.
    /// </summary>
    private static readonly string[] IdFields =
    [
        "number", "id", "taskId", "repId", "rep", "occurrence", "topic", "item", "version", "team", "week", "series", "seriesId",
        "userId", "person", "formId", "jobId", "requestId", "complaintId", "meetingId", "key", "reportId", "topicId", "recordId",
        "presenter", "owner", "investigator", "substitute", "approverUserId",
    ];

    /// <summary>Fields a form would carry besides ids: valid values, so a handler gets past its validation to whatever it shows next.</summary>
    private Dictionary<string, string> FormFields() => new()
    {
        ["complainant"] = "路人", ["title"] = "ms", ["contact"] = "13800000000", ["receivedDate"] = "2026-11-30", ["receivedTime"] = "09:00",
        ["channel"] = "phone", ["category"] = "service", ["what"] = "想看看", ["request"] = "无",
        ["verdict"] = "founded", ["cause"] = "x", ["responsible"] = "x", ["plan"] = "x", ["chosenPlan"] = "1", ["comment"] = "x",
        ["confirmed"] = "yes", ["feedback"] = "x", ["summary"] = "x", ["withdrawReason"] = "x", ["reply"] = "x",
        ["status"] = "Done", ["note"] = "x", ["format"] = "csv", ["page"] = "1", ["month"] = "2026-11", ["from"] = "2026-11-01", ["to"] = "2026-11-30",
        ["query"] = "KANARI", ["rev"] = "", ["reason"] = "x", ["material"] = "一份足够长的书面材料", ["minutes"] = "3",
    };

    /// <summary>
    /// The payloads for one verb: every id the records have in every id-like field (one id at a
    /// time), then each record's ids together in their own fields, then those with a valid form.
    /// </summary>
    private IEnumerable<(string Label, JsonObject Data, bool Everyone)> Payloads(string verb)
    {
        JsonObject With(IEnumerable<KeyValuePair<string, string>> fields)
        {
            var o = new JsonObject();
            foreach (var (k, v) in fields)
            {
                o[k] = v;
            }
            o["verb"] = verb;
            return o;
        }
        // One id at a time in every field (the people: only the records' owners), from the employee with no role.
        foreach (var id in _ids.Where(k => k.Key != "person").SelectMany(k => k.Value).Concat([Rep, Participant, Requester, Approver, Host]).Distinct())
        {
            yield return ($"'{id}' in every id field", With(IdFields.Select(f => KeyValuePair.Create(f, id))), false);
        }
        // Each record's ids in their own fields, with and without a valid form, from everyone.
        var rounds = _ids.Where(k => k.Key != "person").Max(k => k.Value.Count);
        for (var i = 0; i < rounds; i++)
        {
            string Of(string kind) => _ids[kind][i % _ids[kind].Count];
            var typed = new Dictionary<string, string>
            {
                ["number"] = Of("complaint"), ["complaintId"] = Of("complaint"), ["formId"] = Of("formId"),
                ["id"] = Of("leave"), ["requestId"] = Of("leave"),
                ["taskId"] = Of("task"), ["recordId"] = "1",
                ["occurrence"] = Of("occurrence"), ["meetingId"] = Of("occurrence"), ["key"] = Of("occurrence"),
                ["topic"] = Of("topic"), ["topicId"] = Of("topic"), ["item"] = Of("item"), ["version"] = Of("version"),
                ["series"] = Of("series"), ["seriesId"] = Of("series"),
                ["team"] = Of("team"), ["week"] = Of("week"), ["reportId"] = Of("week"),
                ["userId"] = Of("person"), ["person"] = Of("person"), ["repId"] = Rep, ["rep"] = RepB, ["presenter"] = Participant, ["owner"] = Participant,
                ["investigator"] = Nobody, ["substitute"] = Nobody, ["approverUserId"] = Nobody,
            };
            yield return ($"record ids, round {i}", With(typed), true);
            yield return ($"record ids with a valid form, round {i}", With(typed.Concat(FormFields())), true);
        }
    }

    private sealed record Attacker(string Label, string Tenant, string UserId, string Name, string ConversationId, string ConversationType);

    private static readonly Attacker[] Attackers =
    [
        new("an employee with no role", Tenant, Nobody, "路人甲", FeatureHost.ChatOf(Nobody), "personal"),
        // Another tenant's user who happens to have the supervisor's user id: ids are per tenant.
        new("another tenant's user with the supervisor's id", OtherTenant, Supervisor, "刘洋", "a:1to1-other-" + Supervisor, "personal"),
        new("a second person in the owners' group chat", Tenant, GroupMember, "路人乙", GroupChat, "groupChat"),
    ];

    private static JsonObject ActivityOf(Attacker a, string type) => new()
    {
        ["type"] = type,
        ["id"] = Guid.NewGuid().ToString(),
        ["timestamp"] = Now.ToUniversalTime().ToString("O"),
        ["serviceUrl"] = TeamsConnector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = a.UserId, ["name"] = a.Name, ["aadObjectId"] = "aad-" + a.Tenant + a.UserId },
        ["conversation"] = new JsonObject { ["id"] = a.ConversationId, ["conversationType"] = a.ConversationType, ["tenantId"] = a.Tenant, ["isGroup"] = a.ConversationType != "personal" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" },
        ["locale"] = "zh-CN",
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = a.Tenant } },
    };

    // ---- what must not come back ----

    /// <summary>The canary, or a customer's phone (also with its digits spaced or dashed), in a text; null when none.</summary>
    private static string? Leak(string text)
    {
        if (text.Contains(Canary, StringComparison.OrdinalIgnoreCase))
        {
            return Canary;
        }
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return Phones.FirstOrDefault(p => text.Contains(p, StringComparison.Ordinal) || digits.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>Everything in a reply: its JSON as sent (CJK unescaped), and the contents of inline files.</summary>
    private static string Everything(JsonNode? node)
    {
        if (node == null)
        {
            return "";
        }
        var all = new StringBuilder(JsonReplies.Json(node));
        foreach (var o in JsonReplies.Descendants(node))
        {
            foreach (var (_, value) in o)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith("data:", StringComparison.Ordinal) && s.IndexOf(";base64,", StringComparison.Ordinal) is var at and > 0)
                {
                    try
                    {
                        all.Append('\n').Append(Encoding.UTF8.GetString(Convert.FromBase64String(s[(at + 8)..])));
                    }
                    catch (FormatException)
                    {
                    }
                }
            }
        }
        return all.ToString();
    }

    private readonly List<string> _leaks = [];

    /// <summary>
    /// The canaries of what a meeting's group may read (its place, topics, material, minutes):
    /// allowed in a shared chat. Every other record (leave reasons and decisions, weekly reports,
    /// complaints, callbacks, customers' phones) is personal.
    /// </summary>
    private static readonly string[] MeetingFields = ["地点", "议题", "书面材料", "讨论", "结论", "决定事项"];

    /// <summary>Set while the owners act in the group chat: only personal canaries count, and only in what reaches a shared chat.</summary>
    private bool _sharedChat;

    /// <summary>A personal record's canary or a phone in a text; null when none (meeting records may show).</summary>
    private static string? PersonalLeak(string text)
    {
        for (var at = text.IndexOf(Canary, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(Canary, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var field = text.Substring(at + Canary.Length, Math.Min(12, text.Length - at - Canary.Length)).Replace("\\", "").TrimStart('-');
            if (!MeetingFields.Any(f => field.StartsWith(f, StringComparison.Ordinal)))
            {
                return Canary;
            }
        }
        return Leak(text.Replace(Canary, "", StringComparison.OrdinalIgnoreCase));
    }

    private void Check(string label, JsonNode? answer)
    {
        var text = Everything(answer);
        if ((_sharedChat ? PersonalLeak(text) : Leak(text)) is { } leak)
        {
            var at = text.IndexOf(leak, StringComparison.OrdinalIgnoreCase);
            _leaks.Add($"{label}: {leak} in …{(at < 0 ? text[..Math.Min(300, text.Length)] : text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 100)])}…");
        }
    }

    /// <summary>Posts the activity; checks the HTTP answer and every message the bot sent meanwhile.</summary>
    private async Task SendAsync(string label, JsonObject activity)
    {
        _tried++;
        var before = _host.Connector.Count;
        if ((string?)activity["type"] == "message")
        {
            activity["deliveryMode"] = "expectReplies";
        }
        var response = await _host.SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{label}: HTTP {(int)response.StatusCode} {body}");
        if (body.Length > 0)
        {
            Check(label, JsonNode.Parse(body));
        }
        foreach (var call in _host.Connector.CallsSince(before).Where(c => !_sharedChat || c.ConversationId == GroupChat))
        {
            Check($"{label} (sent to {call.ConversationId})", call.Body);
        }
    }

    private async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var names = _host.Get<TableNames>();
        var service = _host.Get<TableServiceClient>();
        // Bookkeeping, not records: state, references, first-contact people, delivery ids, jobs.
        var skip = new HashSet<string> { names.BotState, names.ConversationReferences, names.People, names.ProcessedActivities, names.Jobs, names.DeliveryFailures };
        var snapshot = new Dictionary<string, string>();
        foreach (var table in names.All.Where(t => !skip.Contains(t)))
        {
            await foreach (var row in service.GetTableClient(table).QueryAsync<TableEntity>())
            {
                snapshot[$"{table}/{row.PartitionKey}/{row.RowKey}"] = row.ETag.ToString();
            }
        }
        return snapshot;
    }

    /// <summary>
    /// No record that existed changed or went away. New rows may appear: registering a complaint
    /// of one's own is open to everyone, and a valid form in the corpus does exactly that.
    /// </summary>
    private async Task AssertUnchangedAsync(Dictionary<string, string> before)
    {
        var after = await SnapshotAsync();
        // The day's complaint-number counter ("n|yyyyMMdd") moves with such a registration: bookkeeping, not a record.
        var changed = before.Where(row => !row.Key.Contains("/n|", StringComparison.Ordinal))
            .Where(row => !after.TryGetValue(row.Key, out var etag) || etag != row.Value).Select(row => row.Key).ToList();
        Assert.True(changed.Count == 0, "records changed: " + string.Join(", ", changed.Take(20)));
    }

    private void AssertClean()
    {
        Assert.True(_leaks.Count == 0, $"{_leaks.Count} replies showed someone else's record:\n" + string.Join("\n", _leaks.Take(40)));
        var errors = _host.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "unhandled errors logged:\n" + string.Join("\n", errors.Take(20).Select(e => e.Message + " " + e.Exception?.GetType().Name + ": " + e.Exception?.Message)));
    }

    /// <summary>The canary does show where it may (so the corpus can fail).</summary>
    public async Task SeededRecordsShowToTheirOwnersAsync()
    {
        // The corpus proves something only if the canary shows where it may: the supervisor
        // opening a complaint, the office's leave records, the recorder's minutes.
        var complaint = await _host.SayAsync(Supervisor, "投诉 " + _ids["complaint"][2]);
        Assert.NotNull(Leak(Everything(complaint)));
        Assert.Contains(Phones[2], Everything(complaint));
        Assert.NotNull(Leak(Everything(await _host.SayAsync(Office, "请假记录 2026-12"))));
        Assert.NotNull(Leak(Everything(await _host.ExecuteAsync(Recorder, MinutesActions.OpenVerb, new JsonObject { ["occurrence"] = Meeting }))));
        Assert.NotNull(Leak(Everything(await _host.ExecuteAsync(Participant, MinutesActions.OpenItemVerb, new JsonObject { ["item"] = _ids["item"][0] }))));
        Assert.NotNull(Leak(Everything(await _host.SayAsync(Requester, "我的请假"))));
    }

    /// <summary>
    /// Every verb (part <paramref name="part"/> of <paramref name="parts"/>: the verbs in ordinal
    /// order, every <paramref name="parts"/>-th from the <paramref name="part"/>-th, so the parts
    /// together press every verb), every payload, Action.Submit and Action.Execute, by the outsiders.
    /// </summary>
    public async Task CardActionsByOutsidersAsync(int part, int parts)
    {
        var all = _host.Get<CardActionRouter>().Verbs.OrderBy(v => v, StringComparer.Ordinal).ToList();
        Assert.True(all.Count > 40, $"only {all.Count} verbs registered");
        var verbs = all.Where((_, i) => i % parts == part).ToList();
        var before = await SnapshotAsync();
        foreach (var verb in verbs)
        {
            foreach (var (label, data, everyone) in Payloads(verb))
            {
                foreach (var attacker in everyone ? Attackers : Attackers.Take(1))
                {
                    var submit = ActivityOf(attacker, "message");
                    submit["value"] = data.DeepClone();
                    await SendAsync($"{verb} Action.Submit, {label}, by {attacker.Label}", submit);

                    var invoke = ActivityOf(attacker, "invoke");
                    invoke["name"] = "adaptiveCard/action";
                    invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = "manual" };
                    await SendAsync($"{verb} Action.Execute, {label}, by {attacker.Label}", invoke);
                }
            }
        }
        AssertClean();
        await AssertUnchangedAsync(before);
        Assert.True(_tried > verbs.Count * 80, $"only {_tried} payloads tried");
    }

    /// <summary>
    /// The records' owners and those who may see them, pressing every verb in their group chat:
    /// whatever they may see in their 1:1 chat, a personal record (leave reasons and decisions,
    /// weekly reports, complaints, callbacks, customers' phones) never lands in the shared chat.
    /// Meeting records (place, topics, minutes) may: the meeting's group reads them.
    /// </summary>
    public async Task CardActionsInTheGroupChatAsync()
    {
        var verbs = _host.Get<CardActionRouter>().Verbs.OrderBy(v => v, StringComparer.Ordinal).ToList();
        _sharedChat = true;
        Attacker InTheGroup(string userId, string name) => new($"{name} ({userId}) in the group chat", Tenant, userId, name, GroupChat, "groupChat");
        var owners = new[] { InTheGroup(Office, "陈主任"), InTheGroup(Approver, "周部长"), InTheGroup(Requester, "孙丽"), InTheGroup(Supervisor, "刘洋") };
        foreach (var verb in verbs)
        {
            foreach (var (label, data, _) in Payloads(verb).Where(p => p.Everyone && !p.Label.Contains("valid form", StringComparison.Ordinal)))
            {
                foreach (var owner in owners)
                {
                    var submit = ActivityOf(owner, "message");
                    submit["value"] = data.DeepClone();
                    await SendAsync($"{verb} Action.Submit, {label}, by {owner.Label}", submit);

                    var invoke = ActivityOf(owner, "invoke");
                    invoke["name"] = "adaptiveCard/action";
                    invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = "manual" };
                    await SendAsync($"{verb} Action.Execute, {label}, by {owner.Label}", invoke);
                }
            }
        }
        AssertClean();
    }

    /// <summary>What may follow a command word: every id and name the records have, and periods.</summary>
    private IEnumerable<string> Arguments() =>
        new[] { "", "列表", "全部", "all", "概况", "李娜", "赵敏", "销售周例会", "销售", Team, Team + " 上周", Team + " 2026-W48", "2026-11", "2026-12", "上月", "2026-W48", "2026-W49", "2026-11-01 2026-12-31", "全部 孙丽" }
            .Concat(_ids.Values.SelectMany(v => v))
            .Distinct();

    /// <summary>
    /// Every command's name in <paramref name="language"/> (the first word: aliases reach the same
    /// command; a name the same in Chinese is left to the Chinese run) with every argument, by the outsiders.
    /// </summary>
    public async Task CommandsByOutsidersAsync(string language)
    {
        var router = _host.Get<CommandRouter>();
        var localizer = _host.Get<Localizer>();
        Assert.Contains(language, Localizer.Supported);
        var before = await SnapshotAsync();
        var arguments = Arguments().ToList();
        var commands = 0;
        foreach (var command in router.Commands.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var word = localizer.Get(language, $"commands.{command.Id}.name").Trim();
            if (language != Localizer.Supported[0] && word == localizer.Get(Localizer.Supported[0], $"commands.{command.Id}.name").Trim())
            {
                continue;
            }
            commands++;
            foreach (var argument in arguments)
            {
                foreach (var attacker in Attackers)
                {
                    // A conversation of its own for each, so a flow one command starts never takes the next one's text.
                    var message = ActivityOf(attacker with { ConversationId = attacker.ConversationId + "/" + _tried }, "message");
                    message["text"] = (word + " " + argument).Trim();
                    await SendAsync($"'{message["text"]}' by {attacker.Label}", message);
                }
            }
        }
        AssertClean();
        await AssertUnchangedAsync(before);
        Assert.True(commands > 10, $"only {commands} command words in {language}");
        Assert.True(_tried > commands * 3 * 20, $"only {_tried} commands tried");
    }
}
