using System.Reflection;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// Every callback script the bot knows: those shipped in Callbacks/Scripts (embedded in the
/// bot), plus any in <see cref="CallbackOptions.ScriptsFolder"/>. The folder is looked at again
/// (at most every <see cref="CallbackOptions.ScriptsRecheck"/>) and a new or changed file is picked up without a
/// restart: a supervisor's new version is read in the next call that starts. A script id may come
/// in several versions; the highest is the one read in new calls, older ones stay known (even
/// when their file is removed) so old records can still be shown. Which script a service type
/// uses is the supervisor's choice (<see cref="CallbackStore"/> settings), else
/// <see cref="CallbackOptions.DefaultScript"/>.
/// </summary>
public sealed class ScriptLibrary
{
    public const string ResourcePrefix = "ChatRegs.Bot.Callbacks.Scripts.";

    private readonly IReadOnlyList<CallbackScript> _shipped;
    private readonly string? _folder;
    private readonly ILogger<ScriptLibrary>? _logger;
    private readonly TimeSpan _recheck;
    private readonly object _gate = new();
    private Dictionary<string, SortedList<int, CallbackScript>> _scripts = new(StringComparer.Ordinal);
    private string _folderStamp = "";
    private DateTime _checkedUtc = DateTime.MinValue;

    public ScriptLibrary(IOptions<CallbackOptions> options, ILogger<ScriptLibrary> logger)
        : this(options.Value, logger)
    {
    }

    public ScriptLibrary(CallbackOptions options, ILogger<ScriptLibrary>? logger = null)
    {
        _logger = logger;
        _recheck = options.ScriptsRecheck;
        var assembly = typeof(ScriptLibrary).Assembly;
        var shipped = new List<CallbackScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            // A shipped script that does not load is a bug: fail at start.
            shipped.Add(CallbackScript.Parse(reader.ReadToEnd(), resource));
        }
        _shipped = shipped;
        if (!string.IsNullOrWhiteSpace(options.ScriptsFolder))
        {
            _folder = Path.IsPathRooted(options.ScriptsFolder) ? options.ScriptsFolder : Path.Combine(AppContext.BaseDirectory, options.ScriptsFolder);
            if (!Directory.Exists(_folder))
            {
                logger?.LogWarning("Callback scripts folder {Folder} does not exist.", _folder);
            }
        }
        Reload(force: true);
        if (!_scripts.ContainsKey(options.DefaultScript))
        {
            throw new InvalidOperationException($"ChatRegs:Callbacks:DefaultScript '{options.DefaultScript}' names no loaded script (known: {string.Join(", ", _scripts.Keys)}).");
        }
        DefaultId = options.DefaultScript;
    }

    public string DefaultId { get; }

    /// <summary>The newest version of every script, by id.</summary>
    public IReadOnlyList<CallbackScript> Latest => Scripts.Values.Select(v => v.Values[^1]).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>The newest version of a script, or null.</summary>
    public CallbackScript? Get(string id) => Scripts.TryGetValue(id, out var versions) ? versions.Values[^1] : null;

    /// <summary>A given version of a script, or null when that version is not loaded.</summary>
    public CallbackScript? Get(string id, int version) =>
        Scripts.TryGetValue(id, out var versions) && versions.TryGetValue(version, out var script) ? script : null;

    /// <summary>The versions loaded for a script id, oldest first.</summary>
    public IReadOnlyList<int> Versions(string id) => Scripts.TryGetValue(id, out var versions) ? versions.Keys.ToList() : [];

    private Dictionary<string, SortedList<int, CallbackScript>> Scripts
    {
        get
        {
            Reload(force: false);
            return _scripts;
        }
    }

    /// <summary>Reads the folder again when a file was added, changed or removed since the last look.</summary>
    private void Reload(bool force)
    {
        if (_folder == null && !force)
        {
            return;
        }
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            if (!force && now - _checkedUtc < _recheck)
            {
                return;
            }
            _checkedUtc = now;
            var files = _folder != null && Directory.Exists(_folder) ? Directory.GetFiles(_folder, "*.json").Order(StringComparer.Ordinal).ToList() : [];
            var stamp = string.Join("|", files.Select(f => f + "@" + File.GetLastWriteTimeUtc(f).Ticks));
            if (!force && stamp == _folderStamp)
            {
                return;
            }
            var scripts = new Dictionary<string, SortedList<int, CallbackScript>>(StringComparer.Ordinal);
            foreach (var script in _shipped)
            {
                Add(scripts, script);
            }
            foreach (var file in files)
            {
                try
                {
                    Add(scripts, CallbackScript.Parse(File.ReadAllText(file), file));
                }
                catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
                {
                    // A company's own file with a mistake must not stop the bot: it is left out and logged.
                    _logger?.LogError(e, "Callback script {File} was not loaded: {Reason}", file, e.Message);
                }
            }
            // A version known before stays known (old records name it), even if its file went away.
            foreach (var (id, versions) in _scripts)
            {
                foreach (var (version, script) in versions)
                {
                    if (!scripts.TryGetValue(id, out var now2) || !now2.ContainsKey(version))
                    {
                        Add(scripts, script);
                    }
                }
            }
            _scripts = scripts;
            _folderStamp = stamp;
        }
    }

    private static void Add(Dictionary<string, SortedList<int, CallbackScript>> scripts, CallbackScript script)
    {
        if (!scripts.TryGetValue(script.Id, out var versions))
        {
            scripts[script.Id] = versions = new SortedList<int, CallbackScript>();
        }
        if (versions.ContainsKey(script.Version))
        {
            throw new FormatException($"Two callback scripts are '{script.Id}' version {script.Version}: give the changed one a higher version.");
        }
        versions.Add(script.Version, script);
    }
}
