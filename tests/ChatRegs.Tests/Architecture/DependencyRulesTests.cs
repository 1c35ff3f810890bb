using System.Text.RegularExpressions;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Architecture;

/// <summary>
/// Dependencies point one way: the host (Bot/Hosting and Program.cs) wires features and
/// infrastructure together; nothing else reaches back into it. What several features need
/// (the ISO week, "is this a storage problem", the tenant of an activity, text caps) lives in
/// Bot/Core. The dialogs (Dialogs/, ChatRegs.Dialogs) are their own project with no reference to
/// the bot, so the SDK's Dialogs package can replace them. Read from the source tree, so a new
/// file is covered without being listed.
/// </summary>
public sealed partial class DependencyRulesTests
{
    private static readonly string Bot = Path.Combine(Azurite.RepoRoot(), "Bot");
    private static readonly string Dialogs = Path.Combine(Azurite.RepoRoot(), "Dialogs");
    private static readonly string DialogsTests = Path.Combine(Azurite.RepoRoot(), "tests", "ChatRegs.Dialogs.Tests");

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>The code of a file without its comments (a comment may name anything).</summary>
    private static string Code(string file) => Comments().Replace(File.ReadAllText(file), "");

    private static string Relative(string file) => Path.GetRelativePath(Azurite.RepoRoot(), file);

    /// <summary>The types a folder declares.</summary>
    private static HashSet<string> TypesOf(string folder) =>
        Sources(folder).SelectMany(f => TypeDeclaration().Matches(Code(f)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void No_feature_or_infrastructure_folder_uses_the_host()
    {
        var hosting = Path.Combine(Bot, "Hosting");
        var hostTypes = TypesOf(hosting);
        Assert.Contains("ChatRegsAdapter", hostTypes);
        Assert.Contains("TurnErrorHandler", hostTypes);

        var offences = new List<string>();
        foreach (var file in Sources(Bot).Where(f => !f.StartsWith(hosting + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Path.GetFileName(f) != "Program.cs"))
        {
            var code = Code(file);
            if (code.Contains("ChatRegs.Bot.Hosting", StringComparison.Ordinal))
            {
                offences.Add($"{Relative(file)}: names the namespace ChatRegs.Bot.Hosting");
            }
            foreach (var type in hostTypes.Where(t => Regex.IsMatch(code, $@"\b{Regex.Escape(t)}\b")))
            {
                offences.Add($"{Relative(file)}: uses {type}");
            }
        }
        Assert.True(offences.Count == 0, "the host is reached from outside it:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_core_depends_on_no_feature_and_not_on_the_host()
    {
        var core = Path.Combine(Bot, "Core");
        var features = Directory.EnumerateDirectories(Bot)
            .Select(Path.GetFileName)
            .Where(n => n is not ("Core" or "Storage" or "bin" or "obj"))
            .ToList();
        Assert.Contains("Meetings", features);
        var offences = Sources(core)
            .SelectMany(f => features.Where(n => Code(f).Contains($"ChatRegs.Bot.{n}", StringComparison.Ordinal)).Select(n => $"{Relative(f)}: ChatRegs.Bot.{n}"))
            .ToList();
        Assert.True(offences.Count == 0, "the core reaches into a feature:\n" + string.Join("\n", offences));
    }

    /// <summary>
    /// What Authorization may use: itself and the shared mechanisms. People is one of them (the
    /// directory and who holds which role, <c>RoleHolders</c>), like Storage; every feature's
    /// permission rules are registered from the feature's own folder (AddPermissions).
    /// </summary>
    private static readonly string[] AuthorizationMayUse = ["Authorization", "Core", "Storage", "People", "Localization"];

    /// <summary>The uses of a feature folder in <paramref name="file"/>: its namespace (full or relative) or a type it declares.</summary>
    private static List<string> FeatureUses(string file, IReadOnlyDictionary<string, HashSet<string>> featureTypes)
    {
        var code = Code(file);
        var uses = new List<string>();
        foreach (var (feature, types) in featureTypes)
        {
            if (Regex.IsMatch(code, $@"(?<![\w.])(ChatRegs\.Bot\.{Regex.Escape(feature)}\b|{Regex.Escape(feature)}\.)"))
            {
                uses.Add($"{Path.GetFileName(file)}: names the namespace of {feature}");
            }
            uses.AddRange(types.Where(t => Regex.IsMatch(code, $@"\b{Regex.Escape(t)}\b")).Select(t => $"{Path.GetFileName(file)}: uses {feature}'s {t}"));
        }
        return uses;
    }

    private static Dictionary<string, HashSet<string>> FeatureTypesOutside(string[] allowed)
    {
        var allowedTypes = allowed.SelectMany(n => TypesOf(Path.Combine(Bot, n))).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateDirectories(Bot)
            .Select(d => Path.GetFileName(d)!)
            .Where(n => !allowed.Contains(n) && n is not ("bin" or "obj"))
            .ToDictionary(n => n, n => TypesOf(Path.Combine(Bot, n)).Where(t => !allowedTypes.Contains(t)).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Authorization_names_no_feature()
    {
        var featureTypes = FeatureTypesOutside(AuthorizationMayUse);
        Assert.Contains("Meetings", featureTypes.Keys);
        Assert.Contains("MeetingRoles", featureTypes["Meetings"]);
        Assert.Contains("LeavePermissions", featureTypes["Leave"]);
        var offences = Sources(Path.Combine(Bot, "Authorization")).SelectMany(f => FeatureUses(f, featureTypes)).ToList();
        Assert.True(offences.Count == 0, "Authorization reaches into a feature (features register their rules with AddPermissions):\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_rule_for_authorization_sees_a_feature_named_in_a_policy()
    {
        // The table Authorization used to hold: a feature's role named through its namespace, and a feature's type.
        var featureTypes = FeatureTypesOutside(AuthorizationMayUse);
        var folder = Directory.CreateTempSubdirectory("chatregs-auth-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "A.cs"), "namespace ChatRegs.Bot.Authorization;\n// Meetings.MeetingRoles in a comment is fine\npublic static class A { static string[] R = [Meetings.MeetingRoles.Host]; }\n");
            File.WriteAllText(Path.Combine(folder, "B.cs"), "namespace ChatRegs.Bot.Authorization;\nusing ChatRegs.Bot.Leave;\npublic static class B { static string R = LeaveRoles.Approver; }\n");
            File.WriteAllText(Path.Combine(folder, "C.cs"), "namespace ChatRegs.Bot.Authorization;\n/// <see cref=\"LeaveRoles\"/>\npublic static class C { static string R = People.Roles.Office; }\n");
            Assert.Contains(FeatureUses(Path.Combine(folder, "A.cs"), featureTypes), u => u.Contains("Meetings"));
            Assert.Contains(FeatureUses(Path.Combine(folder, "B.cs"), featureTypes), u => u.Contains("LeaveRoles"));
            Assert.Contains(FeatureUses(Path.Combine(folder, "B.cs"), featureTypes), u => u.Contains("namespace of Leave"));
            Assert.Empty(FeatureUses(Path.Combine(folder, "C.cs"), featureTypes));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_dialogs_do_not_reference_the_bot()
    {
        Assert.True(File.Exists(Path.Combine(Dialogs, "ChatRegs.Dialogs.csproj")), "Dialogs/ChatRegs.Dialogs.csproj is missing");
        Assert.Contains(Path.Combine(Dialogs, "CardForms", "CardFormPrompt.cs"), Sources(Dialogs));
        var offences = BotReferences(Dialogs);
        Assert.True(offences.Count == 0, "the dialogs reach into the bot:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_dialog_mechanics_tests_need_only_the_dialogs()
    {
        // Tests with the bot's words or the real bot live in EndToEnd/; the rest test ChatRegs.Dialogs alone.
        var endToEnd = Path.Combine(DialogsTests, "EndToEnd") + Path.DirectorySeparatorChar;
        var mechanics = Sources(DialogsTests).Where(f => !f.StartsWith(endToEnd, StringComparison.Ordinal)).ToList();
        Assert.Contains(mechanics, f => Path.GetFileName(f) == "CardFormPromptTests.cs");
        var offences = mechanics.Where(f => BotNamespace().IsMatch(Code(f))).Select(f => $"{Relative(f)}: names a ChatRegs.Bot namespace").ToList();
        Assert.True(offences.Count == 0, "a dialog mechanics test needs the bot:\n" + string.Join("\n", offences));
    }

    /// <summary>A project reference to the bot in the folder's project files, or a source file naming a ChatRegs.Bot namespace.</summary>
    private static List<string> BotReferences(string folder)
    {
        var offences = new List<string>();
        foreach (var project in Directory.EnumerateFiles(folder, "*.csproj"))
        {
            foreach (var reference in ProjectReference().Matches(File.ReadAllText(project)).Select(m => m.Groups[1].Value))
            {
                var target = Path.GetFullPath(Path.Combine(folder, reference.Replace('\\', Path.DirectorySeparatorChar)));
                if (target.StartsWith(Bot + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetFileName(target) == "ChatRegs.Bot.csproj")
                {
                    offences.Add($"{Relative(project)}: references {reference}");
                }
            }
        }
        foreach (var file in Sources(folder).Where(f => BotNamespace().IsMatch(Code(f))))
        {
            offences.Add($"{Relative(file)}: names a ChatRegs.Bot namespace");
        }
        return offences;
    }

    [Fact]
    public void The_rules_see_the_dialogs_reaching_into_the_bot_when_they_do()
    {
        var folder = Directory.CreateTempSubdirectory("chatregs-dialogs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "ChatRegs.Dialogs.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"../Cards/ChatRegs.Cards.csproj\" /></ItemGroup></Project>");
            File.WriteAllText(Path.Combine(folder, "A.cs"), "namespace ChatRegs.Dialogs;\n// was ChatRegs.Bot.Dialogs\npublic sealed class A { }\n");
            Assert.Empty(BotReferences(folder));

            File.WriteAllText(Path.Combine(folder, "ChatRegs.Dialogs.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"..\\Bot\\ChatRegs.Bot.csproj\" /></ItemGroup></Project>");
            File.WriteAllText(Path.Combine(folder, "B.cs"), "using ChatRegs.Bot.Localization;\nnamespace ChatRegs.Dialogs;\npublic sealed class B { }\n");
            File.WriteAllText(Path.Combine(folder, "C.cs"), "namespace ChatRegs.Dialogs;\npublic sealed class C { string S => ChatRegs.Bot.Localization.Localizer.Chinese; }\n");
            var offences = BotReferences(folder);
            Assert.Equal(3, offences.Count);
            Assert.Contains(offences, o => o.EndsWith("references ..\\Bot\\ChatRegs.Bot.csproj", StringComparison.Ordinal));
            Assert.Contains(offences, o => o.Contains("B.cs", StringComparison.Ordinal));
            Assert.Contains(offences, o => o.Contains("C.cs", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_rules_see_a_use_of_the_host_when_there_is_one()
    {
        // The check itself: a use in code is found, a mention in a comment is not.
        var folder = Directory.CreateTempSubdirectory("chatregs-deps-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "A.cs"), "namespace X;\n/// <see cref=\"TurnErrorHandler\"/>\npublic sealed class A { }\n");
            File.WriteAllText(Path.Combine(folder, "B.cs"), "namespace X;\npublic sealed class B { bool F(System.Exception e) => TurnErrorHandler.IsStorageProblem(e); }\n");
            Assert.DoesNotMatch(@"\bTurnErrorHandler\b", Code(Path.Combine(folder, "A.cs")));
            Assert.Matches(@"\bTurnErrorHandler\b", Code(Path.Combine(folder, "B.cs")));
            Assert.Equal(["A", "B"], TypesOf(folder).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\b(?:class|record|interface|struct|enum)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bChatRegs\.Bot\b")]
    private static partial Regex BotNamespace();

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
