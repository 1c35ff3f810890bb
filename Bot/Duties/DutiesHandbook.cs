using System.Text.Json;
using System.Text.Json.Serialization;
using ChatRegs.Bot.Localization;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Duties;

/// <summary>ChatRegs:Duties.</summary>
public sealed class DutiesOptions
{
    public const string Section = "ChatRegs:Duties";

    /// <summary>The handbook file; relative paths are under the bot's folder. Default: the shipped Duties/duties-handbook.json.</summary>
    public string HandbookFile { get; set; } = "";
}

/// <summary>Text in both languages; English falls back to Chinese.</summary>
public sealed class Texts
{
    [JsonPropertyName("zh-CN")]
    public string Zh { get; set; } = "";

    [JsonPropertyName("en")]
    public string En { get; set; } = "";

    public string In(string locale) => Localizer.Resolve(locale) == Localizer.English && En.Length > 0 ? En : Zh;
}

public sealed class DutySection
{
    /// <summary>"1", "2"…: what "职责 客服 7" names.</summary>
    public string Id { get; set; } = "";

    public Texts Title { get; set; } = new();

    public List<Texts> Lines { get; set; } = [];
}

public sealed class DutyRole
{
    public string Key { get; set; } = "";

    /// <summary>The words that name the role (客服, 客服部, customer service…).</summary>
    public List<string> Names { get; set; } = [];

    public Texts Title { get; set; } = new();

    public List<DutySection> Sections { get; set; } = [];
}

public sealed class HandbookData
{
    public List<DutyRole> Roles { get; set; } = [];
}

/// <summary>
/// The duties handbook (岗位职责): every role's duties as the office keeps them in a JSON file
/// (shipped: the customer-service and finance duties of the regulations, zh-CN word for word,
/// with an English translation). The file is read again whenever it changes on disk, so the
/// office's edits show without a restart.
/// </summary>
public sealed class DutiesHandbook
{
    public const string DefaultFile = "Duties/duties-handbook.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly string _path;
    private readonly ILogger<DutiesHandbook> _logger;
    private readonly object _gate = new();
    private HandbookData _data = new();
    private DateTime _loadedStamp = DateTime.MinValue;

    public DutiesHandbook(IOptions<DutiesOptions> options, ILogger<DutiesHandbook> logger)
    {
        var file = string.IsNullOrWhiteSpace(options.Value.HandbookFile) ? DefaultFile : options.Value.HandbookFile;
        _path = Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file);
        _logger = logger;
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException($"The duties handbook '{_path}' does not exist. Set ChatRegs:Duties:HandbookFile to the office's file, or leave it empty for the shipped {DefaultFile}.", _path);
        }
        Load();
    }

    public string FilePath => _path;

    /// <summary>The handbook as it is on disk now (re-read when the file changed; a broken edit keeps the last good one).</summary>
    public HandbookData Current
    {
        get
        {
            Load();
            return _data;
        }
    }

    private void Load()
    {
        DateTime stamp;
        try
        {
            stamp = File.GetLastWriteTimeUtc(_path);
        }
        catch (IOException)
        {
            return;
        }
        if (stamp == _loadedStamp)
        {
            return;
        }
        lock (_gate)
        {
            if (stamp == _loadedStamp)
            {
                return;
            }
            try
            {
                var data = JsonSerializer.Deserialize<HandbookData>(File.ReadAllText(_path), Json) ?? new HandbookData();
                _data = data;
                _loadedStamp = stamp;
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                if (_loadedStamp == DateTime.MinValue)
                {
                    throw new InvalidDataException($"The duties handbook '{_path}' cannot be read: {e.Message}", e);
                }
                _logger.LogError(e, "The duties handbook {Path} was changed and cannot be read; the last good version stays.", _path);
                _loadedStamp = stamp;
            }
        }
    }

    /// <summary>The role a word names (客服, finance…), or null.</summary>
    public DutyRole? FindRole(string word)
    {
        var w = word.Trim();
        return Current.Roles.FirstOrDefault(r => r.Key.Equals(w, StringComparison.OrdinalIgnoreCase)
            || r.Names.Any(n => n.Equals(w, StringComparison.OrdinalIgnoreCase))
            || r.Title.Zh.Equals(w, StringComparison.OrdinalIgnoreCase) || r.Title.En.Equals(w, StringComparison.OrdinalIgnoreCase));
    }
}
