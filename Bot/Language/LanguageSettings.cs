using System.Collections.Concurrent;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Language;

/// <summary>
/// The languages people chose and shared chats' languages, read for every turn. A tenant's
/// choices are read in one go (<see cref="PeopleDirectory.ListLanguagesAsync"/>) and kept for
/// <see cref="LanguageOptions.CacheDuration"/>, so a turn costs no storage request for them
/// (the Monday check-in rush stays one insert a check-in). A change saved through this class
/// is seen at once on this instance; another instance sees it when its copy expires.
/// </summary>
public sealed class LanguageSettings
{
    private sealed record Snapshot(IReadOnlyDictionary<string, string> People, IReadOnlyDictionary<string, ChatLanguageSetting> Chats, DateTimeOffset Expires);

    private readonly PeopleDirectory _people;
    private readonly TimeProvider _time;
    private readonly LanguageOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<Task<Snapshot>>> _tenants = new(StringComparer.Ordinal);

    public LanguageSettings(PeopleDirectory people, TimeProvider time, IOptions<LanguageOptions> options)
    {
        _people = people;
        _time = time;
        _options = options.Value;
    }

    /// <summary>The language <paramref name="userId"/> chose, or null when they have not.</summary>
    public async Task<string?> ChosenAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        (await SnapshotAsync(tenantId, cancellationToken).ConfigureAwait(false)).People.GetValueOrDefault(userId);

    /// <summary>The shared chat's language: its own setting, else the tenant's default.</summary>
    public async Task<string> ChatAsync(string tenantId, string conversationId, CancellationToken cancellationToken) =>
        (await ChatSettingAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false))?.Language ?? TenantDefault(tenantId);

    /// <summary>The shared chat's own setting, or null (the tenant's default applies).</summary>
    public async Task<ChatLanguageSetting?> ChatSettingAsync(string tenantId, string conversationId, CancellationToken cancellationToken) =>
        (await SnapshotAsync(tenantId, cancellationToken).ConfigureAwait(false)).Chats.GetValueOrDefault(ChatKey(conversationId));

    /// <summary>The language of a tenant's shared chats until set: configuration (<c>ChatRegs:Language:ChatDefaults:&lt;tenant&gt;</c>, else <c>ChatDefault</c>), zh-CN when unset.</summary>
    public string TenantDefault(string tenantId) =>
        Localizer.Resolve(_options.ChatDefaults.TryGetValue(tenantId, out var own) && own.Length > 0 ? own : _options.ChatDefault);

    /// <summary>Saves a person's choice (see <see cref="PeopleDirectory.SaveChosenLanguageAsync"/>); this instance uses it from the next turn.</summary>
    public async Task<Saved<Person>> ChooseAsync(string tenantId, string userId, string language, CancellationToken cancellationToken)
    {
        var saved = await _people.SaveChosenLanguageAsync(tenantId, userId, language, cancellationToken).ConfigureAwait(false);
        _tenants.TryRemove(tenantId, out _);
        return saved;
    }

    /// <summary>Saves a shared chat's language (see <see cref="PeopleDirectory.SaveChatLanguageAsync"/>).</summary>
    public async Task<Saved<ChatLanguageSetting>> SetChatAsync(Person actor, string conversationId, string language, CancellationToken cancellationToken)
    {
        var saved = await _people.SaveChatLanguageAsync(actor, ChatKey(conversationId), language, cancellationToken).ConfigureAwait(false);
        _tenants.TryRemove(actor.TenantId, out _);
        return saved;
    }

    /// <summary>A channel thread ("19:…@thread.tacv2;messageid=…") is its channel.</summary>
    public static string ChatKey(string conversationId)
    {
        var semicolon = conversationId.IndexOf(';');
        return semicolon < 0 ? conversationId : conversationId[..semicolon];
    }

    private async Task<Snapshot> SnapshotAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var lazy = _tenants.GetOrAdd(tenantId, Load);
            Snapshot snapshot;
            try
            {
                snapshot = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed read is not kept: the next turn asks storage again.
                _tenants.TryRemove(new KeyValuePair<string, Lazy<Task<Snapshot>>>(tenantId, lazy));
                throw;
            }
            if (snapshot.Expires > now || attempt > 0)
            {
                return snapshot;
            }
            // Expired: read again (once; concurrent callers share the new read).
            _tenants.TryRemove(new KeyValuePair<string, Lazy<Task<Snapshot>>>(tenantId, lazy));
        }
    }

    private Lazy<Task<Snapshot>> Load(string tenantId) => new(async () =>
    {
        // Not the turn's token: one load serves every turn waiting for it.
        var (people, chats) = await _people.ListLanguagesAsync(tenantId, CancellationToken.None).ConfigureAwait(false);
        return new Snapshot(people, chats, _time.GetUtcNow() + _options.CacheDuration);
    });
}
