using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json;

namespace ChatRegs.Bot.Conversations;

/// <summary>
/// Where every conversation and every person the bot has seen can be reached later, for
/// proactive messages (reminders, approval requests). One table, tenant in every
/// PartitionKey:
/// <list type="bullet">
/// <item><c>conv|{conversation id}</c>: the conversation's reference (personal, group chat,
/// channel or meeting chat);</item>
/// <item><c>user|{user id}</c>: the person's name and AAD object id, and their personal (1:1)
/// conversation reference once they have one.</item>
/// </list>
/// A row is only written when it is new or has changed (any property: a conversation whose
/// serviceUrl moved is rewritten), which this process remembers, so the Monday rush does not
/// pay one extra write per turn. With a <see cref="BufferedRowWriter"/> (the bot's), the write
/// is off the turn's path: buffered and written in batches shortly after, and read through the
/// buffer until then, so a proactive message right after first contact still finds it.
/// </summary>
public sealed class ConversationReferenceStore
{
    private readonly TableClient _table;
    private readonly BufferedRowWriter? _buffer;
    private readonly ConcurrentDictionary<string, string> _written = new();

    /// <param name="buffer">Where first-contact rows wait to be written in batches; null writes them at once.</param>
    public ConversationReferenceStore(TableClient table, BufferedRowWriter? buffer = null)
    {
        _table = table;
        _buffer = buffer;
    }

    /// <summary>Records the conversation and the sender of <paramref name="activity"/>.</summary>
    public async Task CaptureAsync(IActivity activity, CancellationToken cancellationToken)
    {
        var reference = Capped(activity.GetConversationReference());
        // The activity id changes every turn and proactive messages do not need it: leaving it
        // out keeps the rows unchanged from turn to turn (no write per turn).
        reference.ActivityId = null;
        var tenant = Tenants.Of(activity);
        if (reference.Conversation?.Id == null || tenant == null)
        {
            return;
        }
        if (reference.ServiceUrl is { Length: > TextCaps.MaxServiceUrlLength })
        {
            // Not a place a reply could go (the endpoint refuses these; other ways in may not).
            return;
        }

        var referenceJson = JsonConvert.SerializeObject(reference);
        var conversationType = reference.Conversation.ConversationType ?? "personal";
        // The conversation's row must not change with every person who speaks in it (a meeting
        // chat in the Monday rush): keep the sender only where the conversation is personal.
        var conversationReference = conversationType == "personal" ? referenceJson : JsonConvert.SerializeObject(WithoutSender(reference));
        var conversation = new TableEntity(TableKeys.Escape(tenant), "conv|" + TableKeys.Escape(reference.Conversation.Id))
        {
            ["TenantId"] = tenant,
            ["ConversationId"] = reference.Conversation.Id,
            ["ConversationType"] = conversationType,
            ["Name"] = reference.Conversation.Name, // shortened by Capped
            ["Reference"] = conversationReference,
        };
        var writes = new List<TableEntity> { conversation };

        var user = activity.From;
        if (user?.Id != null && activity.From.Role != RoleTypes.Bot)
        {
            var person = new TableEntity(TableKeys.Escape(tenant), "user|" + TableKeys.Escape(user.Id))
            {
                ["TenantId"] = tenant,
                ["UserId"] = user.Id,
                ["Name"] = TextCaps.Name(user.Name),
                ["AadObjectId"] = user.AadObjectId,
            };
            if (conversationType == "personal")
            {
                person["PersonalReference"] = referenceJson;
            }
            writes.Add(person);
        }

        foreach (var entity in writes)
        {
            var cacheKey = entity.PartitionKey + "/" + entity.RowKey;
            var fingerprint = string.Join("\u001f", entity.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value));
            if (_written.TryGetValue(cacheKey, out var known) && known == fingerprint)
            {
                continue;
            }
            // Merge: a group-chat message must not erase a person's 1:1 reference.
            if (_buffer != null)
            {
                _written[cacheKey] = fingerprint;
                // Not written after all (storage refused it): forget it, so the next activity buffers it again.
                _buffer.Enqueue(_table, entity, () => _written.TryRemove(new KeyValuePair<string, string>(cacheKey, fingerprint)));
                continue;
            }
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            _written[cacheKey] = fingerprint;
        }
    }

    public async Task<ConversationReference?> GetConversationAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var rowKey = "conv|" + TableKeys.Escape(conversationId);
        if (_buffer?.Pending(_table, TableKeys.Escape(tenantId), rowKey)?.GetString("Reference") is { } waiting)
        {
            return Parse(waiting);
        }
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Parse(row.Value!.GetString("Reference")) : null;
    }

    /// <summary>The person's 1:1 chat with the bot, if they have one (a reference still waiting in the buffer included).</summary>
    public async Task<ConversationReference?> GetPersonalConversationAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var rowKey = "user|" + TableKeys.Escape(userId);
        if (_buffer?.Pending(_table, TableKeys.Escape(tenantId), rowKey)?.GetString("PersonalReference") is { } waiting)
        {
            return Parse(waiting);
        }
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Parse(row.Value!.GetString("PersonalReference")) : null;
    }

    /// <summary>
    /// Any conversation of the tenant the bot recorded (it carries the tenant's service URL and
    /// the bot's account, to start a 1:1 chat from), a row still waiting in the buffer included:
    /// the first person the bot meets in a tenant can be messaged at once.
    /// </summary>
    public async Task<ConversationReference?> AnyOfTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(tenantId);
        foreach (var waiting in _buffer?.PendingIn(_table, partition, "") ?? [])
        {
            if (Parse(waiting.GetString("Reference") ?? waiting.GetString("PersonalReference")) is { ServiceUrl: not null } reference)
            {
                return reference;
            }
        }
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: 20, select: ["Reference", "PersonalReference"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Parse(row.GetString("Reference") ?? row.GetString("PersonalReference")) is { ServiceUrl: not null } reference)
            {
                return reference;
            }
        }
        return null;
    }

    /// <summary>
    /// A copy of <paramref name="reference"/> whose display names are at most
    /// <see cref="TextCaps.MaxNameLength"/> characters, so that a row always fits Table
    /// Storage's 32 K characters a property, whatever the activity carried.
    /// </summary>
    private static ConversationReference Capped(ConversationReference reference) => new()
    {
        ActivityId = reference.ActivityId,
        ChannelId = reference.ChannelId,
        ServiceUrl = reference.ServiceUrl,
        Locale = TextCaps.Truncate(reference.Locale, TextCaps.MaxWordLength),
        User = Account(reference.User),
        Bot = Account(reference.Bot),
        Conversation = reference.Conversation == null ? null : new ConversationAccount(
            reference.Conversation.IsGroup, reference.Conversation.ConversationType, reference.Conversation.Id,
            TextCaps.Name(reference.Conversation.Name), reference.Conversation.AadObjectId, reference.Conversation.Role, reference.Conversation.TenantId),
    };

    /// <summary>The account's id, name, role and AAD object id; extra properties are not kept (a reply does not need them, and they have no size limit).</summary>
    private static ChannelAccount? Account(ChannelAccount? account) =>
        account == null ? null : new ChannelAccount(account.Id, TextCaps.Name(account.Name), account.Role, account.AadObjectId);

    private static ConversationReference WithoutSender(ConversationReference reference) => new()
    {
        ChannelId = reference.ChannelId,
        ServiceUrl = reference.ServiceUrl,
        Bot = reference.Bot,
        Conversation = reference.Conversation,
        Locale = reference.Locale,
    };

    private static ConversationReference? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonConvert.DeserializeObject<ConversationReference>(json);
}
