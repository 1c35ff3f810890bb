using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// "任务状态" / "jobs" (office only): the tenant's scheduled jobs that are not finished —
/// problems first (parked jobs with their reason and attempts, then jobs waiting for a retry),
/// newest problem first; then what is running and what is due next — and the messages that
/// could not be delivered. Shown as the "Jobs" card.
/// </summary>
public sealed class JobsCommand : IChatCommand
{
    public const int MaxListed = 15;
    public const int MaxFailures = 10;
    private const string RefusedKey = "jobs.refused";

    private readonly IServiceProvider _services;
    private readonly JobStore _store;
    private readonly DeliveryFailureStore _failures;
    private readonly ICardFactory _cards;
    private readonly Localizer _localizer;
    private readonly JobOptions _options;
    private readonly ILogger<JobsCommand> _logger;

    // The authorization service is resolved when the command runs, from the container.
    public JobsCommand(IServiceProvider services, JobStore store, DeliveryFailureStore failures, ICardFactory cards, Localizer localizer, IOptions<JobOptions> options, ILogger<JobsCommand> logger)
    {
        _services = services;
        _store = store;
        _failures = failures;
        _cards = cards;
        _localizer = localizer;
        _options = options.Value;
        _logger = logger;
    }

    public string Id => "jobs";

    /// <summary>An office tool: not on everybody's help card.</summary>
    public bool ListedInHelp => false;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var authorization = _services.GetService<IAuthorizationService>();
        var decision = authorization == null
            ? AuthorizationDecision.Deny(RefusedKey) // fail closed until authorization is configured
            : await authorization.AuthorizeAsync(turnContext, JobPermissions.ViewJobs, null, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(Reason(locale, decision.ReasonKey)), cancellationToken).ConfigureAwait(false);
            return;
        }

        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        IReadOnlyList<Job> jobs;
        IReadOnlyList<DeliveryFailure> failures;
        try
        {
            jobs = await _store.ListAsync(tenant, [JobStatus.Pending, JobStatus.Running, JobStatus.Parked], cancellationToken).ConfigureAwait(false);
            failures = await _failures.ListRecentAsync(tenant, MaxFailures, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            _logger.LogWarning("Could not read the jobs of tenant {TenantId}: {Reason}", tenant, e.Message);
            await turnContext.SendActivityAsync(MessageFactory.Text(_localizer.Get(locale, "jobs.unavailable")), cancellationToken).ConfigureAwait(false);
            return;
        }

        var card = _cards.Create("Jobs", BuildData(jobs, failures, locale), locale);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The card's data: every text already in the user's language and time zone.</summary>
    public JsonObject BuildData(IReadOnlyList<Job> jobs, IReadOnlyList<DeliveryFailure> failures, string locale)
    {
        var zone = TimeZones.Find(_options.TimeZone);
        string Time(DateTimeOffset? t) => t is { } v ? TeamClock.LocalIn(v, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

        var problems = jobs
            .Where(j => j.Status == JobStatus.Parked || j.IsRetrying)
            .OrderByDescending(j => j.LastErrorUtc ?? j.FinishedUtc ?? j.DueUtc)
            .ToList();
        var scheduled = jobs
            .Where(j => j.Status == JobStatus.Running || (j.Status == JobStatus.Pending && !j.IsRetrying))
            .OrderBy(j => j.Status == JobStatus.Running ? 0 : 1)
            .ThenBy(j => j.DueUtc)
            .ToList();

        var problemItems = new JsonArray();
        foreach (var job in problems.Take(MaxListed))
        {
            var status = job.Status == JobStatus.Parked
                ? _localizer.Get(locale, "jobs.parkedLine", job.Attempts, Time(job.LastErrorUtc ?? job.FinishedUtc))
                : _localizer.Get(locale, "jobs.retryingLine", job.Attempts, Time(job.DueUtc));
            problemItems.Add(new JsonObject
            {
                ["title"] = Title(job),
                ["status"] = status,
                ["reason"] = _localizer.Get(locale, "jobs.reason", job.LastError ?? ""),
                ["id"] = job.Id,
                // A job waiting for its retry runs again anyway; only a parked one needs the office.
                ["canRequeue"] = job.Status == JobStatus.Parked,
            });
        }

        var scheduledItems = new JsonArray();
        foreach (var job in scheduled.Take(MaxListed))
        {
            scheduledItems.Add(new JsonObject
            {
                ["title"] = Title(job),
                ["status"] = job.Status == JobStatus.Running
                    ? _localizer.Get(locale, "jobs.runningLine", Time(job.LeaseUntilUtc), job.LeaseOwner ?? "")
                    : _localizer.Get(locale, "jobs.pendingLine", Time(job.DueUtc)),
            });
        }

        var failureItems = new JsonArray();
        foreach (var failure in failures.Take(MaxFailures))
        {
            var target = failure.TargetKind == ProactiveSender.PersonTarget ? "proactive.targetPerson" : "proactive.targetConversation";
            var reasonKey = DeliveryFailureReasons.All.Contains(failure.Reason) ? "proactive.reasons." + failure.Reason : "proactive.reasons.other";
            failureItems.Add(new JsonObject
            {
                ["title"] = _localizer.Get(locale, target, failure.Target),
                ["status"] = string.IsNullOrEmpty(failure.Purpose) ? Time(failure.OccurredUtc) : $"{Time(failure.OccurredUtc)} · {failure.Purpose}",
                ["reason"] = _localizer.Get(locale, reasonKey),
            });
        }

        var pending = jobs.Count(j => j.Status == JobStatus.Pending);
        var running = jobs.Count(j => j.Status == JobStatus.Running);
        var parked = jobs.Count(j => j.Status == JobStatus.Parked);
        return new JsonObject
        {
            ["summary"] = _localizer.Get(locale, "jobs.summary", pending, running, parked),
            ["isEmpty"] = jobs.Count == 0,
            ["hasProblems"] = problemItems.Count > 0,
            ["problems"] = problemItems,
            ["hasMoreProblems"] = problems.Count > MaxListed,
            ["moreProblems"] = _localizer.Get(locale, "jobs.more", Math.Max(0, problems.Count - MaxListed)),
            ["hasScheduled"] = scheduledItems.Count > 0,
            ["scheduled"] = scheduledItems,
            ["hasMoreScheduled"] = scheduled.Count > MaxListed,
            ["moreScheduled"] = _localizer.Get(locale, "jobs.more", Math.Max(0, scheduled.Count - MaxListed)),
            ["hasFailures"] = failureItems.Count > 0,
            ["failures"] = failureItems,
        };
    }

    private static string Title(Job job) => $"{job.Kind} · {job.Id}";

    private string Reason(string locale, string? reasonKey)
    {
        if (!string.IsNullOrEmpty(reasonKey))
        {
            try
            {
                return _localizer.Get(locale, reasonKey);
            }
            catch (KeyNotFoundException)
            {
                _logger.LogWarning("Authorization refused with reason {ReasonKey}, which has no string; showing the generic refusal.", reasonKey);
            }
        }
        return _localizer.Get(locale, RefusedKey);
    }
}
