using ChatRegs.TestSupport;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Hosting;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Tests.Turns;

/// <summary>Whole turns through the real bot, its middleware and error handler, on Azurite.</summary>
public sealed class TurnTests : IAsyncLifetime
{
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JObject CardOf(IActivity reply)
    {
        var message = Assert.IsAssignableFrom<IMessageActivity>(reply);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        return Assert.IsType<JObject>(attachment.Content);
    }

    private static string AllText(JObject card) =>
        string.Join("\n", card.Descendants().OfType<JProperty>().Where(p => p.Name is "text" or "title").Select(p => p.Value.ToString()));

    private async Task<List<IActivity>> SendAsync(TestAdapter adapter, Activity activity)
    {
        await adapter.ProcessActivityAsync(activity, _host.Bot.OnTurnAsync, default);
        var replies = new List<IActivity>();
        while (adapter.ActiveQueue.Count > 0)
        {
            var reply = adapter.GetNextReply();
            if (reply.Type != ActivityTypes.Trace)
            {
                replies.Add(reply);
            }
        }
        return replies;
    }

    private static Activity Message(string text, string? locale = null) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Locale = locale,
    };

    [Fact]
    public async Task Help_in_Chinese_lists_the_commands_in_Chinese()
    {
        var replies = await SendAsync(_host.CreateAdapter(), Message("帮助"));
        var text = AllText(CardOf(Assert.Single(replies)));
        Assert.Contains("ChatRegs 制度助手", text);
        Assert.Contains("帮助", text);
        Assert.DoesNotContain("What I can do", text);
    }

    [Fact]
    public async Task Help_in_English_when_the_locale_is_English()
    {
        var replies = await SendAsync(_host.CreateAdapter(locale: "en-US"), Message("help", "en-US"));
        var text = AllText(CardOf(Assert.Single(replies)));
        Assert.Contains("ChatRegs regulations assistant", text);
        Assert.DoesNotContain("制度助手", text);
    }

    // From a Chinese client: an English command word is answered in English (docs/language.md).
    [Theory]
    [InlineData("  HELP  ", "ChatRegs regulations assistant")]
    [InlineData("/帮助", "制度助手")]
    [InlineData("？", "制度助手")]
    public async Task Help_words_are_recognised_however_they_are_typed(string text, string title)
    {
        var replies = await SendAsync(_host.CreateAdapter(), Message(text));
        Assert.Contains(title, AllText(CardOf(Assert.Single(replies))));
    }

    [Fact]
    public async Task Anything_unrecognised_gets_the_help_card()
    {
        var replies = await SendAsync(_host.CreateAdapter(), Message("今天天气怎么样 ${x} \"}"));
        Assert.Contains("制度助手", AllText(CardOf(Assert.Single(replies))));
    }

    [Fact]
    public async Task The_help_card_buttons_run_their_command()
    {
        var adapter = _host.CreateAdapter();
        var card = CardOf(Assert.Single(await SendAsync(adapter, Message("帮助"))));
        var submit = card.Descendants().OfType<JObject>().First(o => (string?)o["type"] == "Action.Submit");
        Assert.Equal("help.run", (string?)submit["data"]?["verb"]);

        var click = new Activity { Type = ActivityTypes.Message, Value = submit["data"]!.DeepClone(), ChannelData = new JObject { ["postBack"] = true } };
        var replies = await SendAsync(adapter, click);
        Assert.NotEmpty(replies);
    }

    [Fact]
    public async Task A_card_action_with_an_unknown_verb_is_answered_not_ignored()
    {
        var click = new Activity { Type = ActivityTypes.Message, Value = new JObject { ["verb"] = "no.such.verb" } };
        var reply = Assert.Single(await SendAsync(_host.CreateAdapter(), click));
        Assert.Contains("按钮已经失效", reply.AsMessageActivity().Text);
    }

    [Fact]
    public async Task Cancel_with_nothing_running_says_so()
    {
        var reply = Assert.Single(await SendAsync(_host.CreateAdapter(), Message("取消")));
        Assert.Equal("当前没有进行中的操作。", reply.AsMessageActivity().Text);
    }

    private static Activity BotAdded() => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        MembersAdded = [new ChannelAccount("28:bot", "ChatRegs")],
    };

    [Fact]
    public async Task Installing_the_bot_welcomes_the_conversation_once()
    {
        var adapter = _host.CreateAdapter();
        var first = await SendAsync(adapter, BotAdded());
        Assert.Contains("欢迎使用 ChatRegs", AllText(CardOf(Assert.Single(first))));

        Assert.Empty(await SendAsync(adapter, BotAdded()));
        Assert.Empty(await SendAsync(adapter, new Activity { Type = ActivityTypes.InstallationUpdate, Action = "add" }));

        // Another conversation is welcomed on its own.
        var other = _host.CreateAdapter(conversationId: "a:conv-2");
        Assert.Single(await SendAsync(other, new Activity { Type = ActivityTypes.InstallationUpdate, Action = "add" }));
    }

    [Fact]
    public async Task Teams_announcing_an_installation_twice_at_once_gets_one_welcome()
    {
        // Teams sends installationUpdate and the bot's own conversationUpdate together (Microsoft's
        // Teams emulator in the same millisecond): before the fix both read "not welcomed" and
        // the person saw the welcome twice, once per language.
        for (var i = 0; i < 5; i++)
        {
            var conversation = $"a:installed-{i}";
            var installation = SendAsync(_host.CreateAdapter(conversationId: conversation), new Activity { Type = ActivityTypes.InstallationUpdate, Action = "add", Locale = "en-US" });
            var botAdded = SendAsync(_host.CreateAdapter(conversationId: conversation), BotAdded());
            var replies = (await installation).Concat(await botAdded).ToList();
            var welcome = Assert.Single(replies);
            Assert.Matches("欢迎使用 ChatRegs|Welcome to ChatRegs", AllText(CardOf(welcome)));
        }
    }

    [Fact]
    public async Task A_person_joining_is_not_a_reason_to_welcome_again()
    {
        var adapter = _host.CreateAdapter(conversationType: "groupChat");
        var joined = new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [new ChannelAccount("29:someone-else", "李四")] };
        Assert.Empty(await SendAsync(adapter, joined));
    }

    [Fact]
    public async Task Conversation_references_are_kept_for_the_conversation_and_the_person()
    {
        await SendAsync(_host.CreateAdapter(conversationId: "a:personal-9", userId: "29:user-9"), Message("帮助"));
        var store = _host.Services.GetRequiredService<ConversationReferenceStore>();

        var conversation = await store.GetConversationAsync("tenant-1", "a:personal-9", default);
        Assert.NotNull(conversation);
        Assert.Equal("https://smba.trafficmanager.net/teams/", conversation!.ServiceUrl);

        var personal = await store.GetPersonalConversationAsync("tenant-1", "29:user-9", default);
        Assert.Equal("a:personal-9", personal?.Conversation.Id);

        // A later group-chat message from the same person keeps their 1:1 reference.
        await SendAsync(_host.CreateAdapter(conversationId: "19:group@thread.v2", userId: "29:user-9", conversationType: "groupChat"), Message("帮助"));
        Assert.Equal("a:personal-9", (await store.GetPersonalConversationAsync("tenant-1", "29:user-9", default))?.Conversation.Id);
        Assert.NotNull(await store.GetConversationAsync("tenant-1", "19:group@thread.v2", default));
    }
}

public sealed class TenantFilterTests
{
    [Fact]
    public async Task Turns_from_tenants_not_on_the_allow_list_are_dropped_and_logged()
    {
        await using var host = await BotTestHost.StartAsync(new() { ["ChatRegs:AllowedTenants:0"] = "tenant-ok" });

        var stranger = host.CreateAdapter(tenantId: "tenant-other", conversationId: "a:stranger");
        await stranger.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "帮助" }, host.Bot.OnTurnAsync, default);
        Assert.Empty(stranger.ActiveQueue);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("tenant-other"));
        // Nothing about the stranger was stored.
        var store = host.Services.GetRequiredService<ConversationReferenceStore>();
        Assert.Null(await store.GetConversationAsync("tenant-other", "a:stranger", default));

        var member = host.CreateAdapter(tenantId: "tenant-ok");
        await member.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "帮助" }, host.Bot.OnTurnAsync, default);
        Assert.NotEmpty(member.ActiveQueue);
    }

    [Fact]
    public async Task A_star_in_the_list_serves_any_tenant_explicitly()
    {
        await using var host = await BotTestHost.StartAsync(new() { ["ChatRegs:AllowedTenants:0"] = "*" });
        var anyone = host.CreateAdapter(tenantId: "tenant-anyone", conversationId: "a:anyone");
        await anyone.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "帮助" }, host.Bot.OnTurnAsync, default);
        Assert.NotEmpty(anyone.ActiveQueue);
    }

    [Fact]
    public async Task Turns_naming_no_tenant_are_dropped_when_a_list_is_configured()
    {
        await using var host = await BotTestHost.StartAsync(new() { ["ChatRegs:AllowedTenants:0"] = "tenant-ok" });
        var adapter = host.CreateAdapter(tenantId: null!);
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "帮助" }, host.Bot.OnTurnAsync, default);
        Assert.Empty(adapter.ActiveQueue);
    }
}

public sealed class ErrorHandlerTests
{
    private sealed class Marker
    {
        public string? Value { get; set; }
    }

    [Theory]
    [InlineData(null, "抱歉，机器人出了点问题")]
    [InlineData("en-US", "Sorry, something went wrong")]
    public async Task A_failing_turn_apologises_in_the_users_language_without_the_exception_and_clears_the_conversation_state(string? locale, string expected)
    {
        await using var host = await BotTestHost.StartAsync();
        var adapter = host.CreateAdapter(locale: locale);
        var state = host.Services.GetRequiredService<ConversationState>();
        var marker = state.CreateProperty<Marker>("Marker");

        // A first turn leaves some conversation state behind.
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "x", Locale = locale }, async (ctx, ct) =>
        {
            await marker.SetAsync(ctx, new Marker { Value = "before" }, ct);
            await state.SaveChangesAsync(ctx, false, ct);
        }, default);

        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "boom", Locale = locale },
            (_, _) => throw new InvalidOperationException("secret connection string inside"), default);

        var reply = adapter.GetNextReply().AsMessageActivity();
        Assert.StartsWith(expected, reply.Text);
        Assert.DoesNotContain("secret", reply.Text);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret connection string inside");

        string? after = "unset";
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "x" }, async (ctx, ct) =>
        {
            after = (await marker.GetAsync(ctx, () => new Marker(), ct)).Value;
        }, default);
        Assert.Null(after);
    }

    [Theory]
    [InlineData(null, "这条记录太大")]
    [InlineData("en-US", "This record is too large to be stored")]
    public async Task A_record_too_large_to_store_is_reported_as_such_not_as_try_again_and_the_flow_is_kept(string? locale, string expected)
    {
        await using var host = await BotTestHost.StartAsync();
        var adapter = host.CreateAdapter(locale: locale);
        var state = host.Services.GetRequiredService<ConversationState>();
        var marker = state.CreateProperty<Marker>("Marker");
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "x", Locale = locale }, async (ctx, ct) =>
        {
            await marker.SetAsync(ctx, new Marker { Value = "the form being filled" }, ct);
            await state.SaveChangesAsync(ctx, false, ct);
        }, default);

        // A store refuses a record before any request (TableJson), as it does for anything past one entity.
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "save", Locale = locale }, (_, _) =>
        {
            var entity = new Azure.Data.Tables.TableEntity("p", "r");
            ChatRegs.Bot.Storage.TableJson.PutText(entity, "Data", new string('字', ChatRegs.Bot.Storage.TableJson.MaxEntityChars + 1));
            return Task.CompletedTask;
        }, default);

        var reply = adapter.GetNextReply().AsMessageActivity();
        Assert.StartsWith(expected, reply.Text);
        Assert.DoesNotContain("稍后再试", reply.Text);
        Assert.DoesNotContain("try again.", reply.Text);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);

        string? after = null;
        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "x" }, async (ctx, ct) =>
        {
            after = (await marker.GetAsync(ctx, () => new Marker(), ct)).Value;
        }, default);
        Assert.Equal("the form being filled", after);
    }

    [Theory]
    [InlineData(503, false)]
    [InlineData(409, false)]
    [InlineData(400, true)]
    [InlineData(403, true)]
    public async Task Busy_storage_is_a_warning_and_storage_refusing_a_request_is_an_error_both_answered_not_saved(int status, bool error)
    {
        await using var host = await BotTestHost.StartAsync();
        var adapter = host.CreateAdapter();

        await adapter.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "save" },
            (_, _) => throw new Azure.RequestFailedException(status, $"storage answered {status}"), default);

        Assert.StartsWith("没有保存成功，请稍后再试", adapter.GetNextReply().AsMessageActivity().Text);
        var entry = Assert.Single(host.Logs.Entries, e => e.Level >= LogLevel.Warning && (e.Message.Contains($"storage answered {status}", StringComparison.Ordinal) || e.Exception?.Message.Contains($"storage answered {status}", StringComparison.Ordinal) == true));
        Assert.Equal(error ? LogLevel.Error : LogLevel.Warning, entry.Level);
        // A warning says why in one line; an error keeps the exception for its stack trace.
        Assert.Equal(error, entry.Exception != null);
    }

    [Fact]
    public void Timeouts_network_errors_conflicts_and_server_errors_pass_on_their_own_bad_requests_do_not()
    {
        Assert.True(ChatRegs.Bot.Core.StorageProblems.IsTransient(new Azure.RequestFailedException(503, "busy")));
        Assert.True(ChatRegs.Bot.Core.StorageProblems.IsTransient(new Azure.RequestFailedException(412, "changed")));
        Assert.True(ChatRegs.Bot.Core.StorageProblems.IsTransient(new Azure.RequestFailedException(0, "lost", new IOException("reset"))));
        Assert.True(ChatRegs.Bot.Core.StorageProblems.IsTransient(new ChatRegs.Bot.Storage.StorageConflictException("k", "e")));
        Assert.True(ChatRegs.Bot.Core.StorageProblems.IsTransient(new AggregateException(
            new TaskCanceledException("exceeded the configured timeout. Network timeout can be adjusted in ClientOptions.Retry.NetworkTimeout."),
            new TaskCanceledException("exceeded the configured timeout. Network timeout can be adjusted in ClientOptions.Retry.NetworkTimeout."))));
        Assert.False(ChatRegs.Bot.Core.StorageProblems.IsTransient(new Azure.RequestFailedException(400, "OutOfRangeInput")));
        Assert.False(ChatRegs.Bot.Core.StorageProblems.IsTransient(new Azure.RequestFailedException(404, "TableNotFound")));
        Assert.False(ChatRegs.Bot.Core.StorageProblems.IsTransient(new AggregateException(new Azure.RequestFailedException(503, "busy"), new Azure.RequestFailedException(400, "bad"))));
        Assert.False(ChatRegs.Bot.Core.StorageProblems.IsTransient(new InvalidOperationException("not storage")));
    }

    private sealed class Counter
    {
        public int Value { get; set; }

        public string? Writer { get; set; }
    }

    [Fact]
    public async Task Two_bot_instances_writing_one_conversation_cannot_silently_overwrite_each_other()
    {
        // Two hosts = two bot instances (each its own ConversationState and adapter) on one storage.
        await using var first = await BotTestHost.StartAsync();
        await using var second = await BotTestHost.StartAsync(tablePrefix: first.TablePrefix);
        var adapterA = first.CreateAdapter(conversationId: "a:shared");
        var adapterB = second.CreateAdapter(conversationId: "a:shared");

        BotCallbackHandler Turn(BotTestHost host, string name, Func<Task> afterLoad) => async (ctx, ct) =>
        {
            var state = host.Services.GetRequiredService<ConversationState>();
            var counter = await state.CreateProperty<Counter>("Counter").GetAsync(ctx, () => new Counter(), ct);
            await afterLoad();
            counter.Value++;
            counter.Writer = name;
            await state.SaveChangesAsync(ctx, false, ct);
            await ctx.SendActivityAsync("saved by " + name, cancellationToken: ct);
        };

        // The conversation already has state (as it does after its first turn).
        await adapterA.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "prime" }, Turn(first, "prime", () => Task.CompletedTask), default);
        adapterA.GetNextReply();

        // Both instances load the same state before either saves.
        var bothLoaded = new TaskCompletionSource();
        var loaded = 0;
        Task Rendezvous()
        {
            if (Interlocked.Increment(ref loaded) == 2)
            {
                bothLoaded.SetResult();
            }
            return bothLoaded.Task;
        }
        await Task.WhenAll(
            adapterA.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "a" }, Turn(first, "A", Rendezvous), default),
            adapterB.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "b" }, Turn(second, "B", Rendezvous), default));

        var replies = new[] { adapterA.GetNextReply().AsMessageActivity().Text, adapterB.GetNextReply().AsMessageActivity().Text };
        Assert.Single(replies, r => r.StartsWith("saved by "));
        Assert.Single(replies, r => r == "没有保存成功，请稍后再试。已保存的内容不受影响。");

        // The stored value is the winner's, counted once, and not wiped by the error handler.
        var winner = replies.Single(r => r.StartsWith("saved by "))["saved by ".Length..];
        Counter? stored = null;
        await adapterA.ProcessActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "read" }, async (ctx, ct) =>
        {
            stored = await first.Services.GetRequiredService<ConversationState>().CreateProperty<Counter>("Counter").GetAsync(ctx, () => new Counter(), ct);
        }, default);
        Assert.Equal(2, stored!.Value);
        Assert.Equal(winner, stored.Writer);
    }
}
