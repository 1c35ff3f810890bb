using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bench;

/// <summary>
/// The baseline: the Bot Framework's own echo bot, as its samples write it — a CloudAdapter
/// over HTTP, an ActivityHandler that echoes, ConversationState and UserState over the SDK's
/// MemoryStorage (a turn counter in each, saved at the end of every turn). The floor any bot on
/// this SDK and this machine stands on. Started by the benchmark as its own process, like the bot.
/// </summary>
public static class EchoServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        var urls = builder.Configuration["urls"] ?? throw new ArgumentException("echo: --urls http://127.0.0.1:PORT is required.");
        if (!Bot.Hosting.BotHost.AllLoopback(urls))
        {
            throw new ArgumentException("echo: authentication is off, so it listens on loopback only.");
        }
        builder.Services.AddSingleton<BotFrameworkAuthentication>(sp => new ConfigurationBotFrameworkAuthentication(
            builder.Configuration, logger: sp.GetRequiredService<ILogger<ConfigurationBotFrameworkAuthentication>>()));
        builder.Services.AddSingleton<IStorage, MemoryStorage>();
        builder.Services.AddSingleton<ConversationState>();
        builder.Services.AddSingleton<UserState>();
        builder.Services.AddSingleton<EchoAdapter>();
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<EchoAdapter>());
        builder.Services.AddSingleton<IBot, EchoBot>();

        var app = builder.Build();
        app.MapPost("/api/messages", (HttpContext http, IBotFrameworkHttpAdapter adapter, IBot bot) =>
            adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted));
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        await app.RunAsync().ConfigureAwait(false);
    }
}

/// <summary>CloudAdapter with the samples' error handler.</summary>
public sealed class EchoAdapter : CloudAdapter
{
    public EchoAdapter(BotFrameworkAuthentication auth, ILogger<EchoAdapter> logger)
        : base(auth, logger)
    {
        OnTurnError = async (turn, exception) =>
        {
            logger.LogError(exception, "Echo turn failed.");
            await turn.SendActivityAsync("The bot encountered an error.").ConfigureAwait(false);
        };
    }
}

/// <summary>Echoes the text (or says it got card data), counting turns in conversation and user state.</summary>
public sealed class EchoBot(ConversationState conversationState, UserState userState) : ActivityHandler
{
    private readonly IStatePropertyAccessor<TurnCount> _conversationTurns = conversationState.CreateProperty<TurnCount>("turns");
    private readonly IStatePropertyAccessor<TurnCount> _userTurns = userState.CreateProperty<TurnCount>("turns");

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        await base.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await conversationState.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        await userState.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        var conversation = await _conversationTurns.GetAsync(turnContext, () => new TurnCount(), cancellationToken).ConfigureAwait(false);
        var user = await _userTurns.GetAsync(turnContext, () => new TurnCount(), cancellationToken).ConfigureAwait(false);
        conversation.Count++;
        user.Count++;
        var said = string.IsNullOrEmpty(turnContext.Activity.Text) ? "(card data)" : turnContext.Activity.Text;
        await turnContext.SendActivityAsync(MessageFactory.Text($"Echo: {said} (turn {user.Count})"), cancellationToken).ConfigureAwait(false);
    }

    public sealed class TurnCount
    {
        public int Count { get; set; }
    }
}
