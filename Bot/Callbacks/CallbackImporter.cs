using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Callbacks;

/// <summary>Runs an import from the message at hand (its file, else its pasted rows) and answers with the result card.</summary>
public sealed class CallbackImporter(CallbackService service, CallbackFiles files, CallbackCards cards, CallbackPlanner planner, Localizer localizer, ILogger<CallbackImporter> logger)
{
    public async Task RunAsync(ITurnContext turn, string pasted, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var locale = activity.Locale ?? "";
        var (text, refusal) = await files.ReadAsync(activity, pasted, locale, cancellationToken).ConfigureAwait(false);
        if (text == null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(refusal), cancellationToken).ConfigureAwait(false);
            return;
        }
        var tenant = Tenants.Of(activity) ?? "";
        var actor = new Person { TenantId = tenant, UserId = activity.From?.Id ?? "", Name = activity.From?.Name ?? "" };
        var outcome = await service.ImportAsync(actor, text, locale, cancellationToken).ConfigureAwait(false);
        if (outcome.Refusal != null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(outcome.Refusal), cancellationToken).ConfigureAwait(false);
            return;
        }
        // Saved by now: nothing read after this may turn the answer into "not saved".
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.Import(outcome, outcome.RepsOnDuty, locale)), cancellationToken).ConfigureAwait(false);
        if (outcome.Added.Count > 0)
        {
            try
            {
                // The daily run from now on, and once now: due-today reminders to the reps, overdue rows to the supervisors.
                await planner.EnsureDailyAsync(tenant, cancellationToken).ConfigureAwait(false);
                await planner.SweepNowAsync(tenant, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The tasks are saved; the daily run is scheduled again by the next import.
                logger.LogError(e, "The callback run could not be scheduled after an import in tenant {TenantId}.", tenant);
                await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "callbacks.import.notScheduled")), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// "导入回访" with nothing attached: waits for the file or the pasted rows (Teams lets people
/// attach a file to their next message), then imports. 取消 stops it.
/// </summary>
public sealed class CallbackImportDialog : InterruptibleComponentDialog, IPersonalFlow
{
    public new const string Id = "callbacks.import";

    private readonly CallbackImporter _importer;
    private readonly IServiceProvider _services;
    private readonly Localizer _localizer;

    public CallbackImportDialog(CallbackImporter importer, IServiceProvider services, Localizer localizer, IHelpResponder help)
        : base(Id, help)
    {
        _importer = importer;
        _services = services;
        _localizer = localizer;
        AddDialog(new WaitForRows("wait", localizer));
        AddDialog(new WaterfallDialog("steps", [AskAsync, ImportAsync]));
        InitialDialogId = "steps";
    }

    private static Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken ct) => step.BeginDialogAsync("wait", null, ct);

    private async Task<DialogTurnResult> ImportAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var activity = step.Context.Activity;
        var text = activity.Text ?? "";
        // Another command instead of rows: stop waiting (a dialog cannot start another flow
        // from inside itself; the router is resolved late, being built from every command).
        var router = _services.GetRequiredService<CommandRouter>();
        if (!CallbackFiles.HasFile(activity) && router.Match(text) is { } command)
        {
            await step.Context.SendActivityAsync(MessageFactory.Text(_localizer.Get(activity.Locale ?? "", "callbacks.import.stoppedForCommand", text.Trim())), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        await _importer.RunAsync(step.Context, text, ct).ConfigureAwait(false);
        return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>Waits for a message with a file or text; asks again (at most three times) for anything else.</summary>
    private sealed class WaitForRows(string id, Localizer localizer) : Dialog(id)
    {
        private const int MaxAsks = 3;

        public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
        {
            dc.ActiveDialog!.State["asks"] = 1;
            await AskAsync(dc.Context, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
        {
            var activity = dc.Context.Activity;
            if (activity.Type != ActivityTypes.Message)
            {
                return EndOfTurn;
            }
            if (CallbackFiles.HasFile(activity) || !string.IsNullOrWhiteSpace(activity.Text))
            {
                return await dc.EndDialogAsync(true, cancellationToken).ConfigureAwait(false);
            }
            var asks = Convert.ToInt32(dc.ActiveDialog!.State["asks"], System.Globalization.CultureInfo.InvariantCulture) + 1;
            if (asks > MaxAsks)
            {
                await dc.Context.SendActivityAsync(MessageFactory.Text(localizer.Get(activity.Locale ?? "", "callbacks.import.gaveUp")), cancellationToken).ConfigureAwait(false);
                return await dc.CancelAllDialogsAsync(cancelParents: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            dc.ActiveDialog.State["asks"] = asks;
            await AskAsync(dc.Context, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        public override Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default) =>
            AskAsync(turnContext, cancellationToken);

        private Task AskAsync(ITurnContext turn, CancellationToken cancellationToken) =>
            turn.SendActivityAsync(MessageFactory.Text(localizer.Get(turn.Activity.Locale ?? "", "callbacks.import.ask")), cancellationToken);
    }
}
