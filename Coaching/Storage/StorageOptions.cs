using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Storage;

/// <summary>Where CoachBot keeps its state.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>
    /// The database: <c>Sqlite</c> (the default: one file on this machine) or <c>Postgres</c> (state shared by several
    /// instances; see <see cref="ConnectionString"/>). Checked at start-up against what each provider can hold today.
    /// </summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>The PostgreSQL connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>), for <c>Postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Path of the SQLite database file; relative paths are resolved against the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = Path.Combine("data", "coachbot.db");

    /// <summary>How long a writer waits for a lock held by another connection, in milliseconds.</summary>
    [Range(100, 60_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;
}
