using System.Globalization;
using System.Text;

namespace ChatRegs.Bench;

/// <summary>The table printed at the end of a run.</summary>
public static class Report
{
    public static string Table(BenchResults r, BenchOptions o)
    {
        var s = new StringBuilder();
        var m = r.Machine;
        s.AppendLine();
        s.AppendLine($"ChatRegs benchmark, {r.StartedUtc:yyyy-MM-dd HH:mm} UTC ({(r.FinishedUtc - r.StartedUtc).TotalSeconds:N0} s)");
        s.AppendLine($"Machine: {m.Cores} cores ({m.Cpu}), {m.MemoryGiB:N1} GiB, {m.Os}, {m.Dotnet}; load average at start {m.LoadAverage}");

        if (r.StorageFloor is { } floor)
        {
            s.AppendLine($"Table Storage floor (Azurite alone): {floor.PerSecond:N0} inserts/s, {floor.Concurrency} at a time (p50 {floor.P50Ms:N1} ms, p99 {floor.P99Ms:N1} ms)");
        }
        if (r.Rush is { } rush)
        {
            s.AppendLine();
            s.AppendLine($"8:30 rush: {o.People:N0} people check in to one meeting (card submit, expectReplies), {o.Concurrency} at a time");
            HttpTable(s, rush, "check-in");
            s.AppendLine($"  roll: {rush.Roll!.Rows:N0} check-ins read back; missing {rush.Roll.Missing}, doubled {rush.Roll.Doubled}, unexpected {rush.Roll.Unexpected}; wrong or failed replies {rush.Bot.Failed}  {(rush.Ok ? "OK" : "FAIL")}");
        }
        if (r.State is { } state)
        {
            s.AppendLine();
            s.AppendLine($"State turns: {o.Concurrency} conversations x {o.Rounds} suggestion flows (建议 -> title -> form submit), one turn at a time per conversation");
            HttpTable(s, state, "turn");
            s.AppendLine($"  suggestions: {state.Suggestions!.Stored:N0} of {state.Suggestions.Expected:N0} stored, {state.Suggestions.PeopleWithWrongCount} people with a wrong count; wrong or failed replies {state.Bot.Failed}  {(state.Ok ? "OK" : "FAIL")}");
        }
        if (r.Rush != null || r.State != null)
        {
            s.AppendLine($"  errors logged: bot {r.BotErrorsLogged}, floor {r.FloorErrorsLogged}, echo {r.EchoErrorsLogged}");
        }
        if (r.Reminders is { } rem)
        {
            Reminders(s, rem, r.ReminderProcessMemory);
        }
        if (r.RemindersShared is { } shared)
        {
            Reminders(s, shared, null);
        }
        return s.ToString();
    }

    private static void Reminders(StringBuilder s, ReminderResult rem, ProcessMemory? memory)
    {
        s.AppendLine();
        s.AppendLine($"Friday reminders{(rem.Instances > 1 ? $", {rem.Instances} runner instances sharing the tenant's budget" : "")}: {rem.Reminders:N0} reminders through the jobs engine to a fake Teams connector; limits x{Num(rem.Scale)}: {rem.PerConversationLimit}/s per conversation, {rem.PerTenantLimit}/s per tenant");
        s.AppendLine($"  delivered                {rem.Delivered,10:N0}");
        s.AppendLine($"  retried (429s answered)  {rem.Retried,10:N0}   (jobs run again after a failure: {rem.JobRetries:N0})");
        s.AppendLine($"  failed (jobs not done)   {rem.Failed,10:N0}");
        s.AppendLine($"  achieved rate            {rem.AchievedRate,10:N0}/s = {rem.FractionOfLimit:P0} of the scaled tenant limit ({rem.PerTenantLimit}/s); {rem.FractionOfTeamsLimit:P0} of Teams' real 50/s");
        s.AppendLine($"                           ({rem.WallSeconds:N1} s from the runner's start to the last message; {rem.SteadyRate:N0}/s between the first and the last; first message after {rem.FirstMessageSeconds * 1000:N0} ms)");
        s.AppendLine($"  storage round trips      {rem.StoragePerReminder,10:N2} per reminder delivered ({string.Join(", ", rem.StorageRequests.ByTable.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"))})");
        s.AppendLine($"  most in any one second   {rem.MostInAnySecond,10:N0}   (the connector, per tenant{(rem.Instances > 1 ? $", both instances; {rem.BudgetClaims:N0} budget claims" : "")})");
        s.AppendLine($"  runner                   {rem.JobConcurrency} jobs at once, {rem.JobBatchSize} per poll; seeding took {rem.SeedSeconds:N0} s");
        if (memory is { } pm)
        {
            s.AppendLine($"  memory (bench process: bot in-process + fake connector) {pm.WorkingSetMiB:N0} MiB, peak {pm.PeakMiB:N0} MiB");
        }
        s.AppendLine($"  missing {rem.Missing}, doubled {rem.Doubled}, undeliverable {rem.Undeliverable}, errors logged {rem.ErrorsLogged}  {(rem.Ok ? "OK" : "FAIL")}");
    }

    private static void HttpTable(StringBuilder s, HttpScenarioResult x, string unit)
    {
        // The floor bot (one Table insert per turn) runs in the rush only: its column and the ratios to it.
        var f = x.Floor;
        s.AppendLine($"  {"",-28}{"ChatRegs",12}{(f != null ? "floor bot" : ""),12}{"echo bot",12}{(f != null ? "vs floor" : ""),10}{"vs echo",10}");
        Row(s, "throughput (req/s)", x.Bot.Throughput, f?.Throughput, x.Echo.Throughput, "N0");
        Row(s, "latency p50 (ms)", x.Bot.P50Ms, f?.P50Ms, x.Echo.P50Ms, "N1");
        Row(s, "latency p95 (ms)", x.Bot.P95Ms, f?.P95Ms, x.Echo.P95Ms, "N1");
        Row(s, "latency p99 (ms)", x.Bot.P99Ms, f?.P99Ms, x.Echo.P99Ms, "N1");
        s.AppendLine($"  {"storage round trips/" + unit,-28}{x.StoragePerRequest,12:N2}{(f != null ? "1" : ""),12}{"0",12}   ({(f != null ? "floor: one insert by construction; " : "")}echo: MemoryStorage)");
        s.AppendLine($"  {"failed requests",-28}{x.Bot.Failed,12:N0}{(f != null ? f.Failed.ToString("N0", CultureInfo.InvariantCulture) : ""),12}{x.Echo.Failed,12:N0}");
        s.AppendLine($"  {"memory now / peak (MiB)",-28}{$"{x.BotMemory.WorkingSetMiB:N0} / {x.BotMemory.PeakMiB:N0}",12}{(x.FloorMemory is { } fm ? $"{fm.WorkingSetMiB:N0} / {fm.PeakMiB:N0}" : ""),12}{$"{x.EchoMemory.WorkingSetMiB:N0} / {x.EchoMemory.PeakMiB:N0}",12}");
        if (x.FloorThroughputRatio is { } tr && x.FloorP99Ratio is { } pr)
        {
            s.AppendLine($"  ChatRegs vs the floor bot: throughput {tr.ToString("N2", CultureInfo.InvariantCulture)}x (target >= 0.9), p99 {pr.ToString("N2", CultureInfo.InvariantCulture)}x (target <= 1.5)");
        }
        s.AppendLine($"  storage by table: {string.Join(", ", x.StorageRequests.ByTable.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"))}");
        if (x.StorageRequests.Latency is { Count: > 0 } l)
        {
            s.AppendLine($"  storage requests as the bot timed them: p50 {l.P50:N1} ms, p95 {l.P95:N1} ms, p99 {l.P99:N1} ms, max {l.Max:N1} ms ({l.Count:N0} attempts)");
        }
        foreach (var sample in x.Bot.FailureSamples.Concat(f?.FailureSamples ?? []).Concat(x.Echo.FailureSamples).Take(5))
        {
            s.AppendLine("  ! " + sample);
        }
    }

    private static void Row(StringBuilder s, string name, double bot, double? floor, double echo, string format)
    {
        static string Ratio(double a, double? b) => b is > 0 ? (a / b.Value).ToString("N2", CultureInfo.InvariantCulture) : "-";
        s.AppendLine($"  {name,-28}{bot.ToString(format, CultureInfo.InvariantCulture),12}{(floor is { } fl ? fl.ToString(format, CultureInfo.InvariantCulture) : ""),12}{echo.ToString(format, CultureInfo.InvariantCulture),12}{(floor != null ? Ratio(bot, floor) : ""),10}{Ratio(bot, echo),10}");
    }

    private static string Num(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
