using System.Net;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Routing;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.DevChannel.Tests;

/// <summary>The local chat channel in-process: Direct Line as Web Chat uses it, and the bot's side of it.</summary>
public sealed class DirectLineTests
{
    private static bool IsHelpCard(JObject activity, string title = "ChatRegs 制度助手") =>
        activity["attachments"] is JArray { Count: > 0 } attachments
        && (string?)attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
        && attachments[0]["content"]!.ToString().Contains(title);

    private static DevChannelFactory Factory(ReceivedActivities? received = null, ExecuteProbe? probe = null, Dictionary<string, string?>? settings = null) =>
        new(settings, services: services =>
        {
            if (received != null)
            {
                services.AddSingleton<IMiddleware>(received);
            }
            if (probe != null)
            {
                services.AddSingleton<ICardActionHandler>(probe);
            }
        });

    [Fact]
    public async Task Web_Chat_flow_start_post_poll_echoes_the_message_then_the_bot_answers_with_the_help_card()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var chat = await DirectLineClient.StartAsync(http, "employee");
        Assert.Equal("a:dev-employee", chat.ConversationId);

        // First poll (empty watermark): the welcome card the app's installation produced.
        var first = await chat.PollAsync();
        Assert.Contains(first, a => IsHelpCard(a, "欢迎使用 ChatRegs"));
        Assert.False(string.IsNullOrEmpty(chat.Watermark));

        var posted = await chat.SayAsync("帮助", clientActivityId: "client-1");
        var id = (string?)posted["id"];
        Assert.False(string.IsNullOrEmpty(id));

        var feed = await chat.PollAsync();
        var echo = feed[0];
        Assert.Equal(id, (string?)echo["id"]);
        Assert.Equal("client-1", (string?)echo["channelData"]?["clientActivityID"]);
        Assert.Equal("user", (string?)echo["from"]?["role"]);
        Assert.Equal("29:dev-employee", (string?)echo["from"]?["id"]);
        Assert.Equal("帮助", (string?)echo["text"]);

        var reply = Assert.Single(feed.Skip(1));
        Assert.True(IsHelpCard(reply), reply.ToString());
        Assert.Equal("bot", (string?)reply["from"]?["role"]);
        Assert.Equal(id, (string?)reply["replyToId"]);
        Assert.False(string.IsNullOrEmpty((string?)reply["timestamp"]));
        Assert.False(string.IsNullOrEmpty((string?)reply["id"]));

        // Nothing new: an empty page and the same watermark.
        var watermark = chat.Watermark;
        Assert.Empty(await chat.PollAsync());
        Assert.Equal(watermark, chat.Watermark);
    }

    [Fact]
    public async Task The_bot_receives_Teams_traffic_from_the_person_the_token_names()
    {
        var received = new ReceivedActivities();
        await using var factory = Factory(received);
        var chat = await DirectLineClient.StartAsync(factory.CreateClient(), "csRep");
        var posted = await chat.SayAsync("help", locale: "en-US");

        var activity = Assert.Single(received.All, a => a.Id == (string?)posted["id"]);
        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Equal("msteams", activity.ChannelId);
        Assert.Equal("help", activity.Text);
        Assert.Equal("en-US", activity.Locale);
        Assert.Equal("29:dev-cs-rep", activity.From.Id);
        Assert.Equal("李娜", activity.From.Name);
        Assert.Equal(DevPeople.CsRep.AadObjectId, activity.From.AadObjectId);
        Assert.StartsWith("28:", activity.Recipient.Id);
        Assert.Equal("a:dev-csRep", activity.Conversation.Id);
        Assert.Equal("personal", activity.Conversation.ConversationType);
        Assert.Equal(DevPeople.TenantId, activity.Conversation.TenantId);
        Assert.Equal(DevPeople.TenantId, activity.GetChannelData<TeamsChannelData>().Tenant.Id);
        Assert.Equal(factory.ServiceUrl, activity.ServiceUrl);

        // The answer is in English, because of the locale.
        Assert.Contains(await chat.PollAsync(), a => IsHelpCard(a, "ChatRegs regulations assistant"));
    }

    [Fact]
    public async Task In_the_meeting_chat_the_bot_is_mentioned_and_sees_team_channel_and_meeting()
    {
        var received = new ReceivedActivities();
        await using var factory = Factory(received);
        var http = factory.CreateClient();
        var host = await DirectLineClient.StartAsync(http, "host", "meeting");
        var employee = await DirectLineClient.StartAsync(http, "employee", "meeting");
        Assert.Equal(DevPeople.MeetingConversationId, host.ConversationId);
        await employee.PollAsync();

        var posted = await host.SayAsync("帮助");
        var activity = Assert.Single(received.All, a => a.Id == (string?)posted["id"]);
        Assert.Equal("<at>ChatRegs</at> 帮助", activity.Text);
        Assert.Equal("帮助", CommandRouterText(activity));
        Assert.Equal("channel", activity.Conversation.ConversationType);
        Assert.True(activity.Conversation.IsGroup);
        var data = activity.GetChannelData<TeamsChannelData>();
        Assert.Equal(DevPeople.TenantId, data.Tenant.Id);
        Assert.Equal(DevPeople.TeamId, data.Team.Id);
        Assert.Equal(DevPeople.MeetingConversationId, data.Channel.Id);
        Assert.Equal(DevPeople.MeetingId, data.Meeting.Id);

        // Everyone in the meeting chat sees the message and the answer.
        var seen = await employee.PollAsync();
        Assert.True(seen.Any(a => (string?)a["id"] == (string?)posted["id"] && (string?)a["from"]?["id"] == "29:dev-host"), string.Join("\n", seen));
        Assert.True(seen.Any(a => IsHelpCard(a)), string.Join("\n", seen));
    }

    private static string CommandRouterText(Activity activity) =>
        CommandRouter.TextWithoutMention(new TurnContext(new Microsoft.Bot.Builder.Adapters.TestAdapter(), activity));

    [Fact]
    public async Task A_card_submit_from_Web_Chat_runs_the_card_verb()
    {
        var received = new ReceivedActivities();
        await using var factory = Factory(received);
        var chat = await DirectLineClient.StartAsync(factory.CreateClient(), "employee");
        await chat.PollAsync();

        // What Web Chat posts for an Action.Submit with object data (a postBack, no text).
        var posted = await chat.PostAsync(new JObject
        {
            ["type"] = "message",
            ["value"] = new JObject { ["verb"] = "help.run", ["command"] = "帮助" },
            ["channelData"] = new JObject { ["clientActivityID"] = "submit-1", ["postBack"] = true },
            ["locale"] = "zh-CN",
        });

        var activity = Assert.Single(received.All, a => a.Id == (string?)posted["id"]);
        Assert.Equal("help.run", (string?)((JObject)activity.Value)["verb"]);
        Assert.Null(activity.Text);

        var feed = await chat.PollAsync();
        Assert.True((bool?)feed[0]["channelData"]?["postBack"]);
        Assert.Contains(feed, a => IsHelpCard(a));
    }

    [Fact]
    public async Task Action_Execute_is_an_invoke_and_its_card_replaces_the_clicked_card_for_that_person()
    {
        var received = new ReceivedActivities();
        var probe = new ExecuteProbe();
        await using var factory = Factory(received, probe);
        var chat = await DirectLineClient.StartAsync(factory.CreateClient(), "employee");
        var cardId = await factory.SendProactiveAsync(DevPeople.Employee, MessageFactory.Attachment(ExecuteProbe.Question()));
        var card = Assert.Single(await chat.PollAsync(), a => (string?)a["id"] == cardId);
        var timestamp = (string?)card["timestamp"];

        // What the page posts when an Action.Execute button is clicked.
        var posted = await chat.PostAsync(new JObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = cardId,
            ["locale"] = "zh-CN",
            ["value"] = new JObject
            {
                ["action"] = new JObject { ["type"] = "Action.Execute", ["verb"] = ExecuteProbe.VerbName, ["data"] = new JObject { ["x"] = 1 } },
                ["trigger"] = "manual",
            },
        });

        var response = posted["invokeResponse"]!;
        Assert.Equal(200, (int?)response["status"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["body"]?["type"]);

        var invoke = Assert.Single(received.All, a => a.Id == (string?)posted["id"]);
        Assert.Equal(ActivityTypes.Invoke, invoke.Type);
        Assert.Equal("adaptiveCard/action", invoke.Name);
        Assert.Equal(cardId, invoke.ReplyToId);
        Assert.Equal("msteams", invoke.ChannelId);
        var (_, data) = Assert.Single(probe.Calls);
        Assert.Equal(1, (int?)data["x"]);

        // The feed brings a new version of the clicked activity: same id, same place, the answer card.
        var update = Assert.Single(await chat.PollAsync());
        Assert.Equal(cardId, (string?)update["id"]);
        Assert.Equal(timestamp, (string?)update["timestamp"]);
        Assert.Contains(ExecuteProbe.AnswerText + "：王小明", update["attachments"]![0]!["content"]!.ToString());
        Assert.DoesNotContain(ExecuteProbe.ButtonTitle, update.ToString());
    }

    [Fact]
    public async Task An_Action_Execute_answer_in_the_meeting_chat_is_shown_only_to_the_person_who_clicked()
    {
        var probe = new ExecuteProbe();
        await using var factory = Factory(probe: probe);
        var http = factory.CreateClient();
        var host = await DirectLineClient.StartAsync(http, "host", "meeting");
        var employee = await DirectLineClient.StartAsync(http, "employee", "meeting");
        await factory.SeedAsync();
        var reference = await factory.Services.GetRequiredService<ConversationReferenceStore>()
            .GetConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, CancellationToken.None);
        string? cardId = null;
        await factory.Services.GetRequiredService<ChatRegs.Bot.Hosting.ChatRegsAdapter>().ContinueConversationAsync("", reference!, async (turn, ct) =>
            cardId = (await turn.SendActivityAsync(MessageFactory.Attachment(ExecuteProbe.Question()), ct)).Id, CancellationToken.None);
        var hostFeed = await host.PollAsync();
        Assert.True(hostFeed.Any(a => (string?)a["id"] == cardId), $"card {cardId}, serviceUrl {reference!.ServiceUrl}, transcript {factory.Services.GetRequiredService<DevTranscripts>().For(DevPeople.MeetingConversationId).Count}, watermark {host.Watermark}: " + string.Join("\n", hostFeed));
        Assert.Contains(await employee.PollAsync(), a => (string?)a["id"] == cardId);

        await host.PostAsync(new JObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = cardId,
            ["value"] = new JObject { ["action"] = new JObject { ["type"] = "Action.Execute", ["verb"] = ExecuteProbe.VerbName }, ["trigger"] = "manual" },
        });

        Assert.Contains(await host.PollAsync(), a => (string?)a["id"] == cardId && a.ToString().Contains(ExecuteProbe.AnswerText + "：张伟"));
        Assert.Empty(await employee.PollAsync());
    }

    [Fact]
    public async Task The_bot_updating_a_message_replaces_it_for_everyone_and_deleting_leaves_a_note()
    {
        await using var factory = Factory();
        var chat = await DirectLineClient.StartAsync(factory.CreateClient(), "office");
        var cardId = await factory.SendProactiveAsync(DevPeople.Office, MessageFactory.Attachment(ExecuteProbe.Question()));
        var original = Assert.Single(await chat.PollAsync(), a => (string?)a["id"] == cardId);

        var reference = await factory.Services.GetRequiredService<ConversationReferenceStore>()
            .GetPersonalConversationAsync(DevPeople.TenantId, DevPeople.Office.Id, CancellationToken.None);
        var adapter = factory.Services.GetRequiredService<ChatRegs.Bot.Hosting.ChatRegsAdapter>();
        await adapter.ContinueConversationAsync("", reference!, async (turn, ct) =>
        {
            var updated = MessageFactory.Attachment(ExecuteProbe.Card(new JObject { ["type"] = "TextBlock", ["text"] = "已更新的卡片" }));
            updated.Id = cardId;
            await turn.UpdateActivityAsync(updated, ct);
        }, CancellationToken.None);

        var update = Assert.Single(await chat.PollAsync());
        Assert.Equal(cardId, (string?)update["id"]);
        Assert.Equal((string?)original["timestamp"], (string?)update["timestamp"]);
        Assert.Equal("bot", (string?)update["from"]?["role"]);
        Assert.Contains("已更新的卡片", update.ToString());

        await adapter.ContinueConversationAsync("", reference!, (turn, ct) => turn.DeleteActivityAsync(cardId, ct), CancellationToken.None);
        var deleted = Assert.Single(await chat.PollAsync());
        Assert.Equal(cardId, (string?)deleted["id"]);
        Assert.Null(deleted["attachments"]);
        Assert.Contains("此消息已被删除", (string?)deleted["text"]);
    }

    [Fact]
    public async Task A_test_notice_goes_through_the_stored_reference_and_shows_up_only_in_that_persons_chat()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var employee = await DirectLineClient.StartAsync(http, "employee");
        var host = await DirectLineClient.StartAsync(http, "host");
        await employee.PollAsync();
        await host.PollAsync();

        var result = await DirectLineClient.PostJsonAsync(http, "/devchannel/notify", new JObject
        {
            ["tenantId"] = DevPeople.TenantId,
            ["userId"] = "29:dev-host",
            ["text"] = "【提醒】明天 8:30 周例会",
        });
        Assert.Equal("storedReference", (string?)result["via"]);
        Assert.Equal("a:dev-host", (string?)result["conversationId"]);

        var notice = Assert.Single(await host.PollAsync());
        Assert.Equal("【提醒】明天 8:30 周例会", (string?)notice["text"]);
        Assert.Equal("bot", (string?)notice["from"]?["role"]);
        Assert.Equal((string?)result["activityId"], (string?)notice["id"]);
        Assert.Empty(await employee.PollAsync());
    }

    [Fact]
    public async Task A_notice_to_someone_the_bot_has_no_chat_with_creates_the_1_to_1_conversation()
    {
        await using var factory = Factory(settings: new() { [DevSeeder.SeedSetting] = "false" });
        var http = factory.CreateClient();
        var store = factory.Services.GetRequiredService<ConversationReferenceStore>();
        Assert.Null(await store.GetPersonalConversationAsync(DevPeople.TenantId, DevPeople.CsSupervisor.Id, CancellationToken.None));

        var result = await DirectLineClient.PostJsonAsync(http, "/devchannel/notify", new JObject { ["userId"] = DevPeople.CsSupervisor.Id, ["text"] = "请查看回访统计" });
        Assert.Equal("createConversation", (string?)result["via"]);
        Assert.Equal("a:dev-csSupervisor", (string?)result["conversationId"]);

        var chat = await DirectLineClient.StartAsync(http, "csSupervisor");
        Assert.Contains(await chat.PollAsync(), a => (string?)a["text"] == "请查看回访统计");
    }

    [Fact]
    public async Task First_use_installs_the_app_for_every_sample_person_and_in_the_meeting_channel()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        await DirectLineClient.StartAsync(http, "employee");
        var store = factory.Services.GetRequiredService<ConversationReferenceStore>();
        foreach (var person in DevPeople.All)
        {
            var reference = await store.GetPersonalConversationAsync(DevPeople.TenantId, person.Id, CancellationToken.None);
            Assert.NotNull(reference);
            Assert.Equal(person.PersonalConversationId, reference!.Conversation.Id);
            var chat = await DirectLineClient.StartAsync(http, person.Key);
            Assert.Contains(await chat.PollAsync(), a => IsHelpCard(a, "欢迎使用 ChatRegs"));
        }
        Assert.NotNull(await store.GetConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, CancellationToken.None));
        var meeting = await DirectLineClient.StartAsync(http, "office", "meeting");
        Assert.Contains(await meeting.PollAsync(), a => IsHelpCard(a, "欢迎使用 ChatRegs"));
    }

    [Fact]
    public async Task The_sample_people_have_real_roles_given_through_the_people_directory()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        await DirectLineClient.StartAsync(http, "employee");
        var people = factory.Services.GetRequiredService<ChatRegs.Bot.People.PeopleDirectory>();

        var officePerson = (await people.GetAsync(DevPeople.TenantId, DevPeople.Office.Id, CancellationToken.None))!;
        Assert.True(officePerson.Has("office") && officePerson.Has("minutesReviewer") && officePerson.Has("supervisor"));
        var group = Assert.Single(await factory.Services.GetRequiredService<ChatRegs.Bot.People.NamedGroups>().ListAsync(DevPeople.TenantId, CancellationToken.None));
        Assert.Equal("总经理室", group.Name);
        Assert.Equal([DevPeople.Host.Id], group.Members);
        var rep = (await people.GetAsync(DevPeople.TenantId, DevPeople.CsRep.Id, CancellationToken.None))!;
        Assert.True(rep.Has("csRep") && rep.OnDuty);
        Assert.True((await people.GetAsync(DevPeople.TenantId, DevPeople.CsSupervisor.Id, CancellationToken.None))!.Has("csSupervisor"));
        Assert.True((await people.GetAsync(DevPeople.TenantId, DevPeople.Host.Id, CancellationToken.None))!.Has("manager"));
        Assert.Equal(DevPeople.Host.Id, (await people.GetApproverAsync(DevPeople.TenantId, DevPeople.Employee.Id, CancellationToken.None))?.UserId);
        Assert.Contains(await people.ListAuditAsync(DevPeople.TenantId, 20, CancellationToken.None), a => a.ActorName == "dev seed" && a.TargetId == DevPeople.Office.Id);

        // The office person can open the roles card; the employee is refused.
        var office = await DirectLineClient.StartAsync(http, "office");
        await office.PollAsync();
        await office.SayAsync("角色");
        Assert.Contains(await office.PollAsync(), a => a["attachments"]?.ToString().Contains("角色与部门管理") == true);
        var employee = await DirectLineClient.StartAsync(http, "employee");
        await employee.PollAsync();
        await employee.SayAsync("角色");
        Assert.Contains(await employee.PollAsync(), a => ((string?)a["text"])?.StartsWith("只有办公室可以做这件事") == true);
    }

    [Fact]
    public async Task A_newcomer_finds_a_sample_weekly_meeting_and_callbacks_to_try_and_a_restart_does_not_add_more()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var employee = await DirectLineClient.StartAsync(http, "employee");
        await employee.PollAsync();

        await employee.SayAsync("会议");
        var meetings = string.Join("\n", (await employee.PollAsync()).Select(a => a["attachments"]?.ToString() ?? (string?)a["text"] ?? ""));
        Assert.Contains("周工作例会", meetings);
        Assert.Contains("三楼会议室", meetings);
        Assert.Contains("张伟", meetings);
        // Its check-ins are scheduled like any series'.
        var jobs = await factory.Services.GetRequiredService<ChatRegs.Bot.Scheduling.JobStore>().ListAsync(DevPeople.TenantId, [], CancellationToken.None);
        Assert.Contains(jobs, j => j.Kind == "meetings.checkinOpen" && j.Data.Contains(DevSeeder.SampleSeriesId));

        // The CS rep has yesterday's customers to call back.
        var rep = await DirectLineClient.StartAsync(http, "csRep");
        await rep.PollAsync();
        await rep.SayAsync("回访");
        var queue = string.Join("\n", (await rep.PollAsync()).Select(a => a["attachments"]?.ToString() ?? (string?)a["text"] ?? ""));
        Assert.Contains("王建国", queue);
        Assert.Contains("开始回访", queue);

        // A second start on the same storage (a restart) keeps the one series.
        await using var again = Factory(settings: new() { ["ChatRegs:Storage:TablePrefix"] = factory.TablePrefix });
        await again.SeedAsync();
        var store = again.Services.GetRequiredService<ChatRegs.Bot.Meetings.MeetingStore>();
        Assert.Single(await store.ListSeriesAsync(DevPeople.TenantId, CancellationToken.None), s => s.Name == "周工作例会");
        Assert.Equal(3, (await again.Services.GetRequiredService<ChatRegs.Bot.Callbacks.CallbackStore>().ListTasksAsync(DevPeople.TenantId, openOnly: false, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task The_connector_serves_members_team_and_meeting_lookups_the_SDK_makes()
    {
        await using var factory = Factory();
        await factory.SeedAsync();
        var store = factory.Services.GetRequiredService<ConversationReferenceStore>();
        var adapter = factory.Services.GetRequiredService<ChatRegs.Bot.Hosting.ChatRegsAdapter>();

        var personal = await store.GetPersonalConversationAsync(DevPeople.TenantId, DevPeople.Host.Id, CancellationToken.None);
        await adapter.ContinueConversationAsync("", personal!, async (turn, ct) =>
        {
            var member = await TeamsInfo.GetMemberAsync(turn, DevPeople.Host.Id, ct);
            Assert.Equal("张伟", member.Name);
            Assert.Equal(DevPeople.Host.AadObjectId, member.AadObjectId);
            Assert.Equal(DevPeople.TenantId, member.TenantId);
            var members = await TeamsInfo.GetPagedMembersAsync(turn, cancellationToken: ct);
            Assert.Equal(DevPeople.Host.Id, Assert.Single(members.Members).Id);
        }, CancellationToken.None);

        var meeting = await store.GetConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, CancellationToken.None);
        await adapter.ContinueConversationAsync("", meeting!, async (turn, ct) =>
        {
            // Teams' channel data (team, meeting) is what TeamsInfo reads; a proactive turn carries the reference only.
            turn.Activity.ChannelData = JObject.FromObject(new TeamsChannelData
            {
                Tenant = new TenantInfo(DevPeople.TenantId),
                Team = new TeamInfo(DevPeople.TeamId, DevPeople.TeamName),
                Meeting = new TeamsMeetingInfo(DevPeople.MeetingId),
            });
            var all = new List<TeamsChannelAccount>();
            string? continuation = null;
            var pages = 0;
            do
            {
                var page = await TeamsInfo.GetPagedMembersAsync(turn, 2, continuation, ct);
                all.AddRange(page.Members);
                continuation = page.ContinuationToken;
                pages++;
            }
            while (continuation != null);
            Assert.Equal(3, pages);
            Assert.Equal(DevPeople.All.Select(p => p.Id), all.Select(m => m.Id));

            await Assert.ThrowsAnyAsync<Exception>(() => TeamsInfo.GetMemberAsync(turn, "29:stranger", ct));

            var team = await TeamsInfo.GetTeamDetailsAsync(turn, DevPeople.TeamId, ct);
            Assert.Equal(DevPeople.TeamName, team.Name);
            var channels = await TeamsInfo.GetTeamChannelsAsync(turn, DevPeople.TeamId, ct);
            Assert.Contains(channels, c => c.Id == DevPeople.MeetingConversationId);

            var info = await TeamsInfo.GetMeetingInfoAsync(turn, DevPeople.MeetingId, ct);
            Assert.Equal(DevPeople.MeetingTitle, info.Details.Title);
            var participant = await TeamsInfo.GetMeetingParticipantAsync(turn, DevPeople.MeetingId, DevPeople.Host.AadObjectId, DevPeople.TenantId, ct);
            Assert.Equal("Organizer", participant.Meeting.Role);
            Assert.Equal("张伟", participant.User.Name);
        }, CancellationToken.None);
    }

    [Fact]
    public async Task A_targeted_in_meeting_notification_shows_only_to_recipients_in_the_meeting_and_names_the_others_as_Teams_does()
    {
        await using var factory = Factory();
        await factory.SeedAsync();
        var http = factory.CreateClient();
        await DirectLineClient.PostJsonAsync(http, "/devchannel/meeting", new JObject { ["event"] = "join", ["person"] = "employee" });
        var store = factory.Services.GetRequiredService<ConversationReferenceStore>();
        var adapter = factory.Services.GetRequiredService<ChatRegs.Bot.Hosting.ChatRegsAdapter>();
        var meeting = await store.GetConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, CancellationToken.None);

        MeetingNotificationResponse? response = null;
        await adapter.ContinueConversationAsync("", meeting!, async (turn, ct) =>
        {
            var notification = new TargetedMeetingNotification
            {
                Type = "targetedMeetingNotification",
                Value = new TargetedMeetingNotificationValue
                {
                    Recipients = [DevPeople.Employee.Id, DevPeople.Host.Id],
                    Surfaces = [new MeetingStageSurface<TaskModuleContinueResponse>
                    {
                        ContentType = ContentType.Task,
                        Content = new TaskModuleContinueResponse { Value = new TaskModuleTaskInfo { Title = "周例会 已开始，请签到", Url = "http://localhost/tabs/meeting.html" } },
                    }],
                },
            };
            response = await TeamsInfo.SendMeetingNotificationAsync(turn, notification, DevPeople.MeetingId, ct);
        }, CancellationToken.None);

        // The host is not in the meeting: Teams names them; the employee sees it, alone, in the meeting chat.
        Assert.Equal(DevPeople.Host.Id, Assert.Single(response!.RecipientsFailureInfo).RecipientMri);
        var transcript = factory.Services.GetRequiredService<DevTranscripts>().For(DevPeople.MeetingConversationId);
        var shown = Assert.Single(transcript.Since(0, DevPeople.Employee.Id).Activities, a => a["channelData"]?["devchannel"]?["inMeetingNotification"] != null);
        Assert.Contains("周例会 已开始，请签到", (string?)shown["text"]);
        Assert.DoesNotContain(transcript.Since(0, DevPeople.Host.Id).Activities, a => a["channelData"]?["devchannel"]?["inMeetingNotification"] != null);

        var wrong = await http.PostAsync("/devchannel/v1/meetings/MCMeeting-other/notification", DirectLineClient.Json(new JObject()));
        Assert.True(wrong.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Meeting_events_from_the_page_reach_the_bot_as_Teams_meeting_events()
    {
        var received = new ReceivedActivities();
        await using var factory = Factory(received);
        var http = factory.CreateClient();
        await DirectLineClient.PostJsonAsync(http, "/devchannel/meeting", new JObject { ["event"] = "start", ["person"] = "host" });
        await DirectLineClient.PostJsonAsync(http, "/devchannel/meeting", new JObject { ["event"] = "join", ["person"] = "employee" });

        var start = Assert.Single(received.All, a => a.Name == "application/vnd.microsoft.meetingStart");
        Assert.Equal(ActivityTypes.Event, start.Type);
        Assert.Equal(DevPeople.MeetingId, start.GetChannelData<TeamsChannelData>().Meeting.Id);
        Assert.Equal(DevPeople.MeetingTitle, start.GetChannelData<TeamsChannelData>() is not null ? ((JObject)start.Value)["Title"]?.ToString() : null);
        var join = Assert.Single(received.All, a => a.Name == "application/vnd.microsoft.meetingParticipantJoin");
        var details = ((JObject)join.Value).ToObject<MeetingParticipantsEventDetails>()!;
        Assert.Equal(DevPeople.Employee.Id, Assert.Single(details.Members).User.Id);
        Assert.True(details.Members[0].Meeting.InMeeting);

        var bad = await http.PostAsync("/devchannel/meeting", DirectLineClient.Json(new JObject { ["event"] = "dance" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_token_only_opens_its_own_conversation()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var employee = await DirectLineClient.StartAsync(http, "employee");

        var request = new HttpRequestMessage(HttpMethod.Get, "/v3/directline/conversations/a:dev-host/activities?watermark=");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", employee.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);

        var noToken = await http.PostAsync("/v3/directline/conversations", DirectLineClient.Json(new JObject()));
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);

        var refresh = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/refresh");
        refresh.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", employee.Token);
        var refreshed = JObject.Parse(await (await http.SendAsync(refresh)).Content.ReadAsStringAsync());
        Assert.Equal(employee.ConversationId, (string?)refreshed["conversationId"]);
        Assert.False(string.IsNullOrEmpty((string?)refreshed["token"]));
    }
}
