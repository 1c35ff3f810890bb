using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Authorization;

public static class AuthorizationExtensions
{
    /// <summary>
    /// Asks for permission; when refused, tells the user why in their language and returns
    /// false. Features call this first, before reading anything the action needs.
    /// </summary>
    public static async Task<bool> EnsureAllowedAsync(this IAuthorizationService authorization, ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default)
    {
        var decision = await authorization.AuthorizeAsync(turnContext, action, resource, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            var text = Localizer.Default.Get(turnContext.Activity.Locale ?? "", decision.ReasonKey ?? "auth.notAllowed");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
        }
        return decision.Allowed;
    }
}
