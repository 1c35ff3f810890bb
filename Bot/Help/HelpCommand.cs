using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Dialogs;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
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
        "checkIn", "meetings", "leave", "myLeave", "report", "lastReport", "suggest", "topic", "agenda", "myActions", "minutes", "complaint", "duties", "whoami",
        "newMeeting", "postAgenda", "attendance", "monthlyAttendance", "followUp", "digest",
        "callbacks", "importCallbacks", "callbackReport", "callbackRecords", "callbackScripts", "complaints", "complaintStats",
        "roles", "roleLog", "leaveRecords",
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
        var commands = new JsonArray();
        foreach (var command in router.Commands.Where(c => c.ListedInHelp).OrderBy(HelpRank))
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
