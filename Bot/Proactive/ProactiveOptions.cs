namespace ChatRegs.Bot.Proactive;

/// <summary>Bound from "ChatRegs:Proactive": how the bot paces and retries its calls to the Bot Framework connector.</summary>
public sealed class ProactiveOptions
{
    public const string Section = "ChatRegs:Proactive";

    /// <summary>The named HttpClient every connector call goes through (see <see cref="ConnectorThrottlingHandler"/>).</summary>
    public const string HttpClientName = "ChatRegs.BotConnector";

    /// <summary>Teams: about 7 messages per second to one conversation, per bot.</summary>
    public double PerConversationPerSecond { get; set; } = 7;

    /// <summary>Teams: about 50 requests per second per app per tenant.</summary>
    public double PerTenantPerSecond { get; set; } = 50;

    /// <summary>
    /// Added to the second in which at most <see cref="PerTenantPerSecond"/> calls go (counted when
    /// the limiter lets them go): Teams counts arrivals, and a call's trip to it may take this much
    /// longer than the next one's without the two falling into one second there. 20 ms costs
    /// about 2 % of the rate (50 per 1.02 s).
    /// </summary>
    public TimeSpan PacingMargin { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// True: the per-tenant limit is shared by all instances through storage
    /// (<see cref="SharedTenantBudget"/>; a few storage requests per second while messages go out).
    /// False: each instance keeps to the limit on its own (right for a single instance).
    /// </summary>
    public bool ShareTenantBudget { get; set; }

    /// <summary>With a shared budget, the fraction of the tenant limit left unused for clock skew and network delays.</summary>
    public double SharedBudgetHeadroom { get; set; } = 0.04;

    /// <summary>Retries of a call answered 429, 412, 502 or 504 (so at most MaxRetries + 1 attempts).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; doubled each retry, with jitter. A Retry-After header is always honoured.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff between two attempts (a longer Retry-After is still honoured).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>People whose 1:1 chat reference one instance keeps in memory (<see cref="PersonalReferenceCache"/>); 0 turns the cache off.</summary>
    public int ReferenceCacheSize { get; set; } = 20_000;

    /// <summary>How long a cached reference (and a tenant's bulk read) is trusted; a change made by another instance is seen after this at the latest.</summary>
    public TimeSpan ReferenceCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed for one HTTP attempt, counted from when the limiter lets it go.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
