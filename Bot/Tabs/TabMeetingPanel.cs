using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Tabs;

/// <summary>
/// The meeting side panel's data: the occurrence linked to the meeting's chat (the series whose
/// conversation is that chat, as for Teams' meeting events; a channel meeting's thread counts as
/// its channel) — the one open for check-in now, else the next, else the latest of the past week —
/// with its agenda in order (time budgets, presenters), my check-in (and 签到 through the same
/// <see cref="CheckInService"/> as chat: one record, same rules), the live roll for whoever may see
/// it (<see cref="MeetingPermissions.ViewRoll"/>: host, recorder, office, manager), my open action
/// items, and the minutes once submitted. Only people who may see the meeting's minutes
/// (<see cref="MinutesPermissions.ViewMinutes"/>: everyone expected, host, recorder, recipients,
/// office, manager, reviewer) see the panel at all; anyone else gets 403 and nothing about it.
/// </summary>
public sealed class TabMeetingPanel(
    MeetingCache cache,
    CheckInService checkIns,
    CheckInStore checkInRows,
    AttendanceService attendance,
    AgendaService agenda,
    MinutesService minutes,
    AuthorizationService authorization,
    Localizer localizer,
    TimeProvider time)
{
    /// <summary>Where a check-in from the panel is recorded as coming from (the roll's source column).</summary>
    public const string CheckInSource = "tab";

    public async Task<IResult> GetAsync(Person person, string chat, string language, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(chat) || chat.Length > TabApi.MaxIdLength)
        {
            return TabApi.Error(StatusCodes.Status400BadRequest, "badRequest", TabText.Get(language, "errors.badRequest"));
        }
        var found = await FindAsync(person.TenantId, chat, cancellationToken).ConfigureAwait(false);
        if (found is not { } meeting)
        {
            return TabApi.Error(StatusCodes.Status404NotFound, "noMeeting", TabText.Get(language, "errors.noMeeting"));
        }
        if (!MaySee(person, meeting.Snapshot, meeting.Occurrence))
        {
            return TabApi.Error(StatusCodes.Status403Forbidden, "forbidden", TabText.Get(language, "errors.notYourMeeting"));
        }
        return Results.Json(await DescribeAsync(person, meeting.Snapshot, meeting.Occurrence, language, null, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IResult> CheckInAsync(Person person, string chat, string occurrenceKey, string language, CancellationToken cancellationToken)
    {
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(person.TenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        // The occurrence must be this chat's (when the page names its chat) and one the person may see.
        if (snapshot == null || occurrence == null || (chat.Length > 0 && !AgendaService.SameConversation(snapshot.Series.ConversationId, chat)))
        {
            return TabApi.Error(StatusCodes.Status404NotFound, "noMeeting", TabText.Get(language, "errors.noMeeting"));
        }
        if (!MaySee(person, snapshot, occurrence))
        {
            return TabApi.Error(StatusCodes.Status403Forbidden, "forbidden", TabText.Get(language, "errors.notYourMeeting"));
        }
        var outcome = await checkIns.CheckInAsync(snapshot, occurrence, person.UserId, person.Name, CheckInSource, cancellationToken).ConfigureAwait(false);
        var message = checkIns.Describe(outcome, language);
        var body = await DescribeAsync(person, snapshot, occurrence, language, outcome.Recorded ? outcome.CheckIn : null, cancellationToken).ConfigureAwait(false);
        body["result"] = outcome.Result.ToString();
        body["message"] = message;
        return Results.Json(body, statusCode: outcome.Recorded ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    /// <summary>
    /// A correction of one person's line in the roll (更正), as the roll card's correction in chat:
    /// <see cref="MeetingPermissions.CorrectRoll"/> (host, recorder, office), then
    /// <see cref="AttendanceService.CorrectAsync"/> (the rules of <see cref="RollCorrections"/>:
    /// someone in the roll, one of <see cref="AttendanceService.Corrections"/>, a reason of at most
    /// <see cref="RollCorrections.MaxReason"/> characters); kept with who, when and why, the latest winning.
    /// </summary>
    public async Task<IResult> CorrectAsync(Person person, string chat, string occurrenceKey, string? userId, string? statusText, string? reason, string language, CancellationToken cancellationToken)
    {
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(person.TenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null || (chat.Length > 0 && !AgendaService.SameConversation(snapshot.Series.ConversationId, chat)))
        {
            return TabApi.Error(StatusCodes.Status404NotFound, "noMeeting", TabText.Get(language, "errors.noMeeting"));
        }
        var decision = authorization.Decide(person, MeetingPermissions.CorrectRoll, snapshot.Series.AsResource(occurrence.SubstituteHostId));
        if (!decision.Allowed)
        {
            return TabApi.Error(StatusCodes.Status403Forbidden, "forbidden", localizer.Get(language, decision.ReasonKey ?? "meetings.auth.correct"));
        }
        var roll = await attendance.GetRollAsync(person.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        if (roll == null)
        {
            return TabApi.Error(StatusCodes.Status400BadRequest, "person", localizer.Get(language, "meetings.errors.notInRoll"));
        }
        var outcome = await attendance.CorrectAsync(roll, userId, statusText, reason, person.UserId, person.Name, cancellationToken).ConfigureAwait(false);
        if (!outcome.Saved)
        {
            // The first problem, in the form's order (person, status, reason).
            var problem = outcome.Problems[0];
            return TabApi.Error(StatusCodes.Status400BadRequest, problem.Field, localizer.Get(language, problem.Key, problem.Args));
        }
        var body = await DescribeAsync(person, snapshot, occurrence, language, null, cancellationToken).ConfigureAwait(false);
        body["message"] = localizer.Get(language, "meetings.roll.corrected", outcome.Entry!.Name, MeetingText.Status(localizer, language, outcome.Status), outcome.Reason);
        return Results.Json(body);
    }

    private bool MaySee(Person person, SeriesSnapshot snapshot, MeetingOccurrence occurrence) =>
        authorization.Decide(person, MinutesPermissions.ViewMinutes, MinutesService.ResourceOf(snapshot, occurrence)).Allowed;

    /// <summary>The chat's occurrence: open for check-in now, else the next, else the latest of the past week.</summary>
    private async Task<ScheduledMeeting?> FindAsync(string tenantId, string chat, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = (await cache.OccurrencesAsync(tenantId, now.AddDays(-7), now.AddDays(30), cancellationToken,
                s => AgendaService.SameConversation(s.ConversationId, chat)).ConfigureAwait(false))
            .Where(m => !m.Occurrence.Cancelled)
            .OrderBy(m => m.Occurrence.Start)
            .ToList();
        var open = all.Where(m => CheckInService.IsOpen(m.Occurrence, now)).ToList();
        if (open.Count > 0)
        {
            return open[0];
        }
        var next = all.FirstOrDefault(m => m.Occurrence.Start > now);
        if (next.Snapshot != null)
        {
            return next;
        }
        var last = all.LastOrDefault(m => m.Occurrence.Start <= now);
        return last.Snapshot != null ? last : null;
    }

    private async Task<JsonObject> DescribeAsync(Person person, SeriesSnapshot snapshot, MeetingOccurrence occurrence, string language, CheckIn? justNow, CancellationToken cancellationToken)
    {
        var series = snapshot.Series;
        var now = time.GetUtcNow();
        var expected = snapshot.AttendeesOf(occurrence).Contains(person.UserId);
        var state = occurrence.Cancelled ? "cancelled"
            : now < occurrence.CheckInOpens ? "upcoming"
            : now <= occurrence.CheckInCloses ? "open"
            : "over";
        var body = new JsonObject
        {
            ["language"] = language,
            ["meeting"] = new JsonObject
            {
                ["occurrence"] = occurrence.Key,
                ["name"] = series.Name,
                ["when"] = MeetingText.When(occurrence, language),
                ["location"] = series.Location,
                ["host"] = snapshot.NameOf(occurrence.HostId),
                ["recorder"] = series.RecorderId == null ? null : snapshot.NameOf(series.RecorderId),
                ["state"] = state,
                ["checkInWindow"] = MeetingText.Window(occurrence, language),
            },
            ["me"] = new JsonObject { ["name"] = person.Name },
        };

        // My check-in.
        var mine = justNow ?? (expected ? await checkInRows.GetAsync(series.TenantId, occurrence.Key, person.UserId, cancellationToken).ConfigureAwait(false) : null);
        var open = CheckInService.IsOpen(occurrence, now);
        body["checkIn"] = new JsonObject
        {
            ["expected"] = expected,
            ["done"] = mine != null,
            ["at"] = mine == null ? null : MeetingText.CheckInTime(mine.At, mine.Status == CheckInStatus.Late, series),
            ["status"] = mine == null ? null : MeetingText.Status(localizer, language, mine.Status),
            ["canCheckIn"] = expected && mine == null && open,
            ["text"] = mine != null ? TabText.Get(language, "checkIn.done", MeetingText.CheckInTime(mine.At, mine.Status == CheckInStatus.Late, series), MeetingText.Status(localizer, language, mine.Status))
                : !expected ? TabText.Get(language, "checkIn.notExpected")
                : open ? TabText.Get(language, "checkIn.open", MeetingText.Window(occurrence, language))
                : now < occurrence.CheckInOpens ? TabText.Get(language, "checkIn.notOpen", MeetingText.Window(occurrence, language))
                : TabText.Get(language, "checkIn.closed"),
        };

        // The agenda: shown once posted; before that to those who prepare it.
        var agendaContext = await agenda.LoadAsync(series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var prepares = authorization.Decide(person, MeetingPermissions.ManageMeeting, series.AsResource(occurrence.SubstituteHostId)).Allowed;
        if (agendaContext != null && (agendaContext.State.Post != null || prepares))
        {
            body["agenda"] = new JsonObject
            {
                ["posted"] = agendaContext.State.Post != null,
                ["totalMinutes"] = agendaContext.TotalMinutes,
                ["slotMinutes"] = agendaContext.SlotMinutes,
                ["items"] = new JsonArray(agendaContext.State.Items.Select((t, i) => (JsonNode)new JsonObject
                {
                    ["number"] = i + 1,
                    ["title"] = t.Title,
                    ["minutes"] = t.Minutes,
                    ["presenter"] = t.PresenterName.Length > 0 ? t.PresenterName : snapshot.NameOf(t.PresenterId),
                }).ToArray()),
            };
        }

        // The live roll, for whoever may see it.
        var roll = authorization.Decide(person, MeetingPermissions.ViewRoll, series.AsResource(occurrence.SubstituteHostId));
        if (roll.Allowed && await attendance.GetRollAsync(series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false) is { } r)
        {
            body["roll"] = new JsonObject
            {
                ["final"] = r.Final,
                ["present"] = r.Present.Count(),
                ["expected"] = r.Entries.Count,
                // Corrections (更正) are offered to whoever may make them, with the statuses they may set.
                ["canCorrect"] = authorization.Decide(person, MeetingPermissions.CorrectRoll, series.AsResource(occurrence.SubstituteHostId)).Allowed,
                ["corrections"] = new JsonArray(AttendanceService.Corrections.Select(c => (JsonNode)new JsonObject { ["code"] = c.ToString(), ["name"] = MeetingText.Status(localizer, language, c) }).ToArray()),
                ["maxReason"] = RollCorrections.MaxReason,
                ["entries"] = new JsonArray(r.Entries.Select(e => (JsonNode)new JsonObject
                {
                    ["id"] = e.UserId,
                    ["name"] = e.Name,
                    ["status"] = MeetingText.Status(localizer, language, e.Status),
                    ["code"] = e.Status.ToString(),
                    ["at"] = e.CheckIn == null ? null : MeetingText.CheckInTime(e.CheckIn.At, AttendanceService.StatusOf(occurrence, e.CheckIn) == AttendanceStatus.Late, series),
                }).ToArray()),
            };
        }

        // My open action items (from every meeting), and the minutes once submitted.
        body["actions"] = Actions(await minutes.ItemsAsync(series.TenantId, cancellationToken).ConfigureAwait(false), person, language);
        var versions = await minutes.VersionsAsync(series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        if (versions.OrderByDescending(v => v.Number).FirstOrDefault() is { } latest)
        {
            body["minutes"] = new JsonObject
            {
                ["version"] = latest.Number,
                ["at"] = MeetingText.Time(latest.At, series),
                ["by"] = latest.ByName,
                ["topics"] = new JsonArray(latest.Content.Topics.Select(t => (JsonNode)new JsonObject { ["title"] = t.Title, ["outcome"] = t.Outcome }).ToArray()),
                ["decisions"] = new JsonArray(latest.Content.Decisions.Select(d => (JsonNode)new JsonObject { ["description"] = d.Description, ["owner"] = d.OwnerName, ["due"] = d.Due }).ToArray()),
            };
        }
        return body;
    }

    /// <summary>The person's action items that are not done or cancelled, by due date.</summary>
    public static JsonArray Actions(IEnumerable<ActionItem> items, Person person, string language) =>
        new(items.Where(i => i.OwnerId == person.UserId && i.Status is not (ActionItemStatus.Done or ActionItemStatus.Cancelled))
            .OrderBy(i => i.Due)
            .Take(50)
            .Select(i => (JsonNode)new JsonObject
            {
                ["description"] = i.Description,
                ["meeting"] = i.MeetingName,
                ["due"] = i.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["status"] = Localizer.Default.Get(language, "minutes.itemStatus." + i.Status),
            }).ToArray());
}
