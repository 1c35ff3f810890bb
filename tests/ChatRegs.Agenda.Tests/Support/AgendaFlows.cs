using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests.Support;

/// <summary>Steps several agenda tests take the same way.</summary>
public static class AgendaFlows
{
    /// <summary>Files a topic through the form, as <paramref name="userId"/>, a minute after the last.</summary>
    public static async Task<Topic> SubmitTopicAsync(AgendaHost host, string userId, string title, int minutes, string occurrence = Next)
    {
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var form = new
        {
            occurrence,
            formId = Guid.NewGuid().ToString("N"),
            title,
            presenter = userId,
            material = "要点：" + title + "，现状、问题和建议三部分。",
            minutes,
        };
        var card = Seen.CardOf(await host.ExecuteAsync(host.Adapter(userId), TopicForms.SubmitVerb, form));
        Assert.Contains("已提交", Seen.Text(card));
        return (await host.Store.ReadAsync(Tenant, occurrence, default)).Topics.Single(t => t.Title == title);
    }
}
