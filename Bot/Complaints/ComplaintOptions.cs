namespace ChatRegs.Bot.Complaints;

/// <summary>A complaint category: a key stored on the complaint, with its names.</summary>
public sealed class ComplaintCategory
{
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";
}

/// <summary>
/// ChatRegs:Complaints. Time limits per stage are clock hours (投诉解决策略 短·平·快: "速度快"
/// is measured in hours, evenings and weekends included); a reminder goes to the stage's owner
/// <see cref="RemindBefore"/> before the limit, and the supervisors are told when it passes.
/// </summary>
public sealed class ComplaintOptions
{
    public const string Section = "ChatRegs:Complaints";

    public static readonly IReadOnlyList<ComplaintCategory> DefaultCategories =
    [
        new() { Key = "service", Name = "服务", NameEn = "Service" },
        new() { Key = "quality", Name = "质量/维修", NameEn = "Quality / repair" },
        new() { Key = "price", Name = "价格", NameEn = "Price" },
        new() { Key = "attitude", Name = "员工态度", NameEn = "Staff attitude" },
        new() { Key = "other", Name = "其他", NameEn = "Other" },
    ];

    public static readonly IReadOnlyDictionary<ComplaintStage, TimeSpan> DefaultLimits = new Dictionary<ComplaintStage, TimeSpan>
    {
        [ComplaintStage.Intake] = TimeSpan.FromHours(2),
        [ComplaintStage.Judge] = TimeSpan.FromHours(4),
        [ComplaintStage.Investigate] = TimeSpan.FromHours(24),
        [ComplaintStage.Plan] = TimeSpan.FromHours(24),
        [ComplaintStage.Approve] = TimeSpan.FromHours(8),
        [ComplaintStage.Implement] = TimeSpan.FromHours(24),
        [ComplaintStage.Summary] = TimeSpan.FromHours(48),
    };

    /// <summary>The categories offered on the 顾客投诉登记表; empty = the five of the issue.</summary>
    public List<ComplaintCategory> Categories { get; set; } = [];

    /// <summary>Stage name (Intake, Judge, Investigate, Plan, Approve, Implement, Summary) → time limit ("04:00:00", "1.00:00:00").</summary>
    public Dictionary<string, TimeSpan> StageLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long before a stage's limit its owner is reminded.</summary>
    public TimeSpan RemindBefore { get; set; } = TimeSpan.FromHours(1);

    public const int DefaultMaxSignatureBytes = 5 * 1024 * 1024;

    /// <summary>The largest photo or scan of a customer's signature the bot fetches (it keeps only the name, link and size).</summary>
    public int MaxSignatureBytes { get; set; } = DefaultMaxSignatureBytes;

    /// <summary>The number's prefix: TS-20261126-001 (投诉).</summary>
    public string NumberPrefix { get; set; } = "TS";

    public IReadOnlyList<ComplaintCategory> EffectiveCategories => Categories.Count > 0 ? Categories : DefaultCategories;

    public TimeSpan LimitOf(ComplaintStage stage) =>
        StageLimits.TryGetValue(stage.ToString(), out var configured) && configured > TimeSpan.Zero
            ? configured
            : DefaultLimits.GetValueOrDefault(stage, TimeSpan.FromHours(24));
}
