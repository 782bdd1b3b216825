using System.Data.Common;
using CoachBot.Coaching.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Sqlite;

/// <summary>
/// The SQLite file that holds sessions, attempts and the turn queue. Opens connections with WAL and a busy
/// timeout, and applies versioned migrations once, in order, each in its own transaction.
/// </summary>
public sealed class SqliteDatabase : ISqlDatabase, IStorageStatus
{
    private readonly string _connectionString;
    private readonly string _unpooledConnectionString;
    private readonly int _busyTimeout;
    private readonly Lazy<Task> _migrated;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Creates the database handle; nothing touches the file until the first connection.</summary>
    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(options.Value.DatabasePath);
        Path = path;
        _busyTimeout = options.Value.BusyTimeoutMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        _unpooledConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        _migrated = new Lazy<Task>(() => MigrateAsync(CancellationToken.None));
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>"sqlite"; the file's path is not shown (it says nothing to a caller of a health check but where it lives).</summary>
    public StorageDescription Description { get; } = new("sqlite", null, null);

    ISqlDialect ISqlDatabase.Dialect => SqliteDialect.Instance;

    string IStorageStatus.Location => Path;

    bool ISqlDatabase.HasTable(string table) => true;

    async Task<DbConnection> ISqlDatabase.OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    /// <summary>Opens a connection to a migrated database.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(_connectionString, cancellationToken);
    }

    /// <summary>
    /// Opens a connection outside the pool, for an owner that keeps it for its lifetime and may change its settings
    /// (the turn writer turns off checkpoints on commit); closing it closes the file handle.
    /// </summary>
    internal async Task<SqliteConnection> OpenUnpooledAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(_unpooledConnectionString, cancellationToken);
    }

    /// <summary>
    /// Closes the idle pooled connections to this file only (other databases in the process are untouched),
    /// so the file can be deleted or moved.
    /// </summary>
    public void ReleasePooledConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>The schema version after migration.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenRawAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeout}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenRawAsync(_connectionString, cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        // BEGIN IMMEDIATE takes the write lock first, so two processes starting together migrate one after the other.
        for (var version = 1; version <= SqliteMigrations.All.Count; version++)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "PRAGMA user_version;";
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (current >= version)
            {
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }

            await using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = SqliteMigrations.All[version - 1] + $"\nPRAGMA user_version = {version};";
            await apply.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>SQLite: times as fixed-width ISO-8601 UTC text, which compares like time.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string Name => "SQLite";

    public object Time(DateTimeOffset value) => Sql.Time(value);

    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => Sql.ParseTime(reader.GetString(ordinal));

    public string ForUpdate => string.Empty;

    public string InsertionOrder => "rowid";
}
