using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Meetings.Occurrences;
using ChatRegs.Bot.Meetings.Series;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatRegs.Bot.Meetings;

public static class MeetingServices
{
    /// <summary>
    /// Meetings (例会): series and occurrences, check-in, the roll and monthly attendance — their
    /// stores, cache, jobs, commands, card actions, dialogs and Teams' meeting events (Events/MeetingEvents).
    /// Other features use <see cref="MeetingStore"/>, <see cref="MeetingCache"/> and
    /// <see cref="AttendanceService"/>; the leave feature replaces <see cref="ILeaveRoster"/>.
    /// </summary>
    public static IServiceCollection AddMeetings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Meetings", MeetingPermissions.Rules);
        services.AddOptions<MeetingOptions>().Bind(configuration.GetSection(MeetingOptions.Section));
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new MeetingStore(sp.Table(n => n.Meetings)));
        services.AddSingleton(sp => new CheckInStore(sp.Table(n => n.CheckIns)));
        services.AddSingleton<MeetingCache>();
        services.TryAddSingleton<ILeaveRoster, NoLeaveRoster>();
        services.AddSingleton<CheckIns.CheckInCard>();
        services.AddSingleton<Attendance.RollCard>();
        services.AddSingleton<MeetingJobs>();
        services.AddSingleton<CheckInService>();
        services.AddSingleton<AttendanceService>();
        services.AddSingleton<RollPresenter>();
        services.AddSingleton<MonthlyReport>();
        services.AddSingleton<OccurrenceEditor>();

        services.AddSingleton<IJobHandler, CheckInOpenJob>();
        services.AddSingleton<IJobHandler, RollJob>();
        services.AddSingleton<IJobHandler, MeetingNoticeJob>();
        services.AddSingleton<IJobHandler, MeetingAfterJob>();

        services.AddSingleton<Events.InMeetingNotifier>();
        services.AddSingleton<IJobHandler, Events.StartReminderJob>();
        services.AddSingleton<IMeetingEventHandler, Events.MeetingEvents>();

        services.AddSingleton<Dialog, MeetingFormDialog>();
        services.AddSingleton<Dialog, CheckIns.CheckInChoiceDialog>();
        services.AddSingleton<Dialog, Attendance.RollChoiceDialog>();

        services.AddSingleton<IChatCommand, NewMeetingCommand>();
        services.AddSingleton<IChatCommand, MeetingsCommand>();
        services.AddSingleton<IChatCommand, CheckInCommand>();
        services.AddSingleton<IChatCommand, AttendanceCommand>();
        services.AddSingleton<IChatCommand, MonthlyAttendanceCommand>();

        services.AddSingleton<ICardActionHandler, CheckInAction>();
        services.AddSingleton<ICardActionHandler, CheckInViewAction>();
        services.AddSingleton<ICardActionHandler, EditSeriesAction>();
        services.AddSingleton<ICardActionHandler, ShowOccurrenceAction>();
        services.AddSingleton<ICardActionHandler, MoveOccurrenceAction>();
        services.AddSingleton<ICardActionHandler, CancelOccurrenceAction>();
        services.AddSingleton<ICardActionHandler, SubstituteHostAction>();
        services.AddSingleton<ICardActionHandler, ShowRollAction>();
        services.AddSingleton<ICardActionHandler, CorrectRollAction>();
        services.AddSingleton<ICardActionHandler, ExportAttendanceAction>();
        return services;
    }
}
