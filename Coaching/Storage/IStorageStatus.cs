namespace CoachBot.Coaching.Storage;

/// <summary>Which database holds this instance's state, as <c>/healthz</c> shows it: never a password.</summary>
/// <param name="Provider">"sqlite" or "postgres".</param>
/// <param name="Database">The PostgreSQL database's name; null for SQLite (a file on this machine).</param>
/// <param name="Host">The PostgreSQL server's host (and port); null for SQLite.</param>
public sealed record StorageDescription(string Provider, string? Database, string? Host);

/// <summary>The database the stores run on, described for a health check.</summary>
public interface IStorageStatus
{
    /// <summary>Which provider, and for a server which database on which host.</summary>
    StorageDescription Description { get; }

    /// <summary>Where the data lives, for logs and messages (a file path, or host:port/database), never with a password.</summary>
    string Location { get; }

    /// <summary>The schema version after migration (migrating first if needed).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);
}
