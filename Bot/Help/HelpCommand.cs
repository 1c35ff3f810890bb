using ChatRegs.Bot.Authorization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Help;

/// <summary>
/// "帮助" / "help", and the answer to anything the bot does not recognise: a card listing
/// every command in the user's language, each with a button that runs it.
/// </summary>
public sealed class HelpCommand : IChatCommand, IHelpCard, IHelpResponder
{
    private readonly IServiceProvider _services;
    private readonly ICardFactory _cards;
    private readonly Localizer _localizer;

    // The router is resolved lazily: it is built from all commands, this one included.
    public HelpCommand(IServiceProvider services, ICardFactory cards, Localizer localizer)
    {
        _services = services;
        _cards = cards;
        _localizer = localizer;
    }

    /// <summary>
    /// Everyday commands first (what most people do each week), then the hosts', the reps',
    /// and the office's; help itself last. Commands not named here follow in registration order.
    /// </summary>
    private static readonly string[] HelpOrder =
    [
        "checkIn", "meetings", "leave", "myLeave", "report", "lastReport", "suggest", "topic", "agenda", "myActions", "minutes", "complaint", "duties", "whoami", "language",
        "newMeeting", "postAgenda", "attendance", "monthlyAttendance", "followUp", "digest",
        "callbacks", "importCallbacks", "callbackReport", "callbackRecords", "callbackScripts", "complaints", "complaintStats",
        "customer", "workLog", "monthlyReport", "workSummary", "paperOverview",
        "roles", "roleLog", "leaveRecords", "chatLanguage",
    ];

    private static int HelpRank(IChatCommand command)
    {
        if (command.Id == CommandRouter.HelpCommandId)
        {
            return int.MaxValue;
        }
        var index = Array.IndexOf(HelpOrder, command.Id);
        return index < 0 ? HelpOrder.Length : index;
    }

    /// <summary>
    /// A command for some roles only is listed for people holding one (from the people directory,
    /// as every permission); a policy that also admits people by their place on a resource (a
    /// series' host…) cannot be judged without it, so those commands stay listed.
    /// </summary>
    private bool ForActor(IChatCommand command, People.Person? actor, PermissionTable permissions) =>
        command.HelpAction is not { } action
        || actor == null
        || !permissions.TryGet(action, out var rule)
        || rule.Everyone
        || rule.ResourceRoles.Length > 0
        || permissions.Decide(actor, action, null).Allowed;

    public string Id => CommandRouter.HelpCommandId;

    public bool ListedInHelp => true;

    public Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken) =>
        SendAsync(turnContext, showWelcome: false, cancellationToken);

    /// <summary>"帮助" in the middle of a guided flow: the same card; the flow then asks its question again.</summary>
    public Task SendHelpAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        SendAsync(turnContext, showWelcome: false, cancellationToken);

    public async Task SendAsync(ITurnContext turnContext, bool showWelcome, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var router = _services.GetRequiredService<CommandRouter>();
        People.Person? actor = null;
        if (!Exports.FileExporter.IsPersonal(turnContext.Activity))
        {
            // Everyone in a channel or group chat reads this card: it lists what everybody may
            // use, whoever asked (role tools are listed in each person's 1:1 chat).
            actor = new People.Person { TenantId = "", UserId = "" };
        }
        else
        {
            try
            {
                actor = _services.GetService<AuthorizationService>() is { } authorization
                    ? await authorization.GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false)
                    : null;
            }
            catch (Azure.RequestFailedException)
            {
                // Storage unreachable: help still answers, listing every command.
            }
        }
        // The rules every feature registered (resolved lazily, like the router).
        var permissions = _services.GetRequiredService<PermissionTable>();
        var commands = new JsonArray();
        foreach (var command in router.Commands.Where(c => c.ListedInHelp && ForActor(c, actor, permissions)).OrderBy(HelpRank))
        {
            commands.Add(new JsonObject
            {
                ["name"] = _localizer.Get(locale, $"commands.{command.Id}.name"),
                ["description"] = _localizer.Get(locale, $"commands.{command.Id}.description"),
            });
        }
        var data = new JsonObject { ["showWelcome"] = showWelcome, ["commands"] = commands };
        var card = _cards.Create("Help", data, locale);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Sends the help card; used by the welcome and by dialogs answering "help".</summary>
public interface IHelpCard
{
    Task SendAsync(ITurnContext turnContext, bool showWelcome, CancellationToken cancellationToken);
}
