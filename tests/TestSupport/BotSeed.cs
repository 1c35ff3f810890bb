using ChatRegs.Bot.Storage;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.TestSupport;

/// <summary>
/// People and chats written straight into the bot's storage, for <see cref="FeatureHost"/> and
/// <see cref="HttpFeatureHost"/>: someone in the directory with roles set by the office (as the
/// 角色 card would), and a conversation the bot was seen in (so it can post there).
/// </summary>
public static class BotSeed
{
    /// <summary>Who assigns roles and departments when tests seed them: the office.</summary>
    public static Person Office(string tenant) => new() { TenantId = tenant, UserId = "29:office", Name = "办公室" };

    /// <summary>A person in the directory (with these roles, duty and department, if any) and their 1:1 chat with the bot.</summary>
    public static async Task<Person> PersonAsync(IServiceProvider services, string tenant, string userId, string name, string locale,
        bool onDuty = false, string? team = null, string? email = null, params string[] roles)
    {
        var directory = services.GetRequiredService<PeopleDirectory>();
        await directory.EnsureKnownAsync(tenant, userId, name, "aad-" + userId, email, locale);
        var person = (await directory.GetAsync(tenant, userId))!;
        if (roles.Length > 0 || onDuty || team != null)
        {
            person = (await directory.SaveAssignmentAsync(Office(tenant), person, roles.ToHashSet(), team, onDuty, person.ETag)).OrThrow();
        }
        await KnowChatAsync(services, tenant, FeatureHost.ChatOf(userId), userId, name, "personal", locale);
        return person;
    }

    /// <summary>A department and its leave approver, as the office saves it.</summary>
    public static Task DepartmentAsync(IServiceProvider services, string tenant, string name, string? approverUserId) =>
        services.GetRequiredService<PeopleDirectory>().SaveDepartmentAsync(Office(tenant), name, approverUserId);

    /// <summary>
    /// The regulations' weekly meeting, as most meeting tests seed it: "周工作例会" (id "weekly"),
    /// Mondays 08:30–09:30 in 三楼会议室, in the chat <paramref name="conversationId"/> (none: a
    /// series not linked to a chat), hosted by <paramref name="host"/> with <paramref name="recorder"/>,
    /// these participants, created by <paramref name="createdBy"/> (the office unless said) at
    /// <paramref name="createdAt"/>. <paramref name="change"/> alters the series before it is stored
    /// (<c>s =&gt; s with { LateGraceMinutes = 5 }</c>).
    /// </summary>
    public static Task<MeetingSeries> WeeklySeriesAsync(IServiceProvider services, string tenant, string? conversationId, string host, string? recorder,
        IEnumerable<string> participants, DateTimeOffset createdAt, string createdBy = "29:office", Func<MeetingSeries, MeetingSeries>? change = null)
    {
        var series = new MeetingSeries
        {
            TenantId = tenant,
            Id = "weekly",
            Name = "周工作例会",
            ConversationId = conversationId,
            Location = "三楼会议室",
            HostId = host,
            RecorderId = recorder,
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
            CreatedBy = createdBy,
            CreatedAt = createdAt,
        };
        return SeriesAsync(services, change == null ? series : change(series), participants);
    }

    /// <summary>A meeting series with these participants, as stored (and not stale in the bot's cache).</summary>
    public static async Task<MeetingSeries> SeriesAsync(IServiceProvider services, MeetingSeries series, IEnumerable<string> participants)
    {
        var store = services.GetRequiredService<MeetingStore>();
        await store.CreateSeriesAsync(series, participants, default);
        services.GetRequiredService<MeetingCache>().Invalidate(series.TenantId, series.Id);
        return (await store.GetSeriesAsync(series.TenantId, series.Id, default))!;
    }

    /// <summary>
    /// The bot was seen in this conversation (a 1:1 chat, group chat, meeting chat or channel), so
    /// it can post there: recorded and written (not left waiting in the first-contact buffer, so
    /// another instance on the same tables finds it too).
    /// </summary>
    public static async Task KnowChatAsync(IServiceProvider services, string tenant, string conversationId, string userId, string name, string conversationType, string? locale)
    {
        await services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "msteams",
            ServiceUrl = TeamsConnector.ServiceUrl,
            From = new ChannelAccount(userId, name),
            Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(isGroup: conversationType != "personal", conversationType: conversationType, id: conversationId, tenantId: tenant),
            Locale = locale,
        }, default);
        if (services.GetService<BufferedRowWriter>() is { } buffer)
        {
            await buffer.FlushAsync();
        }
    }
}
