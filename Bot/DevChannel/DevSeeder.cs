using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The sample people's seed data. On first use after the bot starts in Development (the first
/// request to the local chat channel, which tells the address the bot must call back on), the
/// app is "installed" for each sample person (their 1:1 chat) and in the meeting's team
/// channel, by delivering the installationUpdate and conversationUpdate activities Teams sends
/// on install. The bot
/// handles them as in Teams: it records each conversation reference (so proactive messages
/// reach people who have not typed anything yet), learns the members, and sends its welcome.
/// A conversation the bot already knows (Table Storage keeps it across restarts) is not
/// installed again. Set <c>ChatRegs:DevChannel:Seed</c> to false to skip it.
/// </summary>
public sealed class DevSeeder
{
    public const string SeedSetting = "ChatRegs:DevChannel:Seed";

    private readonly ConversationReferenceStore _references;
    private readonly DevTeams _teams;
    private readonly IServiceProvider _services;
    private readonly ILogger<DevSeeder> _logger;
    private readonly bool _enabled;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public DevSeeder(ConversationReferenceStore references, DevTeams teams, IServiceProvider services, IConfiguration configuration, ILogger<DevSeeder> logger)
    {
        _references = references;
        _teams = teams;
        _services = services;
        _logger = logger;
        _enabled = !string.Equals(configuration[SeedSetting], "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Seeds once per process (again later if it failed, e.g. storage was down).</summary>
    public async Task EnsureSeededAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        _services.GetService<DevChannelKey>()?.Trust(serviceUrl);
        if (_done || !_enabled)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_done)
            {
                return;
            }
            await SeedAsync(serviceUrl, cancellationToken).ConfigureAwait(false);
            _done = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Local chat: could not create the sample people's chats yet; will try again on the next request.");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SeedAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        var storage = _services.GetServices<IHostedService>().OfType<StorageInitializer>().FirstOrDefault();
        if (storage != null)
        {
            await storage.Ready.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }

        var installed = 0;
        foreach (var person in DevPeople.All)
        {
            if (await _references.GetPersonalConversationAsync(DevPeople.TenantId, person.Id, cancellationToken).ConfigureAwait(false) == null)
            {
                await InstallAsync(person, DevPeople.PersonalChat(person), serviceUrl, cancellationToken).ConfigureAwait(false);
                installed++;
            }
        }
        if (await _references.GetConversationAsync(DevPeople.TenantId, DevPeople.MeetingConversationId, cancellationToken).ConfigureAwait(false) == null)
        {
            await InstallAsync(DevPeople.Office, DevPeople.MeetingChat, serviceUrl, cancellationToken).ConfigureAwait(false);
            installed++;
        }
        await SeedRolesAsync(cancellationToken).ConfigureAwait(false);
        await SeedMeetingAsync(cancellationToken).ConfigureAwait(false);
        await SeedCallbacksAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Local chat: sample tenant {Tenant} ready ({Installed} chats newly installed, serviceUrl {ServiceUrl}).", DevPeople.TenantId, installed, serviceUrl);
    }

    /// <summary>
    /// Gives the sample people their roles through the people directory, as the office would
    /// (audited, actor "dev seed"): 陈静 office (also 会议纪要审核 and 督办), 刘洋 CS supervisor, 李娜 CS rep on duty, 张伟 manager, and
    /// one department (综合部) whose leave approver is the host, with everyone in it.
    /// Roles someone changed by hand afterwards are left alone.
    /// </summary>
    private async Task SeedRolesAsync(CancellationToken cancellationToken)
    {
        var people = _services.GetRequiredService<PeopleDirectory>();
        var seed = new Person { TenantId = DevPeople.TenantId, UserId = "dev-seed", Name = "dev seed" };
        if (await people.GetDepartmentAsync(DevPeople.TenantId, DevPeople.TeamName, cancellationToken).ConfigureAwait(false) == null)
        {
            await people.SaveDepartmentAsync(seed, DevPeople.TeamName, DevPeople.Host.Id, cancellationToken).ConfigureAwait(false);
        }
        foreach (var person in DevPeople.All)
        {
            await people.EnsureKnownAsync(DevPeople.TenantId, person.Id, person.Name, person.AadObjectId, person.UserPrincipalName, null, cancellationToken).ConfigureAwait(false);
            var known = await people.GetAsync(DevPeople.TenantId, person.Id, cancellationToken).ConfigureAwait(false);
            if (known == null || known.Roles.Count > 0 || known.Team != null)
            {
                continue;
            }
            var roles = Roles.IsGrantable(person.Role) ? new HashSet<string> { person.Role } : new HashSet<string>();
            if (person == DevPeople.Host)
            {
                // The head of 综合部 is also a manager: complaints need one to approve a plan.
                roles.Add(Roles.Manager);
            }
            if (person == DevPeople.Office)
            {
                // The office stands in for 计划发展部 and 纪检监察室 here: 纪要审核 and 督办 work from the first minute.
                roles.Add(Roles.MinutesReviewer);
                roles.Add(Roles.Supervisor);
            }
            (await people.SaveAssignmentAsync(seed, known, roles, DevPeople.TeamName, onDuty: person.Role == Roles.CsRep, known.ETag, cancellationToken).ConfigureAwait(false)).OrThrow();
        }
        // 总经理室, the named group the regulation sends minutes to ((三)五.3): the manager, 张伟.
        var groups = _services.GetRequiredService<NamedGroups>();
        if (!(await groups.ListAsync(DevPeople.TenantId, cancellationToken).ConfigureAwait(false)).Any(g => g.Name == GeneralManagersOffice))
        {
            // A conflict means another instance seeding at the same moment created it: the same group.
            await groups.SaveAsync(DevPeople.TenantId, GeneralManagersOffice, [DevPeople.Host.Id], seed.UserId, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The named group of the general manager's office the sample seed creates.</summary>
    public const string GeneralManagersOffice = "总经理室";

    /// <summary>The sample series' id: <see cref="SeedMeetingAsync"/> creates it once.</summary>
    public const string SampleSeriesId = "dev-weekly";

    /// <summary>
    /// A regular meeting to try everything on at once, as 例会制度 describes it: 周工作例会, every
    /// Monday 08:30–09:30 in 三楼会议室, in the team's 周例会 channel (where the page's meeting
    /// events happen), hosted by 张伟 with 陈静 recording and everyone taking part, the minutes
    /// going to the office. Created once (kept across restarts); edited or removed like any
    /// other series. On another day, the host moves this week's occurrence to now (会议 →
    /// 调整本次会议) to try check-in.
    /// </summary>
    private async Task SeedMeetingAsync(CancellationToken cancellationToken)
    {
        var store = _services.GetRequiredService<Meetings.MeetingStore>();
        if (await store.GetSeriesAsync(DevPeople.TenantId, SampleSeriesId, cancellationToken).ConfigureAwait(false) != null)
        {
            return;
        }
        var series = new Meetings.MeetingSeries
        {
            TenantId = DevPeople.TenantId,
            Id = SampleSeriesId,
            Name = "周工作例会",
            ConversationId = DevPeople.MeetingConversationId,
            ConversationName = DevPeople.MeetingChannelName,
            Location = "三楼会议室",
            HostId = DevPeople.Host.Id,
            RecorderId = DevPeople.Office.Id,
            Schedule = Meetings.MeetingSchedule.WeeklyOn(new TimeOnly(8, 30), new TimeOnly(9, 30), DayOfWeek.Monday),
            LateGraceMinutes = 0,
            MinutesRecipients = [DevPeople.Office.Id],
            CreatedBy = "dev-seed",
            CreatedAt = _services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        await store.CreateSeriesAsync(series, DevPeople.All.Select(p => p.Id).Where(id => id != DevPeople.Host.Id && id != DevPeople.Office.Id), cancellationToken).ConfigureAwait(false);
        _services.GetRequiredService<Meetings.MeetingCache>().Invalidate(DevPeople.TenantId, SampleSeriesId);
        await _services.GetRequiredService<Meetings.Jobs.MeetingJobs>().ScheduleUpcomingAsync(DevPeople.TenantId, SampleSeriesId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Three customers served yesterday, imported by 刘洋 (CS supervisor) as a supervisor would,
    /// so 李娜 (CS rep on duty) has callbacks to make (`回访`) from the first minute — once: a
    /// tenant with any callback task is left alone.
    /// </summary>
    private async Task SeedCallbacksAsync(CancellationToken cancellationToken)
    {
        var callbacks = _services.GetRequiredService<Callbacks.CallbackService>();
        if ((await callbacks.AllTasksAsync(DevPeople.TenantId, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return;
        }
        var served = callbacks.Today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var supervisor = await _services.GetRequiredService<PeopleDirectory>().GetAsync(DevPeople.TenantId, DevPeople.CsSupervisor.Id, cancellationToken).ConfigureAwait(false);
        if (supervisor == null)
        {
            return;
        }
        var rows = string.Join("\n",
            $"王建国,先生,13800138001,是,汽车保养,{served},{DevPeople.CsRep.Name}",
            $"张丽,女士,13900139002,否,洗车,{served},{DevPeople.CsRep.Name}",
            $"陈小姐,小姐,13700137003,是,轮胎更换,{served},{DevPeople.CsRep.Name}");
        await callbacks.ImportAsync(supervisor, rows, Localization.Localizer.Chinese, cancellationToken).ConfigureAwait(false);
    }

    private async Task InstallAsync(DevPerson installer, DevChat chat, string serviceUrl, CancellationToken cancellationToken)
    {
        foreach (var activity in _teams.Installation(installer, chat, serviceUrl))
        {
            var (status, _) = await _teams.DeliverAsync(activity, cancellationToken).ConfigureAwait(false);
            if (status >= 400)
            {
                throw new InvalidOperationException($"The bot answered HTTP {status} to the {(string?)activity["type"]} installing the app in {chat.ConversationId}.");
            }
        }
    }
}
