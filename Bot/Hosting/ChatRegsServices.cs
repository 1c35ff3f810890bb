using Azure.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.CustomerService;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Duties;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Help;
using ChatRegs.Bot.Language;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.Suggestions;
using ChatRegs.Bot.Tabs;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.Options;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Hosting;

/// <summary>Everything the bot registers in DI, in one place.</summary>
public static class ChatRegsServices
{
    public static IServiceCollection AddChatRegs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<TenantOptions>().Bind(configuration.GetSection("ChatRegs"));

        // Storage: one TableServiceClient; a TableClient per table.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value);
        services.AddSingleton(sp => new TableNames(sp.GetRequiredService<StorageOptions>()));
        services.AddStorageDiagnostics(configuration);
        // ChatRegs:Storage:ServiceUri with a token credential (a registered TokenCredential, else DefaultAzureCredential), or the connection string.
        services.AddSingleton(sp => StorageAccount.CreateServiceClient(sp.GetRequiredService<StorageOptions>(), TableClientOptionsForBot(sp.GetRequiredService<StorageOptions>()).WithStorageDiagnostics(sp), sp.GetService<TokenCredential>()));
        services.AddSingleton<IStorage>(sp => new TableStorage(sp.Table(n => n.BotState)));
        // First-contact rows (People, ConversationReferences) are written in batches off the
        // turn's path, read through until written, and flushed when the host stops.
        services.AddSingleton(sp => new BufferedRowWriter(sp.GetRequiredService<ILogger<BufferedRowWriter>>()));
        services.AddHostedService<BufferedRowFlusher>();
        services.AddSingleton(sp => new ConversationReferenceStore(sp.Table(n => n.ConversationReferences), sp.GetRequiredService<BufferedRowWriter>()));
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<StorageHealthCheck>();

        // Conversation state is the tenant's: another tenant naming the same conversation reaches none of it (Conversations/TenantScopedState).
        services.AddSingleton<ConversationState, TenantConversationState>();
        // Guided flows in group chats and channels belong to one person (Routing/DialogHost).
        services.AddSingleton<PrivateConversationState, TenantPrivateConversationState>();

        services.AddSingleton(Localizer.Default);
        services.AddSingleton<ICardFactory, CardFactory>();

        // Middleware runs in registration order. The turn's span and metrics wrap everything (no storage access, no personal data).
        services.AddSingleton<IMiddleware, TurnTelemetryMiddleware>();
        // Then the tenant filter, before any storage access.
        services.AddSingleton<IMiddleware, TenantFilterMiddleware>();
        // Text messages are sent as plain text, so quoted user text never renders as Markdown.
        services.AddSingleton<IMiddleware, PlainTextMiddleware>();
        // Text with nothing visible (zero-width, direction marks…) reads as empty to every feature.
        services.AddSingleton<IMiddleware, InvisibleTextMiddleware>();
        services.AddSingleton(sp => new ProcessedActivityStore(sp.Table(n => n.ProcessedActivities)));
        services.AddSingleton<IMiddleware>(sp => new DuplicateDeliveryMiddleware(
            sp.GetRequiredService<ProcessedActivityStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DuplicateDeliveryMiddleware>>(),
            new RedeliveryRoutes(() => sp.GetRequiredService<CardActionRouter>(), sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<PrivateConversationState>())));
        services.AddHostedService<ProcessedActivityPruner>();
        services.AddSingleton<IMiddleware, ConversationReferenceMiddleware>();
        // Features (each registers its commands, card actions, middleware and permission rules).
        services.AddAuthorizationService();
        services.AddPeople(configuration);
        // The turn's language, decided after People recorded the locale the client sent and before any feature answers.
        services.AddLanguage(configuration);
        services.AddSuggestions();
        services.AddScheduling(configuration);
        services.AddWeeklyReports(configuration);
        services.AddMeetings(configuration);
        services.AddAgenda(configuration);
        services.AddMinutes(configuration);
        services.AddExports(configuration);
        services.AddLeave(configuration);
        services.AddCallbacks(configuration);
        services.AddComplaints(configuration);
        services.AddCustomerService(configuration);
        services.AddDuties(configuration);
        // The Teams tabs' token check and JSON API (Tabs/TabsServices.cs).
        services.AddTabs(configuration);

        // Built with the paced, retrying HttpClient (Proactive/ConnectorThrottlingHandler.cs) for every connector call.
        // Its connector and user-token clients are built once and reused (ReusedConnectorClients.cs).
        services.AddSingleton<BotFrameworkAuthentication>(sp => new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication(
            configuration, httpClientFactory: SchedulingServices.ConnectorHttpClients(sp), logger: sp.GetRequiredService<ILogger<ConfigurationBotFrameworkAuthentication>>())));
        services.AddSingleton<TurnErrorHandler>();
        services.AddSingleton<ChatRegsAdapter>();
        services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<ChatRegsAdapter>());
        // What features and infrastructure send proactive messages through: the abstraction, not the host's adapter.
        services.AddSingleton<BotAdapter>(sp => sp.GetRequiredService<ChatRegsAdapter>());
        services.AddSingleton<IBot, ChatRegsBot>();

        services.AddSingleton<CommandRouter>();
        services.AddSingleton<CardActionRouter>();
        services.AddSingleton<DialogHost>();
        services.AddSingleton<IDialogText, LocalizedDialogText>();
        services.AddSingleton<IHelpResponder>(sp => sp.GetRequiredService<HelpCommand>());
        services.AddSingleton<HelpCommand>();
        services.AddSingleton<IHelpCard>(sp => sp.GetRequiredService<HelpCommand>());
        services.AddSingleton<IChatCommand>(sp => sp.GetRequiredService<HelpCommand>());
        services.AddSingleton<IChatCommand, CancelCommand>();
        services.AddSingleton<ICardActionHandler, RunCommandAction>();
        return services;
    }

    /// <summary>
    /// Few, quick retries: a person is waiting on the turn (Teams gives it 15 s), and a storage
    /// outage should be reported as "not saved, try again" promptly. With the defaults (a 6 s
    /// network timeout, one retry 0.2 s later) a hung storage is given up after about 12 s.
    /// </summary>
    public static TableClientOptions TableClientOptionsForBot(StorageOptions storage)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = Math.Clamp(storage.MaxRetries, 0, 5);
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(Math.Clamp(storage.NetworkTimeoutSeconds, 0.05, 60));
        return options;
    }
}
