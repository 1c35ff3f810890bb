using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.CustomerService;

/// <summary>
/// A card action on one customer's file: the file the card names (its key) is loaded in the
/// turn's tenant with its history, and the permission is decided on it as stored.
/// </summary>
public abstract class CustomerAction(IAuthorizationService authorization, CustomerFiles files, CustomerViews views) : CardActionHandler<CustomerHistory>(authorization)
{
    protected CustomerFiles Files => files;

    protected CustomerViews Views => views;

    public override string? PersonalOnlyReasonKey => "customers.personalOnly";

    protected override string NotFoundKey => "customers.gone";

    protected override async Task<CustomerHistory?> LoadAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var key = action.Field("key", 41);
        if (key.Length is 0 or > 40)
        {
            return null;
        }
        var file = await files.GetAsync(action.Tenant, key, cancellationToken).ConfigureAwait(false);
        return file == null ? null : await files.HistoryAsync(file, cancellationToken).ConfigureAwait(false);
    }

    protected override AuthorizationResource? ResourceOf(CustomerHistory record) => record.Resource;

    /// <summary>Sends the file again (latest state) with a notice on top.</summary>
    protected async Task<CardActionResult> ShowAsync(CardActionContext action, CustomerHistory history, string notice, string color, CancellationToken cancellationToken)
    {
        await views.ShowAsync(action.Turn, history, cancellationToken, notice, color).ConfigureAwait(false);
        return CardActionResult.Done;
    }

    /// <summary>
    /// The file as it is now, to show after a change. Null when it cannot be read: after a change
    /// that was saved, storage failing here must not turn "saved" into "not saved" (the caller says
    /// what was saved in words instead).
    /// </summary>
    protected async Task<CustomerHistory?> ReloadAsync(CustomerHistory history, CancellationToken cancellationToken)
    {
        try
        {
            return await files.GetAsync(history.File.TenantId, history.File.Key, cancellationToken).ConfigureAwait(false) is { } file
                ? await files.HistoryAsync(file, cancellationToken).ConfigureAwait(false)
                : null;
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            return null;
        }
    }

    /// <summary>The notice with the latest file, or the notice alone when the file could not be read again.</summary>
    protected async Task<CardActionResult> AnswerAsync(CardActionContext action, CustomerHistory? latest, string notice, string color, CancellationToken cancellationToken)
    {
        if (latest == null)
        {
            return new CardActionResult(Message: notice);
        }
        try
        {
            return await ShowAsync(action, latest, notice, color, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            return new CardActionResult(Message: notice);
        }
    }
}

/// <summary>"打开" on a customer list: the customer's file.</summary>
public sealed class OpenCustomerAction(IAuthorizationService authorization, CustomerFiles files, CustomerViews views) : CustomerAction(authorization, files, views)
{
    public override string Verb => "customers.open";

    protected override string Permission => CustomerServicePermissions.CustomerView;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CustomerHistory record, CancellationToken cancellationToken)
    {
        await Views.ShowAsync(action.Turn, record, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"保存分类": the supervisor's category, priority and owning rep (资料整理, 分派专人管理).</summary>
public sealed class SortCustomerAction(IAuthorizationService authorization, CustomerFiles files, CustomerViews views) : CustomerAction(authorization, files, views)
{
    public override string Verb => "customers.sort";

    protected override string Permission => CustomerServicePermissions.CustomerSort;

    /// <summary>By role: someone who may not sort learns nothing about the file.</summary>
    protected override bool PermissionOnRecord => false;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CustomerHistory record, CancellationToken cancellationToken)
    {
        var category = action.Field("category", 20);
        var priority = action.Field("priority", 20);
        if (!CustomerSorting.Categories.Contains(category, StringComparer.Ordinal) || !CustomerSorting.Priorities.Contains(priority, StringComparer.Ordinal))
        {
            return action.Say("customers.badSort");
        }
        Person? owner = null;
        var ownerId = action.Field("owner", 200);
        if (ownerId.Length > 0 && ownerId != record.File.OwnerId)
        {
            owner = (await Files.RepsAsync(action.Tenant, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.UserId == ownerId);
            if (owner == null)
            {
                return action.Say("customers.badOwner");
            }
        }
        var actor = await Views.ActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        // The card's version: a card older than the file (someone sorted or noted meanwhile) saves
        // nothing. It is compared with the file just read, never handed to storage as a condition
        // (a forged "*" would overwrite unconditionally, a malformed one fail as a bad request).
        var version = action.Field("version", 200);
        var cardIsCurrent = version.Length == 0 || version == record.File.ETag;
        var saved = cardIsCurrent ? await Files.SortAsync(record.File, category, priority, owner, actor, cancellationToken).ConfigureAwait(false) : default;
        var latest = await ReloadAsync(record, cancellationToken).ConfigureAwait(false);
        if (!cardIsCurrent || saved.IsChanged)
        {
            return await AnswerAsync(action, latest, action.L("customers.changed"), "Attention", cancellationToken).ConfigureAwait(false);
        }
        var f = saved.Value!;
        var notice = action.L("customers.sorted", action.L("customers.categories." + f.Category), action.L("customers.priorities." + f.Priority),
            f.OwnerName is { Length: > 0 } name ? name : action.L("customers.nobody"));
        return await AnswerAsync(action, latest, notice, "Good", cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"添加备案": a note on the file by a supervisor or one of the customer's reps; ticked, it records the first contact.</summary>
public sealed class NoteCustomerAction(IAuthorizationService authorization, CustomerFiles files, CustomerViews views) : CustomerAction(authorization, files, views)
{
    public override string Verb => "customers.note";

    protected override string Permission => CustomerServicePermissions.CustomerNote;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CustomerHistory record, CancellationToken cancellationToken)
    {
        var max = Files.Options.EffectiveNoteMaxLength;
        var text = action.Field("note");
        if (text.Length == 0)
        {
            return action.Say("customers.noteEmpty");
        }
        if (text.Length > max)
        {
            return action.Say("customers.noteTooLong", max, text.Length);
        }
        var contact = action.Field("contact", 5) == "true";
        var actor = await Views.ActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        var saved = await Files.AddNoteAsync(record.File, actor, text, contact, cancellationToken).ConfigureAwait(false);
        var latest = await ReloadAsync(record, cancellationToken).ConfigureAwait(false);
        if (saved.IsChanged)
        {
            return await AnswerAsync(action, latest, action.L("customers.changed"), "Attention", cancellationToken).ConfigureAwait(false);
        }
        var notice = action.L(contact && !record.File.IsContacted ? "customers.notedContact" : "customers.noted");
        return await AnswerAsync(action, latest, notice, "Good", cancellationToken).ConfigureAwait(false);
    }
}
