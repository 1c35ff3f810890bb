using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// The proactive side: reminders to the people who have not handed in (never to the exempt or
/// to those who have), and the digest to its recipients. Each person gets each message once:
/// what was sent is recorded in the <see cref="DeliveryLog"/> right after sending, so a job that
/// runs again (a retry, another instance taking over) skips them.
/// </summary>
public sealed class WeeklyReportNotifier(
    WeeklyReportService service,
    DeliveryLog log,
    ProactiveSender sender,
    ICardFactory cards,
    WeeklyDigestCards digestCards,
    Localizer localizer,
    ILogger<WeeklyReportNotifier> logger)
{
    public const string FirstReminder = "reminder1";
    public const string SecondReminder = "reminder2";
    public const string Digest = "digest";
    public const string ReminderTemplate = "WeeklyReportReminder";

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int Sent, int Skipped, int Undeliverable);

    /// <summary>
    /// Reminds everyone of the team who must report for the week and has not (round 1 before the
    /// deadline, round 2 at it). Nothing is sent when the week has no deadline (holidays).
    /// </summary>
    public async Task<Outcome> RemindAsync(string tenantId, string team, string week, int round, CancellationToken cancellationToken)
    {
        var status = await service.StatusAsync(tenantId, team, week, cancellationToken).ConfigureAwait(false);
        if (!status.Plan.ReportsDue)
        {
            return new Outcome(0, 0, 0);
        }
        var kind = round == 1 ? FirstReminder : SecondReminder;
        var missing = status.In(ReportState.Missing).ToList();
        var members = (await service.MembersAsync(tenantId, team, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId);
        return await SendEachAsync(tenantId, team, week, kind, missing.Select(p => members.GetValueOrDefault(p.UserId)).OfType<Person>().ToList(),
            person => ReminderCard(person, status, round), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the digest's first page to each recipient of the team.</summary>
    public async Task<Outcome> SendDigestAsync(string tenantId, string team, string week, CancellationToken cancellationToken)
    {
        var status = await service.StatusAsync(tenantId, team, week, cancellationToken).ConfigureAwait(false);
        var digest = new WeeklyDigest(status);
        var recipients = await service.RecipientsAsync(tenantId, status.Settings, cancellationToken).ConfigureAwait(false);
        return await SendEachAsync(tenantId, team, week, Digest, recipients,
            person => MessageFactory.Attachment(digestCards.Page(digest, person.PreferredLanguage, 1).Card), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> SendEachAsync(string tenantId, string team, string week, string kind, IReadOnlyList<Person> people,
        Func<Person, Microsoft.Bot.Schema.IActivity> message, CancellationToken cancellationToken)
    {
        var already = await log.SentAsync(tenantId, team, week, kind, cancellationToken).ConfigureAwait(false);
        int sent = 0, undeliverable = 0;
        var purpose = $"weeklyReports.{kind} {team} {week}";
        await Parallel.ForEachAsync(
            people.Where(p => !already.Contains(p.UserId)),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, service.Options.SendConcurrency), CancellationToken = cancellationToken },
            async (person, ct) =>
            {
                var result = await sender.SendToPersonAsync(tenantId, person.UserId, message(person), purpose, ct).ConfigureAwait(false);
                await log.RecordAsync(tenantId, team, week, kind, person.UserId, result.Status.ToString(), service.Now, ct).ConfigureAwait(false);
                if (result.Delivered)
                {
                    Interlocked.Increment(ref sent);
                }
                else
                {
                    Interlocked.Increment(ref undeliverable);
                }
            }).ConfigureAwait(false);
        logger.LogInformation("Weekly reports {Kind} for {Team} {Week} in tenant {TenantId}: {Sent} sent, {Undeliverable} undeliverable, {Skipped} sent before.",
            kind, team, week, tenantId, sent, undeliverable, already.Count);
        return new Outcome(sent, already.Count, undeliverable);
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
