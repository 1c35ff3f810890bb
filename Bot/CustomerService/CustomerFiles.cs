using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.CustomerService;

/// <summary>One customer's whole history: services (imports), callbacks and answers, complaints, notes.</summary>
public sealed record CustomerHistory(
    CustomerFile File,
    IReadOnlyList<CallbackTask> Services,
    IReadOnlyList<CallRecord> Calls,
    IReadOnlyList<Complaint> Complaints,
    IReadOnlyList<CustomerNote> Notes)
{
    /// <summary>Who may read the file as a rep: its owner, the reps the services were given to, the reps who called.</summary>
    public AuthorizationResource Resource => CustomerFiles.ResourceOf(File, Services, Calls);
}

/// <summary>
/// 客户资料管理 (客服工作职责(6) 一): the customer files made from the imported service records, the
/// supervisor's sorting (category, priority, the owning rep), the first contact within a week,
/// and the notes kept on each file. The only caller of <see cref="CustomerServiceStore"/>'s
/// customer rows.
/// </summary>
public sealed class CustomerFiles(
    CustomerServiceStore store,
    CallbackService callbacks,
    ComplaintService complaints,
    RoleHolders roles,
    IOptions<CustomerServiceOptions> options,
    TeamClock clock,
    ILogger<CustomerFiles> logger)
{
    public CustomerServiceOptions Options { get; } = options.Value;

    public TeamClock Clock => clock;

    public DateOnly Today => clock.Today;

    public static AuthorizationResource ResourceOf(CustomerFile file, IEnumerable<CallbackTask> services, IEnumerable<CallRecord> calls)
    {
        var reps = new HashSet<string>(StringComparer.Ordinal);
        if (file.OwnerId != null)
        {
            reps.Add(file.OwnerId);
        }
        foreach (var t in services)
        {
            if (t.RepId != null)
            {
                reps.Add(t.RepId);
            }
        }
        foreach (var c in calls)
        {
            reps.Add(c.RepId);
        }
        return new AuthorizationResource("customer", file.Key)
        {
            PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>> { [CustomerRoles.Rep] = reps },
        };
    }

    /// <summary>The customer key of a phone as typed or imported ("" when it holds no digits).</summary>
    public static string KeyOf(string phone) => CallbackStore.NormalizePhone(phone);

    /// <summary>
    /// Makes a file for every customer of the imported service records that has none (资料收集:
    /// the day's served customers), and brings existing files up to date: the owner from the first
    /// assigned service when none was named, the first contact from a finished callback, the name
    /// and phone as last imported. Safe to run at any time and twice at once (insert-once rows,
    /// ETag updates; a file someone changed meanwhile is brought up to date the next time).
    /// </summary>
    public async Task<IReadOnlyList<CustomerFile>> SyncAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tasks = await callbacks.AllTasksAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var files = (await store.ListCustomersAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.Key, StringComparer.Ordinal);
        var now = clock.Now;
        foreach (var group in tasks.GroupBy(t => KeyOf(t.Phone), StringComparer.Ordinal).Where(g => g.Key.Length is > 0 and <= 40))
        {
            var ordered = group.OrderBy(t => t.ServiceDate).ThenBy(t => t.ImportedUtc).ToList();
            var first = ordered[0];
            var latest = ordered[^1];
            var assigned = ordered.FirstOrDefault(t => t.RepId != null);
            var finished = ordered.Where(t => t.Status == CallbackStatus.Finished && t.FinishedUtc != null).OrderBy(t => t.FinishedUtc).FirstOrDefault();
            if (!files.TryGetValue(group.Key, out var file))
            {
                var fresh = new CustomerFile
                {
                    TenantId = tenantId,
                    Key = group.Key,
                    Name = latest.CustomerName,
                    Title = latest.Title,
                    Phone = latest.Phone,
                    IsMember = ordered.Any(t => t.IsMember),
                    FirstServiceDate = first.ServiceDate,
                    DueDate = first.ServiceDate.AddDays(Options.EffectiveFirstContactDays),
                    OwnerId = assigned?.RepId,
                    OwnerName = assigned?.RepName,
                    ContactedUtc = finished?.FinishedUtc,
                    ContactedByName = finished?.RepName,
                    CreatedUtc = now,
                };
                var added = await store.AddCustomerAsync(fresh, cancellationToken).ConfigureAwait(false);
                if (added.IsWritten)
                {
                    files[group.Key] = added.Value!;
                }
                else if (await store.GetCustomerAsync(tenantId, group.Key, cancellationToken).ConfigureAwait(false) is { } other)
                {
                    files[group.Key] = other;
                }
                continue;
            }
            var changed = file with
            {
                Name = latest.CustomerName,
                Title = latest.Title,
                Phone = latest.Phone,
                IsMember = file.IsMember || ordered.Any(t => t.IsMember),
            };
            if (changed.OwnerId == null && assigned != null)
            {
                changed = changed with { OwnerId = assigned.RepId, OwnerName = assigned.RepName };
            }
            if (!changed.IsContacted && finished != null)
            {
                changed = changed with { ContactedUtc = finished.FinishedUtc, ContactedByName = finished.RepName };
            }
            if (changed != file)
            {
                var saved = await store.UpdateCustomerAsync(changed, cancellationToken).ConfigureAwait(false);
                if (saved.IsWritten)
                {
                    files[group.Key] = saved.Value!;
                }
                else
                {
                    logger.LogInformation("Customer file {Key} in tenant {TenantId} changed meanwhile; brought up to date next time.", group.Key, tenantId);
                }
            }
        }
        return files.Values.ToList();
    }

    public Task<CustomerFile?> GetAsync(string tenantId, string key, CancellationToken cancellationToken) => store.GetCustomerAsync(tenantId, key, cancellationToken);

    /// <summary>
    /// The customers a query names: by phone (the digits, normalized) when it has 5 or more
    /// digits and nothing else but separators, else by name (exactly, then containing it).
    /// </summary>
    public static IReadOnlyList<CustomerFile> Find(IReadOnlyList<CustomerFile> files, string query)
    {
        var q = query.Trim();
        if (q.Length == 0)
        {
            return [];
        }
        var digits = KeyOf(q);
        if (digits.Length >= 5 && q.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')'))
        {
            return files.Where(f => f.Key == digits).ToList();
        }
        var exact = files.Where(f => string.Equals(f.Name, q, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : files.Where(f => f.Name.Contains(q, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>The customer's whole history (services, calls, complaints, notes), newest first.</summary>
    public async Task<CustomerHistory> HistoryAsync(CustomerFile file, CancellationToken cancellationToken)
    {
        var tasks = (await callbacks.AllTasksAsync(file.TenantId, cancellationToken).ConfigureAwait(false))
            .Where(t => KeyOf(t.Phone) == file.Key).OrderByDescending(t => t.ServiceDate).ThenByDescending(t => t.ImportedUtc).ToList();
        var calls = new List<CallRecord>();
        foreach (var task in tasks)
        {
            calls.AddRange(await callbacks.CallsOfTaskAsync(file.TenantId, task.Id, cancellationToken).ConfigureAwait(false));
        }
        var taskIds = tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var theirs = (await complaints.ListAsync(file.TenantId, cancellationToken).ConfigureAwait(false))
            .Where(c => (c.FromCallbackTaskId != null && taskIds.Contains(c.FromCallbackTaskId)) || KeyOf(c.Contact) == file.Key)
            .OrderByDescending(c => c.ReceivedUtc).ToList();
        var notes = (await store.NotesAsync(file.TenantId, file.Key, cancellationToken).ConfigureAwait(false)).OrderByDescending(n => n.AtUtc).ToList();
        return new CustomerHistory(file, tasks, calls.OrderByDescending(c => c.EndedUtc).ToList(), theirs, notes);
    }

    /// <summary>Everyone holding the rep role (whom a file may be given to).</summary>
    public async Task<IReadOnlyList<Person>> RepsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await roles.HoldersAsync(tenantId, Roles.CsRep, cancellationToken).ConfigureAwait(false)).People;

    /// <summary>资料整理: the supervisor's category, priority and owning rep. Changed: someone else saved it meanwhile.</summary>
    public Task<Saved<CustomerFile>> SortAsync(CustomerFile file, string category, string priority, Person? owner, Person actor, CancellationToken cancellationToken) =>
        store.UpdateCustomerAsync(file with
        {
            Category = category,
            Priority = priority,
            OwnerId = owner?.UserId ?? file.OwnerId,
            OwnerName = owner?.Name ?? file.OwnerName,
            SortedById = actor.UserId,
            SortedByName = actor.Name,
            SortedUtc = clock.Now,
        }, cancellationToken);

    /// <summary>A note on the file; a contact note is the first contact when there was none (the note and the file in one transaction).</summary>
    public Task<Saved<CustomerNote>> AddNoteAsync(CustomerFile file, Person actor, string text, bool contact, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var note = new CustomerNote { Key = file.Key, AtUtc = now, AuthorId = actor.UserId, AuthorName = actor.Name, Text = text, Contact = contact };
        var changed = contact && !file.IsContacted ? file with { ContactedUtc = now, ContactedByName = actor.Name } : null;
        return store.AddNoteAsync(file.TenantId, note, changed, cancellationToken);
    }

    /// <summary>Marks the file's rep as reminded today (a file changed meanwhile is left: it is reminded again at worst).</summary>
    public async Task MarkRemindedAsync(CustomerFile file, DateOnly today, CancellationToken cancellationToken) =>
        await store.UpdateCustomerAsync(file with { RemindedOn = today }, cancellationToken).ConfigureAwait(false);
}
