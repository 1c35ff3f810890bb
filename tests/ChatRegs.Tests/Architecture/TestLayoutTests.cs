using System.Text.RegularExpressions;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Architecture;

/// <summary>
/// The tests follow the code: each area of <c>Bot/</c> has the test project that holds its
/// tests, this project keeps only the host and the shared infrastructure, and no test class
/// calls another test class's helpers (what several tests share lives in a project's
/// <c>Support/</c> or in <c>tests/TestSupport</c>). Read from the source tree, so a new folder or
/// file is covered without being listed.
/// </summary>
public sealed partial class TestLayoutTests
{
    private static readonly string Root = Azurite.RepoRoot();
    private static readonly string Tests = Path.Combine(Root, "tests");

    /// <summary>
    /// Where the tests of each folder of <c>Bot/</c> live. A new folder of the bot needs a line
    /// here: which project tests it.
    /// </summary>
    private static readonly Dictionary<string, string> ProjectOf = new(StringComparer.Ordinal)
    {
        // The host and the infrastructure every feature stands on.
        ["Hosting"] = "ChatRegs.Tests",
        ["Conversations"] = "ChatRegs.Tests",
        ["Core"] = "ChatRegs.Tests",
        ["Storage"] = "ChatRegs.Tests",
        ["Routing"] = "ChatRegs.Tests",
        ["Localization"] = "ChatRegs.Tests",
        ["Language"] = "ChatRegs.Tests",
        ["Diagnostics"] = "ChatRegs.Tests",
        ["Help"] = "ChatRegs.Tests",
        ["Cards"] = "ChatRegs.Cards.Tests",
        ["DevChannel"] = "ChatRegs.DevChannel.Tests",
        ["Exports"] = "ChatRegs.Exports.Tests",
        // People, roles, what each role may do, and the duties handbook.
        ["People"] = "ChatRegs.People.Tests",
        ["Authorization"] = "ChatRegs.People.Tests",
        ["Duties"] = "ChatRegs.People.Tests",
        // Jobs, proactive messages and the working-day calendar.
        ["Scheduling"] = "ChatRegs.Scheduling.Tests",
        ["Proactive"] = "ChatRegs.Scheduling.Tests",
        ["Calendar"] = "ChatRegs.Scheduling.Tests",
        ["Meetings"] = "ChatRegs.Meetings.Tests",
        ["Leave"] = "ChatRegs.Leave.Tests",
        ["WeeklyReports"] = "ChatRegs.WeeklyReports.Tests",
        ["Suggestions"] = "ChatRegs.Suggestions.Tests",
        ["Callbacks"] = "ChatRegs.Callbacks.Tests",
        ["Complaints"] = "ChatRegs.Complaints.Tests",
        ["Tabs"] = "ChatRegs.Tabs.Tests",
        ["CustomerService"] = "ChatRegs.CustomerService.Tests",
    };

    /// <summary>Test projects for a part of the code that is not a folder of <c>Bot/</c>.</summary>
    private static readonly Dictionary<string, string> OtherProjects = new(StringComparer.Ordinal)
    {
        ["ChatRegs.Dialogs.Tests"] = "Dialogs/ (its own project)",
        ["ChatRegs.Manifest.Tests"] = "manifest/",
        ["ChatRegs.Infra.Tests"] = "infra/ (the Bicep deployment)",
        ["ChatRegs.Agenda.Tests"] = "Bot/Meetings/Agenda",
        ["ChatRegs.Minutes.Tests"] = "Bot/Meetings/Minutes",
        ["ChatRegs.Resilience.Tests"] = "storage faults and bad input across every feature",
        ["ChatRegs.Playground.Tests"] = "the whole bot in Microsoft 365 Agents Playground (Microsoft's Teams emulator)",
    };

    /// <summary>The folders of ChatRegs.Tests: the host's and the infrastructure's only.</summary>
    private static readonly HashSet<string> HostFolders = new(StringComparer.Ordinal)
    {
        "Architecture", "Conversations", "Core", "Http", "Language", "Repo", "Storage", "Telemetry", "Turns",
    };

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static IEnumerable<string> TestProjects() =>
        Directory.EnumerateDirectories(Tests).Select(Path.GetFileName).OfType<string>()
            .Where(d => File.Exists(Path.Combine(Tests, d, d + ".csproj")) && d != "ChatRegs.TestSupport" && d != "TestSupport");

    [Fact]
    public void Every_folder_of_the_bot_has_its_test_project_and_every_test_project_says_what_it_tests()
    {
        var folders = Directory.EnumerateDirectories(Path.Combine(Root, "Bot")).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj" or "Properties" or "wwwroot") && Sources(Path.Combine(Root, "Bot", d)).Any())
            .ToList();
        Assert.Contains("Meetings", folders);
        var unplaced = folders.Where(f => !ProjectOf.ContainsKey(f)).ToList();
        Assert.True(unplaced.Count == 0, "Bot folders with no test project named in TestLayoutTests: " + string.Join(", ", unplaced));

        var projects = TestProjects().ToList();
        Assert.Contains("ChatRegs.Tests", projects);
        var missing = ProjectOf.Values.Distinct().Where(p => !projects.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "named but not in tests/: " + string.Join(", ", missing));
        var unexplained = projects.Where(p => !ProjectOf.ContainsValue(p) && !OtherProjects.ContainsKey(p)).ToList();
        Assert.True(unexplained.Count == 0, "test projects that test no named area: " + string.Join(", ", unexplained));
    }

    [Fact]
    public void The_host_project_holds_only_the_host_and_infrastructure_tests()
    {
        var project = Path.Combine(Tests, "ChatRegs.Tests");
        var folders = Directory.EnumerateDirectories(project).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj") && Sources(Path.Combine(project, d)).Any())
            .ToList();
        Assert.Contains("Architecture", folders);
        var foreign = folders.Where(f => !HostFolders.Contains(f)).ToList();
        Assert.True(foreign.Count == 0, "ChatRegs.Tests holds a feature's tests (move them to the feature's project): " + string.Join(", ", foreign));
    }

    [Fact]
    public void No_test_class_calls_another_test_classs_helpers()
    {
        var files = TestProjects().SelectMany(p => Sources(Path.Combine(Tests, p))).ToList();
        var declaredIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match m in TestClass().Matches(File.ReadAllText(file)))
            {
                declaredIn[m.Groups[1].Value] = file;
            }
        }
        Assert.Contains("TestLayoutTests", declaredIn.Keys);

        var offences = new List<string>();
        foreach (var file in files)
        {
            var code = Comments().Replace(File.ReadAllText(file), "");
            foreach (var (type, home) in declaredIn)
            {
                if (home != file && Regex.IsMatch(code, $@"\b{type}\.[A-Z]"))
                {
                    offences.Add($"{Path.GetRelativePath(Root, file)} calls {type} ({Path.GetRelativePath(Root, home)})");
                }
            }
        }
        Assert.True(offences.Count == 0, "shared test helpers belong in Support/ or TestSupport:\n" + string.Join("\n", offences));
    }

    [GeneratedRegex(@"\bclass\s+([A-Z]\w*Tests)\b")]
    private static partial Regex TestClass();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
