using System.Text.RegularExpressions;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// "投诉" / "complaint": alone, the 顾客投诉登记表; "投诉 列表" the open complaints the person
/// may see; "投诉 TS-20261126-001" that complaint; "投诉 签字 TS-…" with a file attached, the
/// customer's signed confirmation (<see cref="ComplaintSignature"/>).
/// </summary>
public sealed partial class ComplaintCommand(IAuthorizationService authorization, ComplaintViews views, ComplaintCards cards, ComplaintSignature signature) : IChatCommand
{
    public static readonly string[] ListWords = ["列表", "全部", "list", "all"];

    public string Id => "complaint";

    public bool ListedInHelp => true;

    [GeneratedRegex(@"^[A-Za-z]{1,10}-[0-9]{8}-[0-9]{3,}$")]
    public static partial Regex NumberPattern();

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (arguments.Length == 0)
        {
            if (await authorization.EnsureAllowedAsync(turnContext, ComplaintPermissions.ComplaintRegister, null, cancellationToken).ConfigureAwait(false))
            {
                await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Form(ComplaintCards.RegisterVerb, "", ComplaintViews.LocaleOf(turnContext), cards.NewFormValues())), cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (ListWords.Contains(arguments, StringComparer.OrdinalIgnoreCase))
        {
            await views.ListAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        var words = arguments.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0 && ComplaintSignature.Words.Contains(words[0], StringComparer.OrdinalIgnoreCase))
        {
            await signature.RunAsync(turnContext, words.Length > 1 ? words[1].ToUpperInvariant() : "", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (NumberPattern().IsMatch(arguments))
        {
            await views.OpenAsync(turnContext, arguments, cancellationToken).ConfigureAwait(false);
            return;
        }
        await views.SayAsync(turnContext, "usage", cancellationToken, arguments).ConfigureAwait(false);
    }
}

/// <summary>"投诉列表" / "complaints": the open complaints the person may see.</summary>
public sealed class ComplaintListCommand(ComplaintViews views) : IChatCommand
{
    public string Id => "complaints";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            await views.ListAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>"投诉统计 2026-11" / "complaint stats": the 顾客投诉分类统计表 of a month or a date range (this month when none).</summary>
public sealed class ComplaintStatsCommand(IAuthorizationService authorization, ComplaintViews views, ComplaintService service, ComplaintStatsView stats) : IChatCommand
{
    public string Id => "complaintStats";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => ComplaintPermissions.ComplaintStats;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, ComplaintPermissions.ComplaintStats, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var period = ReportPeriod.Parse(arguments, service.Today);
        if (period == null)
        {
            await views.SayAsync(turnContext, "stats.badPeriod", cancellationToken, arguments).ConfigureAwait(false);
            return;
        }
        var data = ComplaintStatsData.Build(await service.ListAsync(ComplaintViews.TenantOf(turnContext), cancellationToken).ConfigureAwait(false), period, service.Options.EffectiveCategories, service.DateOf);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(stats.Card(data, ComplaintViews.LocaleOf(turnContext))), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"下载 CSV" on the statistics card.</summary>
public sealed class ComplaintStatsCsvAction(IAuthorizationService authorization, ComplaintViews views, ComplaintService service, ComplaintStatsView stats, Localizer localizer, IFileExporter files) : CardActionHandler(authorization)
{
    public override string Verb => "complaints.statsCsv";

    protected override string Permission => ComplaintPermissions.ComplaintStats;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, locale) = (action.Turn, action.Locale);
        if (!CallbackImport.TryDate(action.Field("from"), out var from) || !CallbackImport.TryDate(action.Field("to"), out var to)
            || ReportPeriod.Of(from, to) is not { } period)
        {
            await views.SayAsync(turnContext, "stats.badPeriod", cancellationToken, "").ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var report = ComplaintStatsData.Build(await service.ListAsync(ComplaintViews.TenantOf(turnContext), cancellationToken).ConfigureAwait(false), period, service.Options.EffectiveCategories, service.DateOf);
        await files.OfferAsync(turnContext, $"{localizer.Get(locale, "complaints.stats.fileName")}-{period.FileSuffix}.csv", ComplaintStatsView.CsvType,
            ComplaintStatsView.Bytes(stats.Csv(report, locale)), localizer.Get(locale, "complaints.stats.description", period.Describe()), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
