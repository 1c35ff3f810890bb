using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Localization;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// A complaint step while storage fails (issue #23): the supervisor submits 投诉判定. For every
/// request of that press, a run where exactly that request fails — not sent, or applied with its
/// answer lost — answers "not saved, try again" in the supervisor's language with the complaint
/// unchanged, or the step's "done" with the complaint moved on (never "not saved" when it was);
/// pressing again then moves it on, with the judgement recorded once.
/// </summary>
public sealed class ComplaintStepFaultTests
{
    private static async Task<(ComplaintsHost Host, StorageFaults Faults, string Number, JObject Card)> JudgeCardAsync(string supervisor)
    {
        StorageFaults? faults = null;
        var h = await ComplaintsHost.StartAsync(configure: s => faults = StorageFaults.Install(s));
        var number = await h.RegisterAsync();
        return (h, faults!, number, h.LastCardTo(supervisor));
    }

    [Theory]
    [InlineData(StorageFault.BeforeSending, Supervisor)]
    [InlineData(StorageFault.ResponseLost, Supervisor)]
    [InlineData(StorageFault.BeforeSending, SupervisorEn)]
    public async Task Judging_when_any_request_fails_is_not_saved_with_nothing_changed_or_done_and_pressing_again_moves_it_on_once(StorageFault kind, string supervisor)
    {
        var locale = supervisor == SupervisorEn ? "en" : "zh-CN";
        var button = Localizer.Default.Get(locale, "complaints.buttons.judge");
        var notSaved = Localizer.Default.Get(locale, "common.notSaved");
        string Done(string number) => locale == "en" ? $"Complaint {number} judged founded" : $"投诉 {number} 判定成立";
        int requests;
        {
            var (h, faults, number, card) = await JudgeCardAsync(supervisor);
            await using var _ = h;
            faults.Count();
            var replies = Texts(await h.PressAsync(supervisor, card, button, Founded()));
            faults.Off();
            requests = faults.Seen;
            Assert.Contains(Done(number), replies);
        }
        Assert.True(requests >= 3, $"{requests} requests");

        for (var n = 1; n <= requests; n++)
        {
            var (h, faults, number, card) = await JudgeCardAsync(supervisor);
            await using var _ = h;
            var before = await h.ComplaintAsync(number);
            faults.FailAt(n, kind);
            var first = Texts(await h.PressAsync(supervisor, card, button, Founded()));
            faults.Off();
            var because = $"request {n} of {requests} ({faults.InjectedInto}) failing {kind}: {first}";
            var after = await h.ComplaintAsync(number);
            if (!faults.Injected)
            {
                // This press made fewer requests than the counting one: a background write (the first-contact
                // rows of the people directory, written in batches off the turn's path) fell into that one.
                Assert.True(n > requests - 3, $"{because}: no request {n}");
                Assert.True(first.Contains(Done(number), StringComparison.Ordinal), because);
            }
            else if (first.Contains(notSaved, StringComparison.Ordinal))
            {
                Assert.True(!first.Contains(Done(number), StringComparison.Ordinal), $"{because}: told both");
                Assert.True(after.Stage == ComplaintStage.Judge && after.ETag == before.ETag, $"{because}: told \"not saved\" but the complaint changed ({after.Stage})");
                var again = Texts(await h.PressAsync(supervisor, card, button, Founded()));
                Assert.True(again.Contains(Done(number), StringComparison.Ordinal), $"{because}: the retry: {again}");
            }
            else
            {
                Assert.True(first.Contains(Done(number), StringComparison.Ordinal), because);
            }
            var judged = await h.ComplaintAsync(number);
            Assert.True(judged.Stage == ComplaintStage.Investigate && judged.OwnerId == Investigator, $"{because}: {judged.Stage}");
            Assert.True((await h.EventsAsync(number)).Count(e => e.EndsWith(":founded", StringComparison.Ordinal)) == 1, $"{because}: {string.Join(", ", await h.EventsAsync(number))}");
        }
    }
}
