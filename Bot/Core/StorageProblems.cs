using Azure;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Core;

/// <summary>Whether an exception means "storage did not do what was asked" (so: not saved, try again).</summary>
public static class StorageProblems
{
    public static bool Is(Exception exception) => exception switch
    {
        StorageConflictException => true,
        RequestFailedException => true,
        // ServiceUri with a token credential: no token (managed identity missing, role not yet granted, Entra ID unreachable).
        Azure.Identity.AuthenticationFailedException => true,
        // The Azure SDK's network timeout (retries exhausted) arrives as a cancellation whose
        // inner exception is a TimeoutException: storage did not answer, nothing may be saved.
        TimeoutException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        AggregateException agg => agg.InnerExceptions.Any(Is),
        _ when exception.InnerException != null => Is(exception.InnerException),
        _ => false,
    };
}
