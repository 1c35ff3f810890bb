using System.Reflection;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// Every callback script the bot knows: those shipped in Callbacks/Scripts (embedded in the
/// bot), plus any in <see cref="CallbackOptions.ScriptsFolder"/>, read once at start. A script
/// id may come in several versions; the highest is the one read in new calls, older ones stay
/// known so old records can still be shown. Which script a service type uses is the
/// supervisor's choice (<see cref="CallbackStore"/> settings), else
/// <see cref="CallbackOptions.DefaultScript"/>.
/// </summary>
public sealed class ScriptLibrary
{
    public const string ResourcePrefix = "ChatRegs.Bot.Callbacks.Scripts.";

    private readonly Dictionary<string, SortedList<int, CallbackScript>> _scripts = new(StringComparer.Ordinal);

    public ScriptLibrary(IOptions<CallbackOptions> options, ILogger<ScriptLibrary> logger)
        : this(options.Value, logger)
    {
    }

    public ScriptLibrary(CallbackOptions options, ILogger<ScriptLibrary>? logger = null)
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            // A shipped script that does not load is a bug: fail at start.
            Add(CallbackScript.Parse(reader.ReadToEnd(), resource));
        }
        if (!string.IsNullOrWhiteSpace(options.ScriptsFolder))
        {
            var folder = Path.IsPathRooted(options.ScriptsFolder) ? options.ScriptsFolder : Path.Combine(AppContext.BaseDirectory, options.ScriptsFolder);
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
                {
                    try
                    {
                        Add(CallbackScript.Parse(File.ReadAllText(file), file));
                    }
                    catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
                    {
                        // A company's own file with a mistake must not stop the bot: it is left out and logged.
                        logger?.LogError(e, "Callback script {File} was not loaded: {Reason}", file, e.Message);
                    }
                }
            }
            else
            {
                logger?.LogWarning("Callback scripts folder {Folder} does not exist.", folder);
            }
        }
        if (!_scripts.ContainsKey(options.DefaultScript))
        {
            throw new InvalidOperationException($"ChatRegs:Callbacks:DefaultScript '{options.DefaultScript}' names no loaded script (known: {string.Join(", ", _scripts.Keys)}).");
        }
        DefaultId = options.DefaultScript;
    }

    public string DefaultId { get; }

    /// <summary>The newest version of every script, by id.</summary>
    public IReadOnlyList<CallbackScript> Latest => _scripts.Values.Select(v => v.Values[^1]).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>The newest version of a script, or null.</summary>
    public CallbackScript? Get(string id) => _scripts.TryGetValue(id, out var versions) ? versions.Values[^1] : null;

    /// <summary>A given version of a script, or null when that version is not loaded.</summary>
    public CallbackScript? Get(string id, int version) =>
        _scripts.TryGetValue(id, out var versions) && versions.TryGetValue(version, out var script) ? script : null;

    /// <summary>The versions loaded for a script id, oldest first.</summary>
    public IReadOnlyList<int> Versions(string id) => _scripts.TryGetValue(id, out var versions) ? versions.Keys.ToList() : [];

    private void Add(CallbackScript script)
    {
        if (!_scripts.TryGetValue(script.Id, out var versions))
        {
            _scripts[script.Id] = versions = new SortedList<int, CallbackScript>();
        }
        if (versions.ContainsKey(script.Version))
        {
            throw new FormatException($"Two callback scripts are '{script.Id}' version {script.Version}: give the changed one a higher version.");
        }
        versions.Add(script.Version, script);
    }
}
