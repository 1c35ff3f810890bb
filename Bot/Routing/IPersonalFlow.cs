namespace ChatRegs.Bot.Routing;

/// <summary>
/// Marks a dialog whose content is personal (a weekly report, a suggestion, a leave reason, a
/// customer's callback). Started from a group chat, channel or meeting chat, <see cref="DialogHost"/>
/// runs it in the person's 1:1 chat instead and says only that in the shared conversation.
/// </summary>
public interface IPersonalFlow
{
}
