using ChatRegs.TestSupport;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>"任务状态" / "jobs" through the whole bot (its router, middleware and card factory).</summary>
public sealed class JobsCommandTests
{
    private const string Tenant = "tenant-1";

    [Theory]
    [InlineData("任务状态", "zh-CN")]
    [InlineData("jobs", "en-US")]
    public async Task The_office_sees_parked_jobs_with_their_reason_first(string command, string locale)
    {
        var auth = new FakeAuthorization(allow: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 9, 0, 0, TimeSpan.FromHours(8)));
        var failing = new RecordingHandler("test.weeklyReminder", clock) { Behavior = (_, _) => throw new PermanentJobFailureException("team sales has no members") };
        var waiting = new RecordingHandler("test.checkinOpen", clock);
        await using var host = await SchedulingHost.StartAsync(clock, new() { ["ChatRegs:Jobs:MaxAttempts"] = "3" }, services =>
        {
            services.AddSingleton<IJobHandler>(failing);
            services.AddSingleton<IJobHandler>(waiting);
            services.AddSingleton<IAuthorizationService>(auth);
        });
        await host.Scheduler.ScheduleAsync(Tenant, "test.weeklyReminder", clock.GetUtcNow(), jobId: "remind|sales|2026-W27");
        await host.Scheduler.ScheduleAsync(Tenant, "test.checkinOpen", clock.GetUtcNow().AddHours(2), jobId: "checkin|weekly-ops");
        await host.Scheduler.ScheduleAsync("other-tenant", "test.checkinOpen", clock.GetUtcNow().AddHours(2), jobId: "not-this-tenant");
        await host.Runner.PollAsync();
        await host.Services.GetRequiredService<DeliveryFailureStore>().RecordAsync(new DeliveryFailure(
            Tenant, "29:gone", ProactiveSender.PersonTarget, DeliveryFailureReasons.NoPersonalChat, 403, "Forbidden", "not installed", "test.checkinOpen", clock.GetUtcNow()), default);

        var reply = Assert.Single(await SendAsync(host, command, locale));
        var attachment = Assert.Single(reply.Attachments);
        var text = AllText((JObject)attachment.Content);

        var strings = Localizer.Default;
        Assert.Contains(strings.Get(locale, "jobs.title"), text);
        Assert.Contains(strings.Get(locale, "jobs.reason", "team sales has no members"), text);
        Assert.Contains(strings.Get(locale, "jobs.parkedLine", 1, "2026-06-29 09:00"), text);
        Assert.Contains("test.checkinOpen · checkin|weekly-ops", text);
        Assert.Contains(strings.Get(locale, "jobs.pendingLine", "2026-06-29 11:00"), text);
        Assert.Contains(strings.Get(locale, "proactive.reasons.noPersonalChat"), text);
        Assert.DoesNotContain("not-this-tenant", text);
        // Problems come before what is merely scheduled.
        Assert.True(text.IndexOf("remind|sales|2026-W27", StringComparison.Ordinal) < text.IndexOf("checkin|weekly-ops", StringComparison.Ordinal));
        Assert.Equal([JobPermissions.ViewJobs], auth.Asked);
    }

    [Theory]
    [InlineData("任务状态", "zh-CN")]
    [InlineData("jobs", "en-US")]
    public async Task Anyone_else_is_refused_with_the_reason_in_their_language(string command, string locale)
    {
        var auth = new FakeAuthorization(allow: false);
        await using var host = await SchedulingHost.StartAsync(configure: services => services.AddSingleton<IAuthorizationService>(auth));

        var reply = Assert.Single(await SendAsync(host, command, locale));

        Assert.Equal(Localizer.Default.Get(locale, "auth.officeOnly"), reply.Text);
        Assert.Empty(reply.Attachments ?? []);
        Assert.Equal([JobPermissions.ViewJobs], auth.Asked);
    }

    private static async Task<List<IMessageActivity>> SendAsync(SchedulingHost host, string text, string locale)
    {
        var reference = new ConversationReference
        {
            ChannelId = "msteams",
            ServiceUrl = FakeConnector.ServiceUrl,
            User = new ChannelAccount("29:office", "办公室"),
            Bot = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(conversationType: "personal", id: "a:office", tenantId: Tenant),
            Locale = locale,
        };
        var adapter = new TestAdapter(reference) { Locale = locale };
        foreach (var middleware in host.Services.GetServices<IMiddleware>())
        {
            adapter.Use(middleware);
        }
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = text, Locale = locale }, host.Services.GetRequiredService<IBot>().OnTurnAsync, default);
        var replies = new List<IMessageActivity>();
        while (adapter.ActiveQueue.Count > 0)
        {
            var reply = adapter.GetNextReply();
            if (reply.Type == ActivityTypes.Message)
            {
                replies.Add(reply.AsMessageActivity());
            }
        }
        return replies;
    }

    private static string AllText(JObject card) =>
        string.Join("\n", card.Descendants().OfType<JProperty>().Where(p => p.Name is "text" or "title").Select(CardMarkdown.Visible));

    private sealed class FakeAuthorization(bool allow) : IAuthorizationService
    {
        public List<string> Asked { get; } = [];

        public Task<AuthorizationDecision> AuthorizeAsync(ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default)
        {
            lock (Asked)
            {
                Asked.Add(action);
            }
            return Task.FromResult(allow ? AuthorizationDecision.Allow : AuthorizationDecision.Deny("auth.officeOnly"));
        }
    }
}
