using ChatRegs.Bot.Core;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// Text with nothing visible in it is no answer. A typed message, or any string a card sends
/// (a form field, an Action.Execute's data), made only of whitespace and invisible characters —
/// zero-width spaces and joiners, direction marks and overrides, the byte-order mark, word
/// joiners (Unicode's format characters) and the Hangul and Braille blanks — is made empty before
/// any feature reads it, so every "required" check and length rule sees it as the empty answer it
/// is, in one place (a complaint's request of three zero-width spaces was registered). Text with
/// anything visible is left exactly as sent: an emoji's joiners or a mark inside a name stay.
/// </summary>
public sealed class InvisibleTextMiddleware : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        if (activity != null)
        {
            if (activity.Text is { Length: > 0 } text && IsBlank(text))
            {
                activity.Text = "";
            }
            if (activity.Value is JToken value)
            {
                Clear(value, 0);
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="text"/> has no visible character (empty counts): <see cref="TextCaps.IsBlank"/>.</summary>
    public static bool IsBlank(string text) => TextCaps.IsBlank(text);

    private static void Clear(JToken token, int depth)
    {
        // The transport caps nesting (Hosting/ActivityShape); this stops well within it.
        if (depth > 64)
        {
            return;
        }
        switch (token)
        {
            case JObject o:
                foreach (var property in o.Properties())
                {
                    Clear(property.Value, depth + 1);
                }
                break;
            case JArray a:
                foreach (var item in a)
                {
                    Clear(item, depth + 1);
                }
                break;
            case JValue { Type: JTokenType.String, Value: string { Length: > 0 } s } v when IsBlank(s):
                v.Value = "";
                break;
        }
    }
}
