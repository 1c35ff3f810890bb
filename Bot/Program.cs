using ChatRegs.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);
BotHost.Configure(builder);
var app = builder.Build();
BotHost.Map(app);
app.Run();

/// <summary>Entry point; public so in-process HTTP tests (WebApplicationFactory) can start the bot.</summary>
public partial class Program;
