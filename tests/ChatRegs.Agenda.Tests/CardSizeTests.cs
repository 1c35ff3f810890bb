using System.Text;
using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>The largest agenda (every topic the meeting may take, every text at its longest) still fits the project's card budget.</summary>
public sealed class CardSizeTests
{
    private const int MaxCardBytes = 80 * 1024;

    [Fact]
    public async Task A_full_agenda_with_the_longest_texts_fits_in_a_card()
    {
        await using var host = await StartWithMeetingAsync();
        var max = host.Agenda.Options.MaxTopics;
        var series = (await host.Meetings.GetSeriesAsync(Tenant, "weekly", default))!;
        for (var i = 0; i < max; i++)
        {
            await host.Store.AddTopicAsync(new Topic
            {
                TenantId = Tenant,
                OccurrenceKey = Next,
                Id = Guid.NewGuid().ToString("N"),
                Title = new string('题', TopicForms.MaxTitle),
                PresenterId = Alice,
                PresenterName = new string('名', 20),
                Material = new string('料', TopicForms.MaxMaterial),
                Minutes = 5,
                SubmittedById = Bob,
                SubmittedByName = new string('交', 20),
                SubmittedAt = Start.AddMinutes(i),
                Late = true,
                Status = i % 3 == 0 ? TopicStatus.Pending : i % 3 == 1 ? TopicStatus.Accepted : TopicStatus.Rejected,
                Order = i,
            }, default);
        }
        var context = (await host.Agenda.LoadAsync(Tenant, Next, default))!;
        var cards = host.Services.GetRequiredService<AgendaCards>();
        foreach (var locale in new[] { "zh-CN", "en-US" })
        {
            var review = (JObject)cards.Review(context, locale, host.Clock.GetUtcNow(), "消息").Content;
            var agenda = (JObject)cards.Agenda(context, locale, host.Clock.GetUtcNow(), 2, posted: true).Content;
            foreach (var card in new[] { review, agenda })
            {
                var bytes = Encoding.UTF8.GetByteCount(card.ToString(Formatting.None));
                Assert.True(bytes < MaxCardBytes, $"{bytes} bytes");
                Assert.DoesNotContain("${", card.ToString());
            }
            Assert.Equal(max, Seen.Text(review).Split('\n').Count(l => l.Contains(new string('题', TopicForms.MaxTitle))));
        }
    }
}
