using Microsoft.Extensions.Logging;

namespace CoachBot.Storage.Postgres;

/// <summary>Every log line of the PostgreSQL provider.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Warning, "The queue's LISTEN connection to PostgreSQL at {Location} failed; idle workers poll until it is back (retry in {Seconds} s)")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string location, double seconds);

    [LoggerMessage(4001, LogLevel.Warning, "Renewing the leases of {Count} turns on PostgreSQL at {Location} failed; retried at the next tick")]
    public static partial void RenewalFailed(ILogger logger, Exception exception, int count, string location);

    [LoggerMessage(4002, LogLevel.Information, "PostgreSQL ready at {Location} (schema versions {Versions}); this instance is {InstanceId}")]
    public static partial void DatabaseReady(ILogger logger, string location, string versions, string instanceId);

    [LoggerMessage(4003, LogLevel.Information, "Knowledge vectors are kept in PostgreSQL and searched in memory on each instance ({Extension})")]
    public static partial void KnowledgeVectors(ILogger logger, string extension);

    [LoggerMessage(4004, LogLevel.Warning, "The dev chat's LISTEN connection to PostgreSQL at {Location} failed; open streams see other instances' replies at their next check until it is back (retry in {Seconds} s)")]
    public static partial void FeedListenerFailed(ILogger logger, Exception exception, string location, double seconds);
}
