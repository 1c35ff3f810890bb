using ChatRegs.Callbacks.Tests.Support;
using Microsoft.Bot.Schema;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// The card-action base answers before a callback handler runs: a made-up task id, a real task
/// pressed from another tenant, and a person without the role (who learns nothing about whether
/// the task exists) each get their answer; no call starts, nothing is reassigned, no customer is shown.
/// </summary>
public sealed class CardActionRefusalTests : IAsyncLifetime
{
    private CallbacksHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbacksHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("zh-CN", "找不到这条回访，可能已经删除。请发送「回访」查看最新的队列。", "只有客服主管可以做这件事。如需权限，请联系办公室。", "这条回访没有分配给你，你不能回访这位客户。请联系客服主管。")]
    [InlineData("en-US", "This callback cannot be found; it may have been removed. Send \"callbacks\" for your current queue.", "Only a customer-service supervisor can do this. Ask the office if you need it.",
        "This callback is not assigned to you, so you cannot call this customer. Ask your supervisor.")]
    public async Task A_forged_id_another_tenants_press_and_a_person_without_the_role_are_answered_before_anything_runs(string locale, string notFound, string supervisorOnly, string notAssigned)
    {
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));

        // A made-up id, from the rep and from the supervisor.
        Assert.Equal(notFound, Texts(await _host.SubmitAsync(_host.Adapter(CallbacksHost.RepA, locale), new { verb = "callbacks.start", taskId = "no-such-task" })));
        Assert.Equal(notFound, Texts(await _host.SubmitAsync(_host.Adapter(CallbacksHost.Supervisor, locale), new { verb = "callbacks.reassignForm", taskId = "no-such-task" })));

        // The real id, pressed by the assigned rep's and the supervisor's user ids signed in to another tenant.
        foreach (var (user, verb) in new[] { (CallbacksHost.RepA, "callbacks.start"), (CallbacksHost.Supervisor, "callbacks.reassignForm") })
        {
            var foreign = _host.Bot.CreateAdapter("a:" + user + "-other", user, "tenant-cb-other", locale);
            var replies = await _host.SubmitAsync(foreign, new { verb, taskId = task.Id, tenantId = CallbacksHost.Tenant });
            Assert.Equal(verb == "callbacks.start" ? notFound : supervisorOnly, Texts(replies));
            AssertNoCustomer(replies);
        }

        // No role: a rep asks for the reassignment form, real id or made up alike (the refusal comes before the task is read).
        foreach (var id in new[] { task.Id, "no-such-task" })
        {
            var replies = await _host.SubmitAsync(_host.Adapter(CallbacksHost.RepB, locale), new { verb = "callbacks.reassign", taskId = id, rep = CallbacksHost.RepB });
            Assert.Equal(supervisorOnly, Texts(replies));
            AssertNoCustomer(replies);
        }
        // A rep the task is not assigned to.
        var other = await _host.SubmitAsync(_host.Adapter(CallbacksHost.RepB, locale), new { verb = "callbacks.start", taskId = task.Id });
        Assert.Equal(notAssigned, Texts(other));
        AssertNoCustomer(other);

        var after = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));
        Assert.Equal(CallbacksHost.RepA, after.RepId);
        Assert.Equal(task.ETag, after.ETag);
    }

    private static string Texts(IEnumerable<IActivity> replies) => CallKit.Texts(replies);

    private static void AssertNoCustomer(List<IActivity> replies)
    {
        Assert.DoesNotContain(replies, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        Assert.DoesNotContain("13800138000", Newtonsoft.Json.JsonConvert.SerializeObject(replies));
    }
}
