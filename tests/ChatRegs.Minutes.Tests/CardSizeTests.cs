using System.Text;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using Newtonsoft.Json;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>A big meeting's minutes still fit in one Teams card (the design's bar: under 80 KB).</summary>
public sealed class CardSizeTests
{
    [Fact]
    public async Task Ten_long_topics_ten_decisions_and_forty_people_stay_under_80_KB()
    {
        await using var host = await StartAsync(agenda: false);
        var service = host.Feature.Get<MinutesService>();
        var cards = host.Feature.Get<MinutesCards>();
        var context = (await service.LoadAsync(Tenant, Meeting, default))!;
        var long700 = string.Concat(Enumerable.Repeat("检查范围为航站楼和货运区，", 50));
        var content = context.Doc.Content with
        {
            Topics = Enumerable.Range(0, 10).Select(i => new MinutesTopic { Id = "t" + i, Title = "议题 " + i, FromAgenda = true, Discussion = long700, Outcome = long700[..300] }).ToList(),
            Decisions = Enumerable.Range(0, 10).Select(i => new MinutesDecision { Description = "决议事项内容 " + i, OwnerId = Alice, OwnerName = "王小明", Due = "2026-12-04" }).ToList(),
        };
        context = context with
        {
            Doc = context.Doc with { Content = content },
            People = Enumerable.Range(0, 40).Select(i => ($"29:person-{i:D2}-aaaaaaaaaaaaaaaa", $"员工{i:D2}")).ToList(),
        };
        var form = Encoding.UTF8.GetByteCount(JsonConvert.SerializeObject(cards.Form(context, service, "zh-CN").Content));
        Assert.True(form < 80_000, $"The form is {form} bytes.");
        var version = new MinutesVersion { TenantId = Tenant, OccurrenceKey = Meeting, Number = 1, ByName = "陈静", Content = content };
        var view = Encoding.UTF8.GetByteCount(JsonConvert.SerializeObject(cards.View(context, version, 1, "zh-CN", canEdit: true).Content));
        Assert.True(view < 80_000, $"The minutes card is {view} bytes.");
    }
}
