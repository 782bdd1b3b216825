using System.Data.Common;
using CoachBot.Coaching.Storage;

namespace CoachBot.Storage;

/// <summary>
/// What truly differs between the SQL databases CoachBot keeps its state in, for the statements a store shares
/// (named <c>@parameters</c>, <c>INSERT … ON CONFLICT … DO NOTHING/UPDATE</c>, <c>RETURNING</c>, which both engines speak).
/// What differs more than this (the queue's claim, its wake-ups, migrations) lives in the provider's own class.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>The engine's name, for messages.</summary>
    string Name { get; }

    /// <summary>A timestamp as a parameter value: ISO-8601 text on SQLite, <c>timestamptz</c> on PostgreSQL.</summary>
    object Time(DateTimeOffset value);

    /// <summary>Reads a timestamp column written through <see cref="Time"/>.</summary>
    DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>
    /// Appended to a <c>SELECT</c> that is read and then written in one transaction, so a concurrent writer waits for it:
    /// <c> FOR UPDATE</c> on PostgreSQL; nothing on SQLite, where a write transaction already holds the whole file.
    /// </summary>
    string ForUpdate { get; }

    /// <summary>
    /// A column that orders a table's rows as they were inserted, for tables without a key that does (interview plans,
    /// keyed by text): SQLite's implicit <c>rowid</c>; on PostgreSQL an identity column <c>seq</c> that such tables carry.
    /// </summary>
    string InsertionOrder { get; }
}

/// <summary>A database a store runs its SQL on: migrated connections and the dialect to speak.</summary>
internal interface ISqlDatabase : IStorageStatus
{
    /// <summary>The dialect of this database.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>Opens a connection to the migrated database.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether this database holds <paramref name="table"/>: SQLite holds every table; PostgreSQL only those of the stores
    /// moved to it so far. A store that reads or clears another store's table (progress lists mock interviews, "forget me"
    /// clears plans) asks first.
    /// </summary>
    bool HasTable(string table);
}
