using ChatRegs.Complaints.Tests.Support;
using Microsoft.Bot.Schema;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// The card-action base answers before a complaint handler runs: a made-up number, a real
/// number pressed from another tenant, and a person who may not read the complaint each get
/// their answer, and nothing of the complaint (customer, phone, what happened) reaches them.
/// </summary>
public sealed class CardActionRefusalTests
{
    [Theory]
    [InlineData("zh-CN", "没有找到投诉 {0}。", "只有客服主管、经理、办公室，以及受理或负责这件投诉的人可以查看。")]
    [InlineData("en-US", "No complaint {0} was found.", "Only the customer-service supervisor, managers, the office and the people who took or handle this complaint can see it.")]
    public async Task A_forged_number_another_tenants_press_and_a_stranger_learn_nothing(string locale, string notFound, string mayNotSee)
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var before = await h.ComplaintAsync(number);

        foreach (var verb in new[] { "complaints.open", "complaints.judge", "complaints.withdraw" })
        {
            // A made-up number, from the supervisor, who may read every complaint of the tenant.
            var forged = await h.Host.DriveAsync(h.Host.SubmitAsync(h.Host.Adapter(Supervisor, locale), new { verb, number = "TS-20990101-999", verdict = "founded" }));
            Assert.Equal(string.Format(notFound, "TS-20990101-999"), Texts(forged));
            AssertNothingOf(forged);

            // The real number, pressed by the supervisor's user id signed in to another tenant.
            var foreign = h.Host.Bot.CreateAdapter("a:sup-other", Supervisor, "tenant-cp-other", locale);
            var replies = await h.Host.DriveAsync(h.Host.SubmitAsync(foreign, new { verb, number, tenantId = Tenant, verdict = "founded" }));
            Assert.Equal(string.Format(notFound, number), Texts(replies));
            AssertNothingOf(replies);

            // Someone who may not read it.
            var stranger = await h.Host.DriveAsync(h.Host.SubmitAsync(h.Host.Adapter(Employee, locale), new { verb, number, verdict = "founded" }));
            Assert.Equal(mayNotSee, Texts(stranger));
            AssertNothingOf(stranger);
        }

        var after = await h.ComplaintAsync(number);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.Stage, after.Stage);
    }

    private static void AssertNothingOf(List<IActivity> replies)
    {
        Assert.DoesNotContain(replies, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        var all = Newtonsoft.Json.JsonConvert.SerializeObject(replies);
        Assert.DoesNotContain("张丽", all);
        Assert.DoesNotContain("13900001111", all);
    }
}
