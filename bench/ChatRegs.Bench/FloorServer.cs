using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bench;

/// <summary>
/// The floor for a check-in: the Bot Framework on CloudAdapter (as the echo bot) whose handler
/// does exactly one Table Storage insert per turn — PartitionKey = the conversation, RowKey =
/// the sender, so a second press is refused with 409, which counts as done — and replies. No
/// state, no middleware. Nothing a check-in must do is left out but the bot's own logic, so a
/// check-in cannot be faster than this on the same machine and storage. Started by the
/// benchmark as its own process (<c>ChatRegs.Bench.dll floor</c>), storage from
/// <c>Floor__Storage</c> and <c>Floor__Table</c> (created by the benchmark).
/// </summary>
public static class FloorServer
{
    public const string ReplyPrefix = "Floor: ";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        var urls = builder.Configuration["urls"] ?? throw new ArgumentException("floor: --urls http://127.0.0.1:PORT is required.");
        if (!Bot.Hosting.BotHost.AllLoopback(urls))
        {
            throw new ArgumentException("floor: authentication is off, so it listens on loopback only.");
        }
        var storage = builder.Configuration["Floor:Storage"] ?? throw new ArgumentException("floor: Floor__Storage (a Table Storage connection string) is required.");
        var tableName = builder.Configuration["Floor:Table"] ?? throw new ArgumentException("floor: Floor__Table is required.");
        builder.Services.AddSingleton<BotFrameworkAuthentication>(sp => new ConfigurationBotFrameworkAuthentication(
            builder.Configuration, logger: sp.GetRequiredService<ILogger<ConfigurationBotFrameworkAuthentication>>()));
        builder.Services.AddSingleton(new TableServiceClient(storage).GetTableClient(tableName));
        builder.Services.AddSingleton<EchoAdapter>();
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<EchoAdapter>());
        builder.Services.AddSingleton<IBot, FloorBot>();

        var app = builder.Build();
        app.MapPost("/api/messages", (HttpContext http, IBotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted));
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        await app.RunAsync().ConfigureAwait(false);
    }
}

/// <summary>One insert per message (409 = already there, done), then a reply.</summary>
public sealed class FloorBot(TableClient table) : ActivityHandler
{
    protected override async Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var row = new TableEntity(TableKeys.Escape(activity.Conversation.Id), TableKeys.Escape(activity.From?.Id ?? ""))
        {
            ["Name"] = activity.From?.Name,
            ["At"] = DateTimeOffset.UtcNow,
            ["ActivityId"] = activity.Id,
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already there: done, as a check-in is.
        }
        await turnContext.SendActivityAsync(MessageFactory.Text($"{FloorServer.ReplyPrefix}{activity.From?.Name}"), cancellationToken).ConfigureAwait(false);
    }
}
