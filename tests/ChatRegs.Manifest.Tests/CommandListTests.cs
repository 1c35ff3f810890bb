using System.Text.Json.Nodes;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Manifest.Tests;

/// <summary>Teams' command menu must only offer what the bot really answers, in each language.</summary>
public sealed class CommandListTests
{
    private static CommandRouter Router()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChatRegs(configuration);
        return services.BuildServiceProvider().GetRequiredService<CommandRouter>();
    }

    /// <summary>Every (language, title, description) in the manifest's command lists: zh-CN in manifest.json, en in en.json.</summary>
    public static TheoryData<string, string, string> Commands()
    {
        var data = new TheoryData<string, string, string>();
        var manifest = TeamsManifest.Filled();
        var en = TeamsManifest.Filled("en.json");
        var lists = manifest["bots"]![0]!["commandLists"]!.AsArray();
        for (var l = 0; l < lists.Count; l++)
        {
            var commands = lists[l]!["commands"]!.AsArray();
            for (var c = 0; c < commands.Count; c++)
            {
                data.Add("zh-CN", (string)commands[c]!["title"]!, (string)commands[c]!["description"]!);
                var key = $"bots[0].commandLists[{l}].commands[{c}]";
                Assert.True(en[key + ".title"] != null, $"en.json has no {key}.title");
                data.Add("en", (string)en[key + ".title"]!, (string)en[key + ".description"]!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_in_the_manifest_is_one_the_bot_answers(string language, string title, string description)
    {
        var match = Router().Match(title);
        Assert.True(match != null, $"The bot does not answer \"{title}\" ({language}): it would fall back to help.");
        var (command, arguments) = match.Value;
        Assert.Equal("", arguments);
        Assert.True(command.ListedInHelp, $"\"{title}\" runs '{command.Id}', which the help card does not list.");
        // The menu shows the command's own name and help line, in that language.
        Assert.Equal(Localizer.Default.Get(language, $"commands.{command.Id}.name"), title);
        Assert.Equal(Localizer.Default.Get(language, $"commands.{command.Id}.description"), description);
    }

    [Fact]
    public void Each_scope_has_its_command_list_and_both_languages_list_the_same_commands()
    {
        var manifest = TeamsManifest.Filled();
        var lists = manifest["bots"]![0]!["commandLists"]!.AsArray();
        Assert.Equal(["personal", "team", "groupChat"], lists.Select(l => (string?)l!["scopes"]![0]));
        var en = TeamsManifest.Filled("en.json");
        var enTitles = en.Where(p => p.Key.EndsWith(".title", StringComparison.Ordinal)).Select(p => p.Key).ToList();
        var zhCount = lists.Sum(l => l!["commands"]!.AsArray().Count);
        Assert.Equal(zhCount, enTitles.Count);
    }
}
