namespace ChatRegs.Bot.Language;

/// <summary>Configuration of languages (<c>ChatRegs:Language</c>).</summary>
public sealed class LanguageOptions
{
    public const string Section = "ChatRegs:Language";

    /// <summary>A shared chat's language until someone sets it ("zh-CN" or "en"), for every tenant without its own.</summary>
    public string ChatDefault { get; set; } = "zh-CN";

    /// <summary>A tenant's default chat language, by tenant id (<c>ChatRegs:Language:ChatDefaults:&lt;tenant id&gt;</c>).</summary>
    public Dictionary<string, string> ChatDefaults { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one instance keeps a tenant's language choices in memory; another instance's change is seen within it.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
