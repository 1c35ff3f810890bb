using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Language;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema.Teams;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// 汇总印发 to a chat: the office names a group chat or channel (by typing
/// <c>周报汇总 发到本群 综合部</c> there), and at the deadline the department's digest is posted
/// there too — every page, in the chat's language, without the buttons (paging and exports are
/// for the recipients' 1:1 chats). <c>周报汇总 不发到群 综合部</c> stops it, from any chat.
/// Only the office may do either: the chat's members will read everyone's report.
/// </summary>
public sealed class WeeklyDigestChat(
    WeeklyReportService service,
    TeamSettingsStore store,
    WeeklyDigestCards digestCards,
    JobDeliveries deliveries,
    LanguageSettings languages,
    IAuthorizationService authorization,
    Localizer localizer)
{
    /// <summary>Longest chat name kept with the settings.</summary>
    public const int MaxChatName = 100;

    /// <summary>The sub-command of 周报汇总 the arguments start with ("post" or "stop"), and the words after it; null when neither.</summary>
    public (string Action, string Team)? Parse(string arguments)
    {
        foreach (var (action, key) in new[] { ("post", "weeklyReports.words.postHere"), ("stop", "weeklyReports.words.stopPosting") })
        {
            foreach (var language in Localizer.Supported)
            {
                foreach (var word in localizer.Get(language, key).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (arguments.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                        && (arguments.Length == word.Length || char.IsWhiteSpace(arguments[word.Length])))
                    {
                        return (action, arguments[word.Length..].Trim());
                    }
                }
            }
        }
        return null;
    }

    /// <summary>Runs "post here" or "stop posting" for the turn's sender; returns what to answer.</summary>
    public async Task<string> RunAsync(ITurnContext turn, string action, string teamName, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ManageWeeklyReports, null, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return localizer.Get(locale, "weeklyReports.chat.officeOnly");
        }
        var post = action == "post";
        if (post && !Routing.DialogHost.IsShared(turn.Activity))
        {
            return localizer.Get(locale, "weeklyReports.chat.notHere", localizer.Get(locale, "commands.digest.name"));
        }
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var departments = await service.TeamsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (teamName.Length == 0)
        {
            return localizer.Get(locale, post ? "weeklyReports.chat.usagePost" : "weeklyReports.chat.usageStop", localizer.Get(locale, "commands.digest.name"));
        }
        var department = departments.FirstOrDefault(d => WeeklyReportService.SameTeam(d.Name, teamName));
        if (department == null)
        {
            return departments.Count == 0
                ? localizer.Get(locale, "weeklyReports.digest.noTeams")
                : localizer.Get(locale, "weeklyReports.digest.unknownTeam", TextCaps.Truncate(teamName, 50), string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), departments.Select(d => d.Name)));
        }

        var current = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
        // The conversation as Teams named it on this turn (in a channel, the thread the command was
        // typed in): the bot holds a reference for exactly that, so the job can reach it.
        var chatId = post ? turn.Activity.Conversation.Id : null;
        if (!post && current.DigestChatId == null)
        {
            return localizer.Get(locale, "weeklyReports.chat.notSet", department.Name);
        }
        var chatName = post ? ChatName(turn) : null;
        var candidate = current with
        {
            DigestChatId = chatId,
            DigestChatName = chatName,
            UpdatedBy = turn.Activity.From?.Name ?? turn.Activity.From?.Id,
            UpdatedUtc = service.Now,
        };
        var saved = await store.SaveAsync(candidate, current.ETag, cancellationToken).ConfigureAwait(false);
        if (!saved.IsWritten)
        {
            // Someone saved the settings meanwhile: nothing changed, say so (typing it again applies it to theirs).
            return localizer.Get(locale, "weeklyReports.settings.changedMeanwhile");
        }
        // Saved: a storage failure later in the turn (the conversation state) must not add "not saved".
        SavedTurns.Mark(turn);
        return post
            ? localizer.Get(locale, "weeklyReports.chat.posted", department.Name, localizer.Get(locale, "commands.digest.name"))
            : localizer.Get(locale, "weeklyReports.chat.stopped", department.Name, current.DigestChatName ?? localizer.Get(locale, "weeklyReports.chat.aChat"));
    }

    /// <summary>
    /// Posts the digest's pages to the department's named chat, if it has one, once per run of
    /// the digest job (see <see cref="JobDeliveries.PostToChatOnceAsync"/>).
    /// </summary>
    public async Task<int> PostAsync(Job job, WeeklyDigest digest, CancellationToken cancellationToken)
    {
        var chatId = digest.Status.Settings.DigestChatId;
        if (string.IsNullOrEmpty(chatId))
        {
            return 0;
        }
        var language = await languages.ChatAsync(job.TenantId, LanguageSettings.ChatKey(chatId), cancellationToken).ConfigureAwait(false);
        var pages = digestCards.AllPages(digest, language, interactive: false);
        var messages = pages.Select((card, i) => ((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (Func<ITurnContext, CancellationToken, Task>)((turn, ct) => turn.SendActivityAsync(MessageFactory.Attachment(card), ct)))).ToList();
        return await deliveries.PostToChatOnceAsync(job, chatId, messages, $"weeklyReports.digest {digest.Team} {digest.Week} to chat", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat's name as Teams sends it (a group chat's topic, a channel's name), capped; null when it has none.</summary>
    private static string? ChatName(ITurnContext turn)
    {
        var name = turn.Activity.Conversation?.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            name = turn.Activity.GetChannelData<TeamsChannelData>()?.Channel?.Name;
        }
        return string.IsNullOrWhiteSpace(name) ? null : TextCaps.Truncate(name.Trim(), MaxChatName);
    }
}
