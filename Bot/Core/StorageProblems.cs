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
        // inner exception is a TimeoutException, or (Azure.Core 1.4x) a cancellation that says it
        // exceeded the configured timeout over the transport's cancelled read: storage did not
        // answer in time, nothing may be saved.
        TimeoutException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        OperationCanceledException oce when oce.Message.Contains("NetworkTimeout", StringComparison.Ordinal) || Chain(oce).Any(e => e is IOException or System.Net.Sockets.SocketException) => true,
        AggregateException agg => agg.InnerExceptions.Any(Is),
        _ when exception.InnerException != null => Is(exception.InnerException),
        _ => false,
    };

    /// <summary>
    /// A storage problem that passes on its own: storage busy or slow (a timeout, a network error,
    /// 408, 429, 5xx), or a record changed by someone else meanwhile (409, 412, an ETag conflict).
    /// The person is told "not saved, try again" and trying again works, so it is logged as a
    /// warning with its reason, not as an error with a stack trace. Anything else that storage
    /// refused (400 for a bad key or value, 403, 404 for a missing table, no token) is a bug or a
    /// configuration problem and stays an error.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        StorageConflictException => true,
        RequestFailedException { Status: 0 or 408 or 409 or 412 or 429 or >= 500 } => true,
        RequestFailedException => false,
        Azure.Identity.AuthenticationFailedException => false,
        TimeoutException => true,
        OperationCanceledException when Is(exception) => true,
        // Retries exhausted: transient when every storage problem among the attempts was.
        AggregateException agg => agg.InnerExceptions.Where(Is).ToList() is { Count: > 0 } problems && problems.All(IsTransient),
        _ when exception.InnerException != null => IsTransient(exception.InnerException),
        _ => false,
    };

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception.InnerException; e != null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
