using System.Collections.Concurrent;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Proactive;

/// <summary>
/// People's 1:1 chat references, kept in memory for <see cref="ProactiveSender"/>, so that a
/// fan-out of reminders does not read one ConversationReferences row per person.
/// <list type="bullet">
/// <item>The first miss for a tenant reads all of the tenant's person rows in one query (1,000
/// a page, at most <see cref="ProactiveOptions.ReferenceCacheSize"/>); later misses (someone
/// new since) are point reads. Entries and the tenant load are kept for
/// <see cref="ProactiveOptions.ReferenceCacheTtl"/>, so a change made by another instance is
/// seen at the latest after that.</item>
/// <item>A person's own turn in their 1:1 chat may change their row (new chat, service URL or
/// language): <see cref="PersonalReferenceCacheMiddleware"/> forgets their entry, and for a
/// minute afterwards their row is read from storage and not cached (a write of the row may
/// still be on its way).</item>
/// <item>A message that could not be delivered through a cached reference forgets it too;
/// <see cref="ProactiveSender"/> then tries once more with the stored one if it differs.</item>
/// </list>
/// </summary>
public sealed class PersonalReferenceCache
{
    /// <summary>After a person's turn, how long their row is read from storage rather than cached.</summary>
    public static readonly TimeSpan Unsettled = TimeSpan.FromMinutes(1);

    private readonly ConversationReferenceStore _store;
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly ConcurrentDictionary<(string Tenant, string User), Entry> _entries = new();
    private readonly ConcurrentDictionary<(string Tenant, string User), DateTimeOffset> _unsettled = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<DateTimeOffset>>> _tenantLoads = new(StringComparer.Ordinal);

    public PersonalReferenceCache(ConversationReferenceStore store, TableClient table, TimeProvider time, ProactiveOptions options)
    {
        _store = store;
        _table = table;
        _time = time;
        _capacity = Math.Max(0, options.ReferenceCacheSize);
        _ttl = options.ReferenceCacheTtl;
    }

    /// <summary>People cached right now.</summary>
    public int Count => _entries.Count;

    /// <summary>The person's 1:1 chat with the bot, if they have one; <c>Cached</c> says whether it came from memory.</summary>
    public async Task<(ConversationReference? Reference, bool Cached)> GetAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var key = (tenantId, userId);
        var now = _time.GetUtcNow();
        if (_capacity == 0 || _ttl <= TimeSpan.Zero)
        {
            return (await _store.GetPersonalConversationAsync(tenantId, userId, cancellationToken).ConfigureAwait(false), false);
        }
        if (_entries.TryGetValue(key, out var entry) && entry.Until > now)
        {
            return (entry.Reference, true);
        }
        if (!IsUnsettled(key, now) && await LoadTenantAsync(tenantId, now, cancellationToken).ConfigureAwait(false)
            && _entries.TryGetValue(key, out entry) && entry.Until > now)
        {
            return (entry.Reference, true);
        }
        var stored = await _store.GetPersonalConversationAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        if (stored != null && !IsUnsettled(key, _time.GetUtcNow()))
        {
            Put(key, stored, now);
        }
        return (stored, false);
    }

    /// <summary>Forgets the person's reference (their row changed, or a send through it failed).</summary>
    public void Invalidate(string tenantId, string userId, bool unsettled = false)
    {
        var key = (tenantId, userId);
        if (unsettled)
        {
            _unsettled[key] = _time.GetUtcNow() + Unsettled;
        }
        _entries.TryRemove(key, out _);
    }

    /// <summary>Remembers a reference the bot has just recorded itself (a 1:1 chat it created).</summary>
    public void Remember(string tenantId, string userId, ConversationReference reference) => Put((tenantId, userId), reference, _time.GetUtcNow());

    private bool IsUnsettled((string, string) key, DateTimeOffset now)
    {
        if (!_unsettled.TryGetValue(key, out var until))
        {
            return false;
        }
        if (until > now)
        {
            return true;
        }
        _unsettled.TryRemove(key, out _);
        return false;
    }

    private void Put((string Tenant, string User) key, ConversationReference reference, DateTimeOffset now)
    {
        if (_capacity == 0)
        {
            return;
        }
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            // Bounded: drop what has expired, and if that is not enough, the entries closest to expiring.
            foreach (var (k, e) in _entries)
            {
                if (e.Until <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }
            var excess = _entries.Count - _capacity + 1;
            if (excess > 0)
            {
                foreach (var (k, _) in _entries.OrderBy(kv => kv.Value.Until).Take(Math.Max(excess, _capacity / 10)).ToList())
                {
                    _entries.TryRemove(k, out _);
                }
            }
        }
        _entries[key] = new Entry(reference, now + _ttl);
    }

    /// <summary>Reads the tenant's person rows once per TTL (one query for all callers). False when the load failed.</summary>
    private async Task<bool> LoadTenantAsync(string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var load = _tenantLoads.GetOrAdd(tenantId, t => new Lazy<Task<DateTimeOffset>>(() => ReadTenantAsync(t)));
        DateTimeOffset loadedAt;
        try
        {
            loadedAt = await load.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _tenantLoads.TryRemove(new KeyValuePair<string, Lazy<Task<DateTimeOffset>>>(tenantId, load));
            return false;
        }
        if (loadedAt + _ttl <= now)
        {
            // Stale: the next caller loads again.
            _tenantLoads.TryRemove(new KeyValuePair<string, Lazy<Task<DateTimeOffset>>>(tenantId, load));
        }
        return true;
    }

    private async Task<DateTimeOffset> ReadTenantAsync(string tenantId)
    {
        var now = _time.GetUtcNow();
        var filter = TableRange.Rows(TableKeys.Escape(tenantId), "user|");
        var read = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "UserId", "PersonalReference"]).ConfigureAwait(false))
        {
            if (++read > _capacity)
            {
                break;
            }
            var json = row.GetString("PersonalReference");
            var userId = row.GetString("UserId") ?? TableKeys.Unescape(row.RowKey["user|".Length..]);
            var key = (tenantId, userId);
            if (string.IsNullOrEmpty(json) || IsUnsettled(key, now) || _entries.ContainsKey(key))
            {
                continue;
            }
            if (JsonConvert.DeserializeObject<ConversationReference>(json) is { } reference)
            {
                Put(key, reference, now);
            }
        }
        return now;
    }

    private sealed record Entry(ConversationReference Reference, DateTimeOffset Until);
}

/// <summary>
/// A person's turn in their 1:1 chat may rewrite their stored reference: the cache forgets it
/// (before and after the turn, and keeps off it for a minute while a write may be buffered).
/// The bot's own proactive turns change nothing and are left out.
/// </summary>
public sealed class PersonalReferenceCacheMiddleware(PersonalReferenceCache cache) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var personal = !(activity.Type == ActivityTypes.Event && activity.Name == ActivityEventNames.ContinueConversation)
            && activity.From?.Id is { Length: > 0 }
            && activity.From.Role != RoleTypes.Bot
            && (activity.Conversation?.ConversationType ?? "personal") == "personal"
            && Tenants.Of(activity) is not null;
        if (personal)
        {
            cache.Invalidate(Tenants.Of(activity)!, activity.From!.Id, unsettled: true);
        }
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (personal)
            {
                cache.Invalidate(Tenants.Of(activity)!, activity.From!.Id, unsettled: true);
            }
        }
    }
}
