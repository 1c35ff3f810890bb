namespace ChatRegs.Bot.Help;

/// <summary>Per-conversation memory that the welcome card was already sent.</summary>
public sealed class WelcomeState
{
    public bool Welcomed { get; set; }
}
