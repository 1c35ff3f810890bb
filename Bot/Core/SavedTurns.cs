using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Core;

/// <summary>
/// A feature marks a turn once its change is saved and the user told so: a storage failure
/// after that (typically the conversation state written at the end of the turn) must not add
/// "not saved" to the "saved" the user already has (the turn error handler asks
/// <see cref="IsSaved"/>). The change is idempotent, so a form left open by the failed state
/// write saves the same change again if pressed.
/// </summary>
public static class SavedTurns
{
    private const string Key = "ChatRegs.ChangeSaved";

    public static void Mark(ITurnContext turnContext) => turnContext.TurnState[Key] = true;

    public static bool IsSaved(ITurnContext turnContext) => turnContext.TurnState.ContainsKey(Key);
}
