using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Localization;

/// <summary>
/// The dialogs' words (ChatRegs.Dialogs holds none) from the string tables: the
/// <see cref="DialogTextKeys"/> are keys of Strings.*.json ("dialogs.*", "common.cancelled"), and
/// the cancel and help words are those commands' names and aliases in every language.
/// Routing/DialogHost hands it to every dialog turn.
/// </summary>
public sealed class LocalizedDialogText(Localizer localizer) : IDialogText
{
    public IReadOnlyList<string> Languages => Localizer.Supported;

    public string Language(string? locale) => Localizer.Resolve(locale);

    public string Get(string language, string key, params object?[] args) => localizer.Get(language, key, args);

    public IEnumerable<string> CommandWords(string command) => localizer.CommandWords(command);
}
