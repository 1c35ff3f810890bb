using ChatRegs.Bot.Callbacks;
using Microsoft.Extensions.Options;

namespace ChatRegs.Callbacks.Tests;

/// <summary>The default script is 客服工作职责(7)'s 回访规范及用语, word for word; scripts are checked when they load.</summary>
public sealed class ScriptTests
{
    // 客服工作职责(7) 回访规范及用语, copied character for character from the regulations
    // (reference/regulations-zh.txt); ×× are the blanks the script fills.
    private const string RegulationOpening = "您好我是××,请问您是××先生/小姐吗?";
    private const string RegulationSorry = "打扰您了。";
    private const string RegulationExchange = "感谢您在××时光理解了我们××的××服务项目,请问您对××服务项目满意吗?";
    private const string RegulationSatisfied = "您对我们的服务有什么推荐吗?";
    private const string RegulationUnsatisfied = "(能否告诉我您对哪方面不满意吗?/我们应改善哪方面的工作";
    private const string RegulationClosingSatisfied = "感谢您的答复,您如果需要什么帮忙,可随时跟我们取得联系,祝您(开车愉快/节日快乐),再见!";
    private const string RegulationClosingUnsatisfied = "十分多谢您的反应,这一点我们的确做得不够,我们很快就会有改善的望您监督,祝您(开车愉快/节日快乐),再见!";

    private static readonly ScriptLibrary Library = new(new CallbackOptions());

    private static CallbackScript Default => Library.Get("regulation-7")!;

    /// <summary>Fills the regulation's blanks in order, as a person would.</summary>
    private static string Blanks(string line, params string[] values)
    {
        foreach (var v in values)
        {
            var at = line.IndexOf("××", StringComparison.Ordinal);
            line = line[..at] + v + line[(at + 2)..];
        }
        return line;
    }

    private static string Zh(string stepId, Dictionary<string, string> values) =>
        CallbackScript.Fill(CallbackScript.Text(Default.Step(stepId)!.Text, "zh-CN"), values);

    private static readonly Dictionary<string, string> Values = new()
    {
        ["rep"] = "李娜", ["customer"] = "王", ["title"] = "先生", ["date"] = "3月4日", ["company"] = "宏达汽修", ["service"] = "汽车保养", ["greeting"] = "开车愉快",
    };

    [Fact]
    public void Every_chinese_line_is_the_regulations_line_with_its_blanks_filled()
    {
        Assert.Equal(Blanks(RegulationOpening, "李娜", "王").Replace("先生/小姐", "先生"), Zh("opening", Values));
        Assert.Equal(RegulationSorry + "\n" + Blanks(RegulationExchange, "3月4日", "宏达汽修", "汽车保养", "汽车保养"), Zh("satisfaction", Values));
        Assert.Equal(RegulationSatisfied, Zh("suggestion", Values));
        // The regulation's unclosed "(" opens its two alternative questions; the words are kept.
        Assert.Equal(RegulationUnsatisfied.TrimStart('('), Zh("improvement", Values));
        Assert.Equal(RegulationClosingSatisfied.Replace("(开车愉快/节日快乐)", "开车愉快"), Zh("closingSatisfied", Values));
        Assert.Equal(RegulationClosingUnsatisfied.Replace("(开车愉快/节日快乐)", "节日快乐"), Zh("closingUnsatisfied", new(Values) { ["greeting"] = "节日快乐" }));
        // The two greetings are the regulation's.
        Assert.Equal(["开车愉快", "节日快乐"], Default.Greetings.Select(g => CallbackScript.Text(g.Text, "zh-CN")));
    }

    [Fact]
    public void The_steps_follow_the_answers_the_member_flag_and_the_optional_parts()
    {
        string Path(Satisfaction s, bool member, params string[] toggles)
        {
            var path = new CallPath(s, member, toggles.ToHashSet());
            var steps = new List<string>();
            for (var step = Default.NextStep(null, path); step != null && !steps.Contains(step.Id); step = step.Closing ? null : Default.NextStep(step.Id, path))
            {
                steps.Add(step.Id);
            }
            return string.Join(" → ", steps);
        }
        Assert.Equal("opening → satisfaction → suggestion → closingSatisfied", Path(Satisfaction.Satisfied, member: true));
        Assert.Equal("opening → satisfaction → improvement → closingUnsatisfied", Path(Satisfaction.Average, member: false));
        Assert.Equal("opening → satisfaction → improvement → closingUnsatisfied", Path(Satisfaction.Dissatisfied, member: false, "renewal"));
        Assert.Equal("opening → satisfaction → improvement → renewal → closingUnsatisfied", Path(Satisfaction.Dissatisfied, member: true, "renewal"));
        Assert.Equal("opening → satisfaction → suggestion → theme → renewal → closingSatisfied", Path(Satisfaction.Satisfied, member: true, "renewal", "theme"));
    }

    [Fact]
    public void A_script_with_mistakes_is_refused_with_every_problem_named()
    {
        var json = """
            {
              "id": "bad script", "version": 0,
              "name": { "zh-CN": "坏的" },
              "greetings": [ { "id": "g", "text": { "zh-CN": "你好", "en": "hi" } } ],
              "steps": [
                { "id": "a", "stage": "opening", "text": { "zh-CN": "您好{nobody}", "en": "Hi" }, "answers": [ { "id": "x", "label": { "zh-CN": "本人", "en": "Yes" } } ] },
                { "id": "b", "stage": "exchange", "text": { "zh-CN": "满意吗", "en": "OK?" }, "answers": [ { "id": "s", "label": { "zh-CN": "满意", "en": "Yes" }, "satisfaction": "satisfied" } ] }
              ]
            }
            """;
        var error = Assert.Throws<FormatException>(() => CallbackScript.Parse(json, "bad.json"));
        Assert.Contains("id 'bad script'", error.Message);
        Assert.Contains("version must be 1 or more", error.Message);
        Assert.Contains("name: text in en is missing", error.Message);
        Assert.Contains("unknown placeholder {nobody}", error.Message);
        Assert.Contains("the first step must let the rep record a call that did not reach the customer", error.Message);
        Assert.Contains("no closing step for satisfaction Satisfied", error.Message);
    }

    [Fact]
    public void A_scripts_folder_adds_versions_and_a_broken_file_is_left_out()
    {
        var folder = Directory.CreateTempSubdirectory("cb-scripts").FullName;
        try
        {
            var v2 = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "regulation-7-v2.json"));
            File.WriteAllText(Path.Combine(folder, "a.json"), v2);
            File.WriteAllText(Path.Combine(folder, "b.json"), "{ not json");
            var library = new ScriptLibrary(Options.Create(new CallbackOptions { ScriptsFolder = folder }), Microsoft.Extensions.Logging.Abstractions.NullLogger<ScriptLibrary>.Instance);
            Assert.Equal([1, 2], library.Versions("regulation-7"));
            Assert.Equal(2, library.Get("regulation-7")!.Version);
            Assert.Equal(1, library.Get("regulation-7", 1)!.Version);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_new_version_dropped_into_the_folder_is_picked_up_without_a_restart_and_an_old_one_stays_known()
    {
        var folder = Directory.CreateTempSubdirectory("cb-scripts").FullName;
        try
        {
            var library = new ScriptLibrary(new CallbackOptions { ScriptsFolder = folder, ScriptsRecheck = TimeSpan.Zero });
            Assert.Equal([1], library.Versions("regulation-7"));

            var v2 = Path.Combine(folder, "regulation-7-v2.json");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Scripts", "regulation-7-v2.json"), v2);
            Assert.Equal(2, library.Get("regulation-7")!.Version);

            // The file is taken away again: calls recorded with version 2 can still be shown.
            File.Delete(v2);
            Assert.Equal([1, 2], library.Versions("regulation-7"));
            Assert.NotNull(library.Get("regulation-7", 2));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_default_script_must_exist()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ScriptLibrary(new CallbackOptions { DefaultScript = "nope" }));
        Assert.Contains("DefaultScript 'nope'", error.Message);
    }
}
