using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Tests.Architecture;

/// <summary>
/// One path for card actions: every card action handler of the bot derives from the card-action
/// base (Bot/Routing/CardActionHandler.cs), which decides the permission before the handler runs
/// and loads the record the card names in the sender's tenant. Only the actions anyone may press,
/// with no permission and no record, implement <see cref="ICardActionHandler"/> directly; they
/// are listed here by name, so a new one is a decision someone makes and reads in review.
/// Read from the bot's assembly, so a new handler is covered without being listed.
/// </summary>
public sealed class CardActionRulesTests
{
    /// <summary>The actions anyone may press (see the base's doc comment).</summary>
    private static readonly string[] AnyoneMayPress = ["NewComplaintAction", "RunCommandAction", "ShowDutiesAction"];

    /// <summary>The types among <paramref name="types"/> that implement the handler interface themselves, rather than through the base.</summary>
    public static IReadOnlyList<Type> DirectHandlers(IEnumerable<Type> types) =>
        types.Where(t => t.IsClass
                && typeof(ICardActionHandler).IsAssignableFrom(t)
                && !(t.BaseType != null && typeof(ICardActionHandler).IsAssignableFrom(t.BaseType))
                && t != typeof(CardActionHandler)
                && !(t.IsGenericTypeDefinition && t == typeof(CardActionHandler<>)))
            .ToList();

    [Fact]
    public void Every_card_action_handler_uses_the_base_except_those_anyone_may_press()
    {
        var bot = typeof(CardActionRouter).Assembly;
        var all = bot.GetTypes().Where(t => typeof(ICardActionHandler).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract).ToList();
        // The rule sees the handlers (a sanity check that it reads the right assembly).
        Assert.Contains(all, t => t.Name == "CheckInAction");
        Assert.Contains(all, t => t.Name == "AgendaActionHandler");

        var direct = DirectHandlers(bot.GetTypes()).Select(t => t.Name).ToList();
        var offences = direct.Except(AnyoneMayPress, StringComparer.Ordinal).ToList();
        Assert.True(offences.Count == 0,
            "derive these card action handlers from CardActionHandler or CardActionHandler<TRecord> (Bot/Routing/CardActionHandler.cs), "
            + "which checks the permission before the handler and loads the record in the sender's tenant:\n" + string.Join("\n", offences));
        // The allow-list holds only what exists: a name left over after its class moved to the base goes.
        Assert.Equal(AnyoneMayPress.Order(StringComparer.Ordinal), direct.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_rule_sees_a_handler_that_bypasses_the_base()
    {
        var direct = DirectHandlers([typeof(Bypassing), typeof(OnTheBase), typeof(CardActionHandler), typeof(CardActionHandler<>), typeof(string)]);
        Assert.Equal([typeof(Bypassing)], direct);
    }

    private sealed class Bypassing : ICardActionHandler
    {
        public string Verb => "test.bypass";

        public Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken) => Task.FromResult(CardActionResult.Done);
    }

    private sealed class OnTheBase(IAuthorizationService authorization) : CardActionHandler(authorization)
    {
        public override string Verb => "test.base";

        protected override string Permission => "test.permission";

        protected override Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken) => Task.FromResult(CardActionResult.Done);
    }
}
