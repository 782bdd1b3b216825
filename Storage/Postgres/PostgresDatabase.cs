using System.Data.Common;
using System.Net.Sockets;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// A PostgreSQL database that holds CoachBot's shared state: one pooled data source, and versioned migrations applied
/// once, in order, in one transaction under an advisory lock, so two instances starting together never race.
/// Every failure to reach the server says where it looked and what to check.
/// </summary>
internal sealed class PostgresDatabase : ISqlDatabase, IStorageStatus, IAsyncDisposable, IDisposable
{
    // pg_advisory_xact_lock key of the migrations (any constant; "coachbot" in ASCII).
    private const long MigrationLock = 0x636F616368626F74;

    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private volatile bool _migrated;

    public PostgresDatabase(IOptions<StorageOptions> options)
        : this(options?.Value.ConnectionString ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    public PostgresDatabase(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            throw new InvalidOperationException($"Storage:ConnectionString is not a PostgreSQL connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException("Storage:ConnectionString names no server: add Host=… (and Port=…, Database=…, Username=…, Password=…).");
        }

        var database = builder.Database ?? builder.Username ?? "(default database)";
        Location = $"{builder.Host}:{builder.Port}/{database}";
        Description = new("postgres", database, $"{builder.Host}:{builder.Port}");
        _source = NpgsqlDataSource.Create(builder);
    }

    public ISqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>"postgres", the database's name and host:port, never the user or the password.</summary>
    public StorageDescription Description { get; }

    /// <summary>host:port/database, never the password.</summary>
    public string Location { get; }

    public bool HasTable(string table) => PostgresMigrations.All.Any(m => m.Tables.Contains(table, StringComparer.Ordinal));

    /// <summary>Returns why <paramref name="connectionString"/> is unusable, or null (for start-up validation).</summary>
    public static string? Check(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? "Storage:ConnectionString names no server: add Host=… (and Port=…, Database=…, Username=…, Password=…)."
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            return $"Storage:ConnectionString is not a PostgreSQL connection string: {ex.Message}";
        }
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>A connection to the migrated database, as Npgsql's own type (LISTEN needs it).</summary>
    public async Task<NpgsqlConnection> OpenNpgsqlAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>The versions applied so far, in order.</summary>
    public async Task<IReadOnlyList<int>> AppliedVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenNpgsqlAsync(cancellationToken);
        return await connection.RowsAsync("SELECT version FROM schema_migrations ORDER BY version;", r => r.Int(0), cancellationToken);
    }

    /// <summary>The highest version applied.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) =>
        (await AppliedVersionsAsync(cancellationToken)).DefaultIfEmpty(0).Max();

    /// <summary>Applies every migration not yet applied. Safe to call from several processes at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        // Retried on the next call after a failure (the server may come back), never cached as failed.
        await _migrating.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Held to the end of this transaction: a second instance waits here, then finds everything applied.
            await connection.RunAsync("SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("@key", MigrationLock));
            await connection.RunAsync(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                """,
                cancellationToken);
            var applied = (await connection.RowsAsync("SELECT version FROM schema_migrations;", r => r.Int(0), cancellationToken)).ToHashSet();
            foreach (var migration in PostgresMigrations.All.Where(m => !applied.Contains(m.Version)))
            {
                await connection.RunAsync(migration.Sql, cancellationToken);
                await connection.RunAsync(
                    "INSERT INTO schema_migrations (version, description) VALUES (@v, @d);",
                    cancellationToken, ("@v", migration.Version), ("@d", migration.Description));
            }

            await transaction.CommitAsync(cancellationToken);
            _migrated = true;
        }
        finally
        {
            _migrating.Release();
        }
    }

    private async Task<NpgsqlConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {Location} refused the connection: {ex.MessageText} ({ex.SqlState}). Check the user, password and database in Storage:ConnectionString.", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {Location} cannot be reached: {ex.Message}. Check Storage:ConnectionString and that the server is running.", ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        _migrating.Dispose();
        return _source.DisposeAsync();
    }

    public void Dispose()
    {
        _migrating.Dispose();
        _source.Dispose();
    }
}

/// <summary>PostgreSQL: times as <c>timestamptz</c>; rows read and then written are locked with <c>FOR UPDATE</c>.</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public string Name => "PostgreSQL";

    public object Time(DateTimeOffset value) => value.UtcDateTime;

    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc), TimeSpan.Zero);

    public string ForUpdate => " FOR UPDATE";

    public string InsertionOrder => "seq";
}
