using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>One meeting held in the period, with its minutes (if submitted) and the reviewer's check (if any).</summary>
public sealed record ReviewRow(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence, MinutesDoc? Doc, MinutesReview? Review);

/// <summary>
/// 例会制度(四) 第十条: 计划发展部每周对各部门会议记录进行抽检. A person holding the role
/// 会议纪要审核 / minutes reviewer gets, every Monday morning, the list of last week's meetings
/// and their minutes; opens each (the minutes card, which the role may read) and marks it
/// checked with a remark. <c>纪要审核</c> / <c>minutes review</c> shows this week's and last
/// week's list to reviewers (with the buttons) and the office (who checked what).
/// </summary>
public sealed class MinutesReviews(MinutesService service, ICardFactory cards, Localization.Localizer localizer)
{
    public const string MarkVerb = "minutes.reviewMark";
    public const int MaxRemark = 500;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "minutes.review." + key, args);

    /// <summary>The meetings held (ended, not cancelled, not before their series existed) from <paramref name="from"/> to <paramref name="to"/> (local dates, inclusive), oldest first.</summary>
    public async Task<IReadOnlyList<ReviewRow>> RowsAsync(string tenant, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var now = service.Now;
        var zone = service.TeamZone;
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(from.ToDateTime(TimeOnly.MinValue)));
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        var docs = (await service.WorkingCopiesAsync(tenant, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.OccurrenceKey, StringComparer.Ordinal);
        var reviews = await service.ReviewsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var rows = new List<ReviewRow>();
        foreach (var series in await service.Cache.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var snapshot = await service.Cache.GetAsync(tenant, series.Id, cancellationToken).ConfigureAwait(false);
            if (snapshot == null)
            {
                continue;
            }
            foreach (var o in snapshot.Occurrences(start, end).Where(o => !o.Cancelled && o.End <= now && o.Start >= start && o.Start < end))
            {
                rows.Add(new ReviewRow(snapshot, o, docs.GetValueOrDefault(o.Key), reviews.GetValueOrDefault(o.Key)));
            }
        }
        return rows.OrderBy(r => r.Occurrence.Start).ThenBy(r => r.Snapshot.Series.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>This ISO week's Monday, in the team's time zone.</summary>
    public DateOnly ThisMonday => service.Today.AddDays(-(((int)service.Today.DayOfWeek + 6) % 7));

    /// <summary>The list card. <paramref name="canMark"/>: the reviewer's buttons (the office reads only).</summary>
    public Attachment Card(IReadOnlyList<ReviewRow> rows, DateOnly from, DateOnly to, string locale, bool canMark, string? intro = null, string? message = null, bool warning = false)
    {
        var submitted = rows.Count(r => r.Doc?.Submitted == true);
        var data = new JsonObject
        {
            ["heading"] = L(locale, "heading"),
            ["intro"] = intro ?? L(locale, "period", MinutesCards.Day(from, locale), MinutesCards.Day(to, locale)),
            ["summary"] = L(locale, "summary", rows.Count, submitted, rows.Count(r => r.Review != null)),
            ["empty"] = L(locale, "empty"),
            ["isEmpty"] = rows.Count == 0,
            ["message"] = message ?? "",
            ["messageColor"] = warning ? "Attention" : "Good",
            ["remarkLabel"] = L(locale, "remark", MaxRemark),
            ["rows"] = new JsonArray(rows.Select((r, i) => (JsonNode)Row(r, i, locale, canMark)).ToArray()),
        };
        return cards.Create("MinutesReview", data, locale);
    }

    private JsonObject Row(ReviewRow row, int index, string locale, bool canMark)
    {
        var doc = row.Doc;
        string state;
        if (doc?.Submitted != true)
        {
            state = L(locale, "notSubmitted");
        }
        else if (row.Review is { } review)
        {
            state = L(locale, "checked", review.ReviewerName.Length > 0 ? review.ReviewerName : review.ReviewerId,
                TeamClock.LocalIn(review.At, row.Snapshot.Series.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), review.Remark)
                + (review.Version < doc.Version ? L(locale, "checkedOlder", review.Version) : "");
        }
        else
        {
            state = L(locale, "submitted", doc.Version);
        }
        return new JsonObject
        {
            ["name"] = row.Snapshot.Series.Name,
            ["when"] = MeetingText.When(row.Occurrence, locale, withYear: true),
            ["state"] = state,
            ["checked"] = row.Review != null,
            ["occurrence"] = row.Occurrence.Key,
            ["canOpen"] = doc?.Submitted == true,
            ["canMark"] = canMark && doc?.Submitted == true,
            ["remarkId"] = "remark" + index.ToString(CultureInfo.InvariantCulture),
            ["remark"] = row.Review?.Remark ?? "",
        };
    }
}

/// <summary>"纪要审核" / "minutes review": this week's and last week's meetings, their minutes and who checked which.</summary>
public sealed class MinutesReviewCommand(MinutesReviews reviews, MinutesSchedule schedule, IAuthorizationService authorization) : IChatCommand
{
    public string Id => "minutesReview";

    public bool ListedInHelp => true;

    public string? HelpAction => MinutesPermissions.ReviewStatus;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, MinutesPermissions.ReviewStatus, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        await schedule.EnsureDailyAsync(tenant, cancellationToken).ConfigureAwait(false);
        var canMark = (await authorization.AuthorizeAsync(turnContext, MinutesPermissions.ReviewMinutes, null, cancellationToken).ConfigureAwait(false)).Allowed;
        var from = reviews.ThisMonday.AddDays(-7);
        var to = reviews.ThisMonday.AddDays(6);
        var rows = await reviews.RowsAsync(tenant, from, to, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(reviews.Card(rows, from, to, turnContext.Activity.Locale ?? "", canMark)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// "确认已审核" on the review list (verb <see cref="MinutesReviews.MarkVerb"/>, data: occurrence and
/// its remark field): only a minutes reviewer; the meeting is looked up in the sender's tenant,
/// its minutes must be submitted, the remark is required and capped. The list comes back updated.
/// </summary>
public sealed class MarkReviewedAction(MinutesReviews reviews, MinutesService service, IAuthorizationService authorization) : CardActionHandler(authorization)
{
    public override string Verb => MinutesReviews.MarkVerb;

    protected override string Permission => MinutesPermissions.ReviewMinutes;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var key = action.Field("occurrence", 200);
        var (snapshot, occurrence) = key.Length == 0 ? (null, null) : await service.Cache.GetOccurrenceAsync(action.Tenant, key, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null)
        {
            return action.Say("minutes.unknownMeeting");
        }
        var context = await service.LoadAsync(action.Tenant, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var from = reviews.ThisMonday.AddDays(-7);
        var to = reviews.ThisMonday.AddDays(6);
        async Task<CardActionResult> ListAsync(string message, bool warning)
        {
            var rows = await reviews.RowsAsync(action.Tenant, from, to, cancellationToken).ConfigureAwait(false);
            return new CardActionResult(RefreshedCard: reviews.Card(rows, from, to, action.Locale, canMark: true, message: message, warning: warning));
        }
        if (context?.Doc.Submitted != true)
        {
            return await ListAsync(action.L("minutes.review.notSubmittedYet"), true).ConfigureAwait(false);
        }
        // The remark's input is named per row ("remark3"); the button says which.
        var field = action.Field("remarkField", 20);
        var raw = field.StartsWith("remark", StringComparison.Ordinal) && field.Length <= 10 ? action.Field(field) : "";
        var remark = raw.Trim();
        if (remark.Length == 0)
        {
            return await ListAsync(action.L("minutes.review.remarkRequired"), true).ConfigureAwait(false);
        }
        if (remark.Length > MinutesReviews.MaxRemark)
        {
            return await ListAsync(action.L("minutes.review.remarkTooLong", MinutesReviews.MaxRemark), true).ConfigureAwait(false);
        }
        await service.RecordReviewAsync(new MinutesReview
        {
            TenantId = action.Tenant,
            OccurrenceKey = occurrence.Key,
            SeriesId = snapshot.Series.Id,
            Version = context.Doc.Version,
            ReviewerId = action.UserId,
            ReviewerName = TextCaps.Name(action.Activity.From?.Name) ?? "",
            Remark = remark,
            At = service.Now,
        }, cancellationToken).ConfigureAwait(false);
        SavedTurns.Mark(action.Turn);
        return await ListAsync(action.L("minutes.review.saved", snapshot.Series.Name, MeetingText.When(occurrence, action.Locale)), false).ConfigureAwait(false);
    }
}

/// <summary>
/// Every Monday morning ("minutes.reviewWeekly", at <see cref="MinutesOptions.ReminderTime"/>):
/// each minutes reviewer gets last week's list in their 1:1 chat, once per week (recorded before
/// it is sent; one not delivered is tried again at the next run).
/// </summary>
public sealed class MinutesReviewWeeklyJob(MinutesReviews reviews, MinutesService service, MinutesNotifier notifier, RoleHolders roles) : IJobHandler
{
    public const string Kind = "minutes.reviewWeekly";
    public const string JobId = "minutes|reviewWeekly";

    string IJobHandler.Kind => Kind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var tenant = job.TenantId;
        var reviewers = (await roles.HoldersAsync(tenant, Roles.MinutesReviewer, cancellationToken).ConfigureAwait(false)).People;
        if (reviewers.Count == 0)
        {
            return;
        }
        var from = reviews.ThisMonday.AddDays(-7);
        var to = from.AddDays(6);
        service.Cache.Invalidate(tenant);
        var rows = await reviews.RowsAsync(tenant, from, to, cancellationToken).ConfigureAwait(false);
        var week = IsoWeek.Of(from);
        foreach (var reviewer in reviewers)
        {
            var marker = $"reviewWeek|{week}|{reviewer.UserId}";
            if (!await service.MarkReminderSentAsync(tenant, marker, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            IActivity Build(string locale) => MessageFactory.Attachment(reviews.Card(rows, from, to, locale, canMark: true,
                intro: Localization.Localizer.Default.Get(locale, "minutes.review.weekly", MinutesCards.Day(from, locale), MinutesCards.Day(to, locale))));
            if (!await notifier.SendAsync(tenant, reviewer.UserId, Build, "minutes.reviewWeekly", cancellationToken).ConfigureAwait(false))
            {
                await service.UnmarkReminderAsync(tenant, marker, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
