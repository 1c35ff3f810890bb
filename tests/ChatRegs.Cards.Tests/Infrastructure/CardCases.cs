using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Cards.Templating;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Every card template × every language, with the data the bot binds: the template's sample
/// data, plus the language's string table as <c>$root.strings</c> and the language as
/// <c>$root.locale</c> (what CardFactory adds).
/// </summary>
public static class CardCases
{
    public static readonly IReadOnlyList<string> Locales = [Localizer.Chinese, Localizer.English];

    /// <summary>(template name, locale) for xunit theories.</summary>
    public static TheoryData<string, string> All
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in CardTemplates.Names)
            {
                foreach (var locale in Locales)
                {
                    data.Add(name, locale);
                }
            }
            return data;
        }
    }

    public static string Id(string name, string locale) => $"{name}.{locale}";

    public static JsonObject Data(string name, string locale)
    {
        var sample = CardTemplates.LoadSample(name)
            ?? throw new InvalidOperationException($"Card template {name} has no sample data: add Cards/{name}.data.json.");
        var data = sample.DeepClone() as JsonObject
            ?? throw new InvalidOperationException($"Cards/{name}.data.json must be a JSON object.");
        data["strings"] = Localizer.Default.Table(locale);
        data["locale"] = Localizer.Resolve(locale);
        return data;
    }

    public static JsonNode Expand(string name, string locale) =>
        TemplateBinder.Expand(CardTemplates.Load(name), Data(name, locale))
        ?? throw new InvalidOperationException($"Card template {name} expanded to null.");
}
