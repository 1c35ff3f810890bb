using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Meetings.Series;

/// <summary>Text of a template in both languages (English falls back to Chinese).</summary>
public sealed class TemplateText
{
    [JsonPropertyName("zh-CN")]
    public string Zh { get; set; } = "";

    [JsonPropertyName("en")]
    public string En { get; set; } = "";

    public string In(string locale) => Localizer.Resolve(locale) == Localizer.English && En.Length > 0 ? En : Zh;
}

/// <summary>One item of a regulation meeting's fixed order of business; <see cref="Days"/> empty = every meeting of the series.</summary>
public sealed class OrderItem
{
    [JsonPropertyName("zh-CN")]
    public string Zh { get; set; } = "";

    [JsonPropertyName("en")]
    public string En { get; set; } = "";

    public List<DayOfWeek> Days { get; set; } = [];

    public string In(string locale) => Localizer.Resolve(locale) == Localizer.English && En.Length > 0 ? En : Zh;
}

/// <summary>A meeting the regulation defines (例会制度 (一)–(六)), as the series form's starting values.</summary>
public sealed class MeetingTemplate
{
    public string Id { get; set; } = "";

    public TemplateText Source { get; set; } = new();

    public TemplateText Name { get; set; } = new();

    /// <summary>weekly, seasonal, monthly or once (the form's schedule kinds).</summary>
    public string Kind { get; set; } = "weekly";

    public List<DayOfWeek> Days { get; set; } = [];

    /// <summary>Null where the regulation leaves the time to be announced: the office fills it in.</summary>
    public string? Start { get; set; }

    public string? End { get; set; }

    /// <summary>The regulation gives only the start: the end is an hour later, for the office to adjust.</summary>
    public bool EndAssumed { get; set; }

    public string? SummerStart { get; set; }

    public string? SummerEnd { get; set; }

    public int? DayOfMonth { get; set; }

    public string Location { get; set; } = "";

    public TemplateText Host { get; set; } = new();

    public TemplateText Recorder { get; set; } = new();

    public TemplateText Participants { get; set; } = new();

    public TemplateText TimeNote { get; set; } = new();

    /// <summary>The fixed order of business ((一)5.1–5.8, (二)三, (四)第五条), empty when the regulation sets none.</summary>
    public List<OrderItem> Order { get; set; } = [];

    /// <summary>The order of business of a meeting on <paramref name="day"/>.</summary>
    public IReadOnlyList<OrderItem> OrderOn(DayOfWeek day) => Order.Where(o => o.Days.Count == 0 || o.Days.Contains(day)).ToList();
}

/// <summary>
/// The regulation's meetings, shipped with the bot (<c>Meetings/Series/meeting-templates.json</c>,
/// an embedded resource): 新建例会 offers them, and a series made from one keeps its id
/// (<see cref="MeetingSeries.TemplateId"/>), so its agenda starts from the template's order of business.
/// </summary>
public sealed class MeetingTemplates
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Lazy<MeetingTemplates> Shipped = new(Load);

    public IReadOnlyList<MeetingTemplate> All { get; }

    private MeetingTemplates(IReadOnlyList<MeetingTemplate> all) => All = all;

    public static MeetingTemplates Default => Shipped.Value;

    /// <summary>What "新建例会 空白" / "new meeting blank" names: no template.</summary>
    public const string Blank = "blank";

    public MeetingTemplate? Find(string? id) => id == null ? null : All.FirstOrDefault(t => t.Id == id);

    /// <summary>The template named after the command: its id, or its name when only one has it (部门例会 is in (三) and (四): use the form). Null otherwise.</summary>
    public MeetingTemplate? Match(string? named)
    {
        var text = (named ?? "").Trim();
        if (text.Length == 0 || text == Blank || text == "空白")
        {
            return null;
        }
        var matches = All.Where(t => t.Id == text || t.Name.Zh == text || t.Name.En.Equals(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private sealed class FileData
    {
        public List<MeetingTemplate> Templates { get; set; } = [];
    }

    private static MeetingTemplates Load()
    {
        using var stream = typeof(MeetingTemplates).Assembly.GetManifestResourceStream("ChatRegs.Bot.Meetings.Series.meeting-templates.json")
            ?? throw new InvalidOperationException("The meeting templates are not embedded in the bot.");
        var data = JsonSerializer.Deserialize<FileData>(stream, Json) ?? new FileData();
        return new MeetingTemplates(data.Templates);
    }
}
