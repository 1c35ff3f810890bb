using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.CustomerService;

/// <summary>What the customer command and the customer card actions share: who is asking, the file as they may see it.</summary>
public sealed class CustomerViews(IAuthorizationService authorization, CustomerFiles files, CustomerCards cards, RoleHolders roles, PeopleDirectory people, CustomerServiceSchedule schedule, Localizer localizer)
{
    public static string LocaleOf(ITurnContext turn) => turn.Activity.Locale ?? "";

    public static string TenantOf(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";

    public string L(ITurnContext turn, string key, params object?[] args) => localizer.Get(LocaleOf(turn), "customers." + key, args);

    public Task SayAsync(ITurnContext turn, string key, CancellationToken cancellationToken, params object?[] args) =>
        turn.SendActivityAsync(MessageFactory.Text(L(turn, key, args)), cancellationToken);

    /// <summary>
    /// Whether the sender may go on with <paramref name="action"/>: in their 1:1 chat (else told so,
    /// with <paramref name="personalOnlyKey"/>) and allowed it (else the authorization service says why).
    /// </summary>
    public async Task<bool> MayAsync(ITurnContext turn, string action, CancellationToken cancellationToken, string personalOnlyKey = "customers.personalOnly")
    {
        if (!FileExporter.IsPersonal(turn.Activity))
        {
            await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(LocaleOf(turn), personalOnlyKey)), cancellationToken).ConfigureAwait(false);
            return false;
        }
        return await authorization.EnsureAllowedAsync(turn, action, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sender as the directory knows them (roles resolved), or a person with no role.</summary>
    public async Task<Person> ActorAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(turn);
        var id = turn.Activity.From?.Id ?? "";
        var person = await people.GetAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        return person != null ? roles.Resolve(person, turn.Activity.From?.AadObjectId)
            : new Person { TenantId = tenant, UserId = id, Name = TextCaps.Name(turn.Activity.From?.Name) ?? "" };
    }

    /// <summary>Brings the files up to date with the imports (and makes sure the daily run exists), then lists them.</summary>
    public async Task<IReadOnlyList<CustomerFile>> FilesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await schedule.EnsureAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await files.SyncAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The customers the viewer may list: everyone's for supervisors and managers, a rep's own otherwise.</summary>
    public static IEnumerable<CustomerFile> VisibleTo(IEnumerable<CustomerFile> all, Person viewer) =>
        viewer.Has(Roles.CsSupervisor) || viewer.Has(Roles.Manager) ? all : all.Where(f => f.OwnerId == viewer.UserId);

    /// <summary>
    /// The customer's card, when the sender may see it (else the rule's reason). The sort form
    /// shows for supervisors, the note form for supervisors and the customer's reps.
    /// </summary>
    public async Task<Microsoft.Bot.Schema.Attachment?> FileCardAsync(ITurnContext turn, CustomerHistory history, CancellationToken cancellationToken, string? notice = null, string noticeColor = "Good")
    {
        var decision = await authorization.AuthorizeAsync(turn, CustomerServicePermissions.CustomerView, history.Resource, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(LocaleOf(turn), decision.ReasonKey ?? "auth.notAllowed")), cancellationToken).ConfigureAwait(false);
            return null;
        }
        var viewer = await ActorAsync(turn, cancellationToken).ConfigureAwait(false);
        var canSort = (await authorization.AuthorizeAsync(turn, CustomerServicePermissions.CustomerSort, null, cancellationToken).ConfigureAwait(false)).Allowed;
        var canNote = (await authorization.AuthorizeAsync(turn, CustomerServicePermissions.CustomerNote, history.Resource, cancellationToken).ConfigureAwait(false)).Allowed;
        var reps = canSort ? await files.RepsAsync(history.File.TenantId, cancellationToken).ConfigureAwait(false) : [];
        return cards.File(history, viewer, canSort, canNote, reps, LocaleOf(turn), notice, noticeColor);
    }

    public async Task ShowAsync(ITurnContext turn, CustomerHistory history, CancellationToken cancellationToken, string? notice = null, string noticeColor = "Good")
    {
        if (await FileCardAsync(turn, history, cancellationToken, notice, noticeColor).ConfigureAwait(false) is { } card)
        {
            await turn.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// "客户" / "customer": alone, the first contacts due (the viewer's own for a rep); "客户 全部" /
/// "customer all" every customer the viewer may list; "客户 张丽" / "customer 13900001111" one
/// customer's file (a list to pick from when several match).
/// </summary>
public sealed class CustomerCommand(IAuthorizationService authorization, CustomerViews views, CustomerFiles files, CustomerCards cards) : IChatCommand
{
    public static readonly string[] AllWords = ["全部", "所有", "all"];

    /// <summary>A query longer than this is no name or phone.</summary>
    public const int MaxQuery = 64;

    public string Id => "customer";

    public bool ListedInHelp => true;

    public string? HelpAction => CustomerServicePermissions.CustomerList;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.MayAsync(turnContext, CustomerServicePermissions.CustomerList, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var locale = CustomerViews.LocaleOf(turnContext);
        var tenant = CustomerViews.TenantOf(turnContext);
        var viewer = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var all = await views.FilesAsync(tenant, cancellationToken).ConfigureAwait(false);
        var today = files.Today;
        if (arguments.Length == 0)
        {
            var due = CustomerViews.VisibleTo(all, viewer).Where(f => !f.IsContacted).OrderBy(f => f.DueDate).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.List(views.L(turnContext, "list.dueHeading", due.Count), views.L(turnContext, "list.dueIntro"), due, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (AllWords.Contains(arguments, StringComparer.OrdinalIgnoreCase))
        {
            var listed = CustomerViews.VisibleTo(all, viewer).OrderBy(f => f.IsSorted ? 1 : 0).ThenBy(f => f.IsContacted ? 1 : 0).ThenBy(f => f.DueDate).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.List(views.L(turnContext, "list.allHeading", listed.Count), views.L(turnContext, "list.allIntro"), listed, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        var query = arguments.Length > MaxQuery ? arguments[..MaxQuery] : arguments;
        // Only the files the person may read are found: to anyone else a customer of another rep does not exist.
        var readable = new List<CustomerHistory>();
        foreach (var candidate in CustomerFiles.Find(all, query).Take(CustomerCards.MaxListed))
        {
            var history = await files.HistoryAsync(candidate, cancellationToken).ConfigureAwait(false);
            if ((await authorization.AuthorizeAsync(turnContext, CustomerServicePermissions.CustomerView, history.Resource, cancellationToken).ConfigureAwait(false)).Allowed)
            {
                readable.Add(history);
            }
        }
        if (readable.Count == 0)
        {
            await views.SayAsync(turnContext, "notFound", cancellationToken, query).ConfigureAwait(false);
            return;
        }
        if (readable.Count == 1)
        {
            await views.ShowAsync(turnContext, readable[0], cancellationToken).ConfigureAwait(false);
            return;
        }
        var offered = readable.Select(r => r.File).ToList();
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.List(views.L(turnContext, "list.pickHeading", offered.Count), views.L(turnContext, "list.pickIntro"), offered, locale)), cancellationToken).ConfigureAwait(false);
    }
}
