using System.Text.Json.Nodes;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs.Tests;

/// <summary>Records every card request and returns a plain attachment carrying the data.</summary>
internal sealed class FakeCardFactory : ICardFormFactory
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public List<(string Template, JsonObject Data, string Locale)> Calls { get; } = new();

    public (string Template, JsonObject Data, string Locale) Last => Calls[^1];

    public Attachment Create(string templateName, JsonObject data, string locale)
    {
        Calls.Add((templateName, (JsonObject)data.DeepClone(), locale));
        return new Attachment { ContentType = ContentType, Content = JObject.Parse(data.ToJsonString()) };
    }
}

/// <summary>Sends a fixed help text in the user's language and counts the calls.</summary>
internal sealed class FakeHelpResponder : IHelpResponder
{
    public int Calls { get; private set; }

    public async Task SendHelpAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        Calls++;
        var text = turnContext.Activity.Locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? "HELP: send your answer" : "帮助：请直接回答问题";
        await turnContext.SendActivityAsync(text, cancellationToken: cancellationToken);
    }
}
