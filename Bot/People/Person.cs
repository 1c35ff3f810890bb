namespace ChatRegs.Bot.People;

/// <summary>Someone the bot knows in a tenant (discovered from conversation members or first contact).</summary>
public sealed record Person
{
    public required string TenantId { get; init; }

    /// <summary>The Teams user id ("29:…"), the identity on every activity they send.</summary>
    public required string UserId { get; init; }

    public string? AadObjectId { get; init; }

    public string? UserPrincipalName { get; init; }

    public string Name { get; init; } = "";

    /// <summary>The department's key (see <see cref="Department"/>), or null.</summary>
    public string? Team { get; init; }

    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>
    /// "zh-CN" or "en": the language proactive messages use — the one the person chose
    /// (<see cref="ChosenLanguage"/>), else the one of the locale their Teams client last sent.
    /// </summary>
    public string PreferredLanguage { get; init; } = "zh-CN";

    /// <summary>"zh-CN" or "en" when the person chose a language (<c>语言 English</c>), else null.</summary>
    public string? ChosenLanguage { get; init; }

    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();

    /// <summary>
    /// The roles among <see cref="Roles"/> that configuration gives rather than a stored grant
    /// (the bootstrap office administrators): set by <see cref="RoleHolders"/>, never stored.
    /// </summary>
    public IReadOnlySet<string> ConfiguredRoles { get; init; } = new HashSet<string>();

    /// <summary>Customer-service reps: taking callbacks now.</summary>
    public bool OnDuty { get; init; }

    /// <summary>The row's ETag, for optimistic concurrency on role changes.</summary>
    public string? ETag { get; init; }

    public bool Has(string role) => Roles.Contains(role);
}

/// <summary>A department (部门) with the person who approves its members' leave.</summary>
public sealed record Department
{
    public required string TenantId { get; init; }

    /// <summary>The key: the name, trimmed.</summary>
    public required string Name { get; init; }

    public string? ApproverUserId { get; init; }

    public string? ETag { get; init; }
}

/// <summary>One change to people or roles, kept with who and when.</summary>
public sealed record RoleAuditEntry
{
    public required DateTimeOffset When { get; init; }

    public required string ActorId { get; init; }

    public required string ActorName { get; init; }

    public required string TargetKind { get; init; }

    public required string TargetId { get; init; }

    public required string TargetName { get; init; }

    /// <summary>What changed, as field: before → after (language-neutral values).</summary>
    public required string Change { get; init; }
}

/// <summary>A shared chat's own language (<c>本群语言</c>), set by the office or the chat's meeting host.</summary>
public sealed record ChatLanguageSetting
{
    public required string TenantId { get; init; }

    /// <summary>The conversation id without a channel thread's ";messageid=…".</summary>
    public required string ConversationId { get; init; }

    /// <summary>"zh-CN" or "en".</summary>
    public required string Language { get; init; }

    public string ChangedBy { get; init; } = "";

    public DateTimeOffset ChangedAt { get; init; }
}
