using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.Dialogs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatRegs.Bot.Leave;

public static class LeaveServices
{
    /// <summary>
    /// Leave requests (请假): the flow, the approval card and its actions, my list, the office's
    /// records and CSV, the delivery retry job — and approved leave for the roll
    /// (<see cref="ILeaveRoster"/>) and the weekly-report reminder (<see cref="IApprovedLeave"/>),
    /// replacing the defaults Meetings and WeeklyReports register with TryAdd (whichever of
    /// these registrations runs first).
    /// </summary>
    public static IServiceCollection AddLeave(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Leave", LeavePermissions.Rules);
        services.AddOptions<LeaveOptions>().Bind(configuration.GetSection(LeaveOptions.Section)).Validate(
            o => o.MinReasonLength >= 1 && o.MaxReasonLength >= o.MinReasonLength && o.MinWorkTextLength >= 1 && o.MaxWorkTextLength >= o.MinWorkTextLength
                && o.MaxSpanDays is >= 1 and <= 366 && o.LateWindowDays >= 0 && o.MaxMeetingsOffered >= 1 && o.MaxListed >= 1 && o.MaxCommentLength >= 1,
            "ChatRegs:Leave: lengths must be at least 1 (max ≥ min), MaxSpanDays 1–366, LateWindowDays ≥ 0.");
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new LeaveStore(sp.Table(n => n.LeaveRequests)));
        services.AddSingleton<LeaveText>();
        services.AddSingleton<LeaveCards>();
        services.AddSingleton<LeaveService>();
        services.AddSingleton<LeaveNotifier>();
        services.AddSingleton<LeaveRecords>();
        services.AddSingleton<MyLeave>();

        services.AddSingleton<LeaveRoster>();
        services.RemoveAll<ILeaveRoster>();
        services.AddSingleton<ILeaveRoster>(sp => sp.GetRequiredService<LeaveRoster>());
        services.RemoveAll<IApprovedLeave>();
        services.AddSingleton<IApprovedLeave>(sp => sp.GetRequiredService<LeaveRoster>());

        services.AddSingleton<Dialog, LeaveDialog>();
        services.AddSingleton<IChatCommand, LeaveCommand>();
        services.AddSingleton<IChatCommand, MyLeaveCommand>();
        services.AddSingleton<IChatCommand, LeaveRecordsCommand>();
        services.AddSingleton<ICardActionHandler, ApproveLeaveAction>();
        services.AddSingleton<ICardActionHandler, RejectLeaveAction>();
        services.AddSingleton<ICardActionHandler, WithdrawLeaveAction>();
        services.AddSingleton<ICardActionHandler, ShowLeaveAction>();
        services.AddSingleton<ICardActionHandler, FilterLeaveRecordsAction>();
        services.AddSingleton<ICardActionHandler, ExportLeaveRecordsAction>();
        services.AddSingleton<IJobHandler, LeaveDeliveryJob>();
        return services;
    }
}
