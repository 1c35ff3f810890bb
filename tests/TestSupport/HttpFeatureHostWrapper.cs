using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.TestSupport;

/// <summary>
/// A feature's own test host over <see cref="HttpFeatureHost"/>: the shared members are at hand
/// here once, so the feature's host keeps only its own seeding and helpers.
/// </summary>
public abstract class HttpFeatureHostWrapper(HttpFeatureHost feature) : IAsyncDisposable
{
    public HttpFeatureHost Feature { get; } = feature;

    public FakeTimeProvider Clock => Feature.Clock;

    public TeamsConnector Connector => Feature.Connector;

    public HttpClient Client => Feature.Client;

    public IServiceProvider Services => Feature.Services;

    public ListLogger Logs => Feature.Logs;

    public T Get<T>() where T : notnull => Feature.Get<T>();

    /// <inheritdoc cref="HttpFeatureHost.MoveTo"/>
    public void MoveTo(DateTimeOffset when) => Feature.MoveTo(when);

    /// <inheritdoc cref="HttpFeatureHost.SayAsync"/>
    public Task<JsonArray> SayAsync(string userId, string text, string locale = "zh-CN", string? conversationId = null, string conversationType = "personal") =>
        Feature.SayAsync(userId, text, locale, conversationId, conversationType);

    /// <inheritdoc cref="HttpFeatureHost.SubmitAsync"/>
    public Task<JsonArray> SubmitAsync(string userId, JsonObject value, string locale = "zh-CN") => Feature.SubmitAsync(userId, value, locale);

    /// <inheritdoc cref="HttpFeatureHost.ExecuteAsync"/>
    public Task<JsonObject> ExecuteAsync(string userId, string verb, JsonObject data, string locale = "zh-CN", string? replyToId = null) =>
        Feature.ExecuteAsync(userId, verb, data, locale, replyToId);

    public virtual ValueTask DisposeAsync() => Feature.DisposeAsync();
}
