using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// The proactive side: reminders to the people who have not handed in (never to the exempt or
/// to those who have), and the digest to its recipients. Each person gets each message once:
/// the jobs send through <see cref="JobDeliveries"/>, so a job that runs again (a retry, another
/// instance taking over) skips whoever it already reached.
/// </summary>
public sealed class WeeklyReportNotifier(
    WeeklyReportService service,
    JobDeliveries deliveries,
    ICardFactory cards,
    WeeklyDigestCards digestCards,
    WeeklyDigestChat chat,
    Localizer localizer,
    ILogger<WeeklyReportNotifier> logger)
{
    public const string FirstReminder = "reminder1";
    public const string SecondReminder = "reminder2";
    public const string Digest = "digest";
    public const string ReminderTemplate = "WeeklyReportReminder";

    /// <summary>
    /// Reminds everyone of the team who must report for the week and has not (round 1 before the
    /// deadline, round 2 at it). Nothing is sent when the week has no deadline (holidays).
    /// </summary>
    public async Task<JobDeliveries.Outcome> RemindAsync(Job job, string team, string week, int round, CancellationToken cancellationToken)
    {
        var tenantId = job.TenantId;
        var status = await service.StatusAsync(tenantId, team, week, cancellationToken).ConfigureAwait(false);
        if (!status.Plan.ReportsDue)
        {
            return new JobDeliveries.Outcome(0, 0, 0);
        }
        var kind = round == 1 ? FirstReminder : SecondReminder;
        var missing = status.In(ReportState.Missing).ToList();
        var members = (await service.MembersAsync(tenantId, team, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId);
        return await SendEachAsync(job, team, week, kind, missing.Select(p => members.GetValueOrDefault(p.UserId)).OfType<Person>().ToList(),
            person => ReminderCard(person, status, round), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the digest's first page to each recipient of the team, and every page to the chat the office named (if any).</summary>
    public async Task<JobDeliveries.Outcome> SendDigestAsync(Job job, string team, string week, CancellationToken cancellationToken)
    {
        var tenantId = job.TenantId;
        var status = await service.StatusAsync(tenantId, team, week, cancellationToken).ConfigureAwait(false);
        var digest = new WeeklyDigest(status);
        var (recipients, unreachable) = await service.AudienceAsync(tenantId, status.Settings, cancellationToken).ConfigureAwait(false);
        if (unreachable.Count > 0)
        {
            // Named in configuration as office but unknown to the bot: said, not silently skipped.
            logger.LogWarning("The {Team} digest for {Week} cannot reach configured office administrators {Admins}: they have not talked to the bot yet.",
                team, week, string.Join(", ", unreachable));
        }
        JobDeliveries.Outcome outcome;
        Proactive.ProactiveDeliveryException? retryLater = null;
        try
        {
            outcome = await SendEachAsync(job, team, week, Digest, recipients,
                person => MessageFactory.Attachment(digestCards.Page(digest, person.PreferredLanguage, 1).Card), cancellationToken).ConfigureAwait(false);
        }
        catch (Proactive.ProactiveDeliveryException e)
        {
            // Someone could not be reached for now: the chat still gets its copy in this run.
            retryLater = e;
            outcome = new JobDeliveries.Outcome(0, 0, 0);
        }
        await chat.PostAsync(job, digest, cancellationToken).ConfigureAwait(false);
        if (retryLater != null)
        {
            throw retryLater;
        }
        return outcome;
    }

    private Task<JobDeliveries.Outcome> SendEachAsync(Job job, string team, string week, string kind, IReadOnlyList<Person> people,
        Func<Person, Microsoft.Bot.Schema.IActivity> message, CancellationToken cancellationToken)
    {
        var byId = people.ToDictionary(p => p.UserId, StringComparer.Ordinal);
        return deliveries.SendToEachAsync(job, byId.Keys, userId => (turn, ct) => turn.SendActivityAsync(message(byId[userId]), ct),
            $"weeklyReports.{kind} {team} {week}", cancellationToken, service.Options.SendConcurrency);
    }

    private Microsoft.Bot.Schema.IActivity ReminderCard(Person person, TeamWeekStatus status, int round)
    {
        var locale = person.PreferredLanguage;
        var plan = status.Plan;
        var suggestions = status.People.FirstOrDefault(p => p.UserId == person.UserId)?.Suggestions.Count ?? 0;
        var shift = ReportText.ShiftNote(localizer, locale, plan);
        var data = new JsonObject
        {
            ["heading"] = localizer.Get(locale, round == 1 ? "weeklyReports.reminder.heading" : "weeklyReports.reminder.headingDue"),
            ["body"] = localizer.Get(locale, round == 1 ? "weeklyReports.reminder.body" : "weeklyReports.reminder.bodyDue",
                ReportText.Week(localizer, locale, plan.Week), ReportText.Deadline(localizer, locale, plan)),
            ["hasShift"] = shift.Length > 0,
            ["shift"] = shift,
            ["suggestions"] = suggestions > 0
                ? localizer.Get(locale, "weeklyReports.reminder.suggestionsFiled", suggestions)
                : localizer.Get(locale, "weeklyReports.reminder.suggestionsNone"),
            ["command"] = localizer.Get(locale, "commands.report.name"),
        };
        return MessageFactory.Attachment(cards.Create(ReminderTemplate, data, locale));
    }
}
