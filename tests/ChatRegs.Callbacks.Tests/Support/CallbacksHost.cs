using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>
/// <see cref="FeatureHost"/> (the real bot on Azurite, a fake clock, Teams' connector faked) with
/// a fake file server behind file downloads, and the people of a small customer-service team in
/// tenant "tenant-cb": 刘洋 (supervisor), 李娜 and 赵强 (reps on duty), 孙丽 (rep, off duty), 王小明
/// (employee), Mike (a rep who reads English).
/// </summary>
public sealed class CallbacksHost(FeatureHost feature, TeamsFileHost files) : FeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-cb";
    public const string Supervisor = "29:sup";
    public const string RepA = "29:rep-a";
    public const string RepB = "29:rep-b";
    public const string RepOff = "29:rep-off";
    public const string RepEn = "29:rep-en";
    public const string Employee = "29:emp";

    /// <summary>Thursday 5 March 2026, 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 5, 10, 0, 0, FeatureHost.Shanghai);

    public TeamsFileHost Files { get; } = files;

    public CallbackStore Store => Get<CallbackStore>();

    public CallbackService Service => Get<CallbackService>();

    public JobScheduler Scheduler => Get<JobScheduler>();

    /// <summary>
    /// Starts the bot. File downloads go to <see cref="Files"/> unless <paramref name="network"/>
    /// is given: then they go over the real network through the bot's own handler, with that
    /// network policy (<see cref="CallbackFileNetwork.LoopbackForTests"/> to reach a local server).
    /// </summary>
    public static async Task<CallbacksHost> StartAsync(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, bool team = true, CallbackFileNetwork? network = null)
    {
        var files = new TeamsFileHost();
        var feature = await FeatureHost.StartAsync(Tenant, now ?? Start, settings, services =>
        {
            if (network == null)
            {
                services.AddHttpClient(CallbackFiles.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => files);
            }
            else
            {
                services.AddSingleton(network);
            }
            configure?.Invoke(services);
        });
        var host = new CallbacksHost(feature, files);
        if (team)
        {
            await host.TeamAsync();
        }
        return host;
    }

    /// <summary>
    /// A fresh tenant (with the sample team unless <paramref name="team"/> is false) on the test
    /// class's bot (<see cref="SharedFeatureHost"/>), its clock at <paramref name="now"/>. File
    /// downloads go to a <see cref="Files"/> of the test's own unless <paramref name="network"/> is
    /// given (as <see cref="StartAsync(DateTimeOffset?, Dictionary{string, string?}?, Action{IServiceCollection}?, bool, CallbackFileNetwork?)"/>).
    /// Its tenant is not <see cref="Tenant"/>: read it from <see cref="TenantId"/>.
    /// </summary>
    public static async Task<CallbacksHost> StartAsync(SharedFeatureHost bot, DateTimeOffset? now = null, CallbackFileNetwork? network = null, Dictionary<string, string?>? settings = null, bool team = true)
    {
        var feature = await bot.StartAsync(now ?? Start, settings, services =>
        {
            if (network == null)
            {
                services.AddSingleton(new SwitchableHandler<TeamsFileHost>(new TeamsFileHost()));
                services.AddHttpClient(CallbackFiles.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SwitchableHandler<TeamsFileHost>>());
            }
            else
            {
                services.AddSingleton(network);
            }
        });
        var files = new TeamsFileHost();
        if (feature.Services.GetService<SwitchableHandler<TeamsFileHost>>() is { } switchable)
        {
            switchable.Current = files;
        }
        var host = new CallbacksHost(feature, files);
        if (team)
        {
            await host.TeamAsync();
        }
        return host;
    }

    /// <summary>The test's tenant: <see cref="Tenant"/>, or a fresh one on a shared bot.</summary>
    public string TenantId => Feature.Tenant;

    /// <summary>The sample team: each person known, with a 1:1 chat the bot knows, and their roles.</summary>
    public async Task TeamAsync()
    {
        await PersonAsync(Supervisor, "刘洋", onDuty: false, Roles.CsSupervisor);
        await PersonAsync(RepA, "李娜", onDuty: true, Roles.CsRep);
        await PersonAsync(RepB, "赵强", onDuty: true, Roles.CsRep);
        await PersonAsync(RepOff, "孙丽", onDuty: false, Roles.CsRep);
        await PersonAsync(RepEn, "Mike", onDuty: false, Roles.CsRep);
        await PersonAsync(Employee, "王小明", onDuty: false);
    }

    /// <summary>A person with these roles and a 1:1 chat the bot knows; ids ending in "-en" read English.</summary>
    public Task PersonAsync(string userId, string name, bool onDuty, params string[] roles) =>
        Feature.PersonAsync(userId, name, onDuty: onDuty, roles: roles);

    /// <summary>Sets the clock to a Shanghai wall time on <paramref name="day"/> (default: the start day).</summary>
    public void At(int hour, int minute, DateOnly? day = null) => Feature.At(day ?? DateOnly.FromDateTime(Start.DateTime), hour, minute);

    /// <summary>Sends an activity in the chat's language.</summary>
    public Task<List<IActivity>> SendAsync(TestAdapter adapter, Activity activity) => Feature.SendAsync(adapter, activity);

    /// <summary>Three customers served on 4 March: two for 李娜 (a member and not), one for Mike, in English.</summary>
    public const string ThreeCustomers = """
        王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜
        张丽,女士,13900001111,否,洗车,2026-03-04,李娜
        Smith,Ms,13700002222,yes,car wash,2026-03-04,Mike
        """;

    /// <summary>Imports rows as the supervisor (pasted after the command); returns the replies.</summary>
    /// <summary>The supervisor pastes rows after the command, typed in their language (an English client types the English command).</summary>
    public Task<List<IActivity>> ImportAsync(string rows, string? locale = null) =>
        SayAsync(Adapter(Supervisor, locale), (locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? "import callbacks" : "导入回访") + "\n" + rows);

    public async Task<CallbackTask> TaskAsync(string phone, string service, DateOnly date) =>
        (await Store.GetTaskAsync(Feature.Tenant, CallbackStore.TaskId(phone, service, date), default))
        ?? throw new InvalidOperationException($"No task for {phone} {service} {date}.");

    public async Task<IReadOnlyList<CallbackTask>> TasksAsync() => await Store.ListTasksAsync(Feature.Tenant, openOnly: false, default);

    /// <inheritdoc cref="FeatureHost.JobsAsync"/>
    public Task<IReadOnlyList<Job>> JobsAsync(string prefix) => Feature.JobsAsync(prefix);

    /// <inheritdoc cref="FeatureHost.RunJobAsync(Job)"/>
    public Task RunJobAsync(Job job) => Feature.RunJobAsync(job);

    /// <summary>Runs the daily run's work now.</summary>
    public Task<CallbackNotifier.SweepOutcome> SweepAsync() => Feature.DriveAsync(Get<CallbackNotifier>().SweepAsync(Feature.Tenant, default));

    /// <summary>The cards the bot sent a person proactively.</summary>
    public IReadOnlyList<JObject> CardsTo(string userId) => Feature.CardsTo(userId);
}

