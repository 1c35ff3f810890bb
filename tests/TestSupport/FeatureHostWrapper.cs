using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>
/// A feature's own test host over <see cref="FeatureHost"/>: the shared members are at hand
/// here once, so the feature's host keeps only its own seeding and helpers.
/// </summary>
public abstract class FeatureHostWrapper(FeatureHost feature) : IAsyncDisposable
{
    public FeatureHost Feature { get; } = feature;

    public BotTestHost Bot => Feature.Bot;

    public FakeTimeProvider Clock => Feature.Clock;

    public TeamsConnector Connector => Feature.Connector;

    public IServiceProvider Services => Feature.Services;

    public ListLogger Logs => Feature.Logs;

    public T Get<T>() where T : notnull => Feature.Get<T>();

    /// <summary>
    /// People in the directory (so pickers offer them), all reading Chinese there (a chat that
    /// does not say its language reads Chinese), each with a 1:1 chat the bot knows, in English
    /// for ids ending in "-en".
    /// </summary>
    public async Task KnowAsync(params (string Id, string Name)[] people)
    {
        foreach (var (id, name) in people)
        {
            await Feature.PersonAsync(id, name, "zh-CN");
            if (id.EndsWith("-en", StringComparison.Ordinal))
            {
                await Feature.KnowChatAsync(FeatureHost.ChatOf(id), id, name, "personal", "en-US");
            }
        }
    }

    /// <inheritdoc cref="FeatureHost.Adapter"/>
    public TestAdapter Adapter(string userId, string? locale = null, string? conversationId = null, string conversationType = "personal") =>
        Feature.Adapter(userId, locale, conversationId, conversationType);

    public Task<List<IActivity>> SayAsync(TestAdapter adapter, string text) => Feature.SayAsync(adapter, text);

    public Task<List<IActivity>> SubmitAsync(TestAdapter adapter, object value) => Feature.SubmitAsync(adapter, value);

    /// <inheritdoc cref="FeatureHost.ExecuteAsync"/>
    public Task<JObject> ExecuteAsync(TestAdapter adapter, string verb, object data) => Feature.ExecuteAsync(adapter, verb, data);

    /// <inheritdoc cref="FeatureHost.PollJobsAsync"/>
    public Task<PollOutcome> PollJobsAsync() => Feature.PollJobsAsync();

    /// <inheritdoc cref="FeatureHost.RunJobAsync(string)"/>
    public Task RunJobAsync(string jobId) => Feature.RunJobAsync(jobId);

    /// <inheritdoc cref="FeatureHost.DriveAsync(Task)"/>
    public Task DriveAsync(Task work) => Feature.DriveAsync(work);

    /// <inheritdoc cref="FeatureHost.DriveAsync(Task)"/>
    public Task<T> DriveAsync<T>(Task<T> work) => Feature.DriveAsync(work);

    public virtual ValueTask DisposeAsync() => Feature.DisposeAsync();
}
