using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>Shows an occurrence's roll to whoever may see it (host, recorder, office, manager), with the correction form for those who may correct it.</summary>
public sealed class RollPresenter(AttendanceService attendance, IAuthorizationService authorization, RollCard cards, Localizer localizer)
{
    /// <summary>The roll card for this turn's sender, or null after telling them why not.</summary>
    public async Task<Attachment?> CardAsync(ITurnContext turnContext, string occurrenceKey, CancellationToken cancellationToken, string? message = null,
        IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var roll = await attendance.GetRollAsync(tenant, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (roll == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "meetings.checkIn.unknown")), cancellationToken).ConfigureAwait(false);
            return null;
        }
        if (!await authorization.EnsureAllowedAsync(turnContext, MeetingPermissions.ViewRoll, ResourceOf(roll), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return await CardForAsync(turnContext, roll, cancellationToken, message, errors, values).ConfigureAwait(false);
    }

    /// <summary>Who may see and correct a roll: the series' host and recorder, and this occurrence's substitute host (and the rules' roles).</summary>
    public static AuthorizationResource ResourceOf(Roll roll) => roll.Snapshot.Series.AsResource(roll.Occurrence.SubstituteHostId);

    /// <summary>The roll card for a sender already allowed to see it: with the correction form when they may correct it.</summary>
    public async Task<Attachment> CardForAsync(ITurnContext turnContext, Roll roll, CancellationToken cancellationToken, string? message = null,
        IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var canCorrect = (await authorization.AuthorizeAsync(turnContext, MeetingPermissions.CorrectRoll, ResourceOf(roll), cancellationToken).ConfigureAwait(false)).Allowed;
        return cards.Create(roll, turnContext.Activity.Locale ?? "", canCorrect, message, errors, values);
    }

    public async Task SendAsync(ITurnContext turnContext, string occurrenceKey, CancellationToken cancellationToken)
    {
        var card = await CardAsync(turnContext, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (card != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
        }
    }
}
