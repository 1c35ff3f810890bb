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

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception.InnerException; e != null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
