using System.Reflection;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit.Sdk;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>Runs a storage theory on a SQLite file.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProviders.Sqlite]];
}

/// <summary>
/// Runs a storage theory on the test PostgreSQL (<c>COACHBOT_TEST_POSTGRES</c>, set by scripts/test.sh). Without it the
/// row is skipped with the reason, except in CI (<c>CI=true</c>), where it runs and fails saying why.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnPostgresAttribute : DataAttribute
{
    public OnPostgresAttribute()
    {
        Skip = TestPostgres.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProviders.Postgres]];
}

/// <summary>A fact that needs the test PostgreSQL: skipped with the reason without it, except in CI, where it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = TestPostgres.SkipReason;
    }
}

/// <summary>The PostgreSQL server the tests may use.</summary>
public static class TestPostgres
{
    public const string Variable = "COACHBOT_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason => ConnectionString is null && !InCi
        ? $"No PostgreSQL for this test: {Variable} is not set (bash scripts/test.sh starts a throw-away server and sets it)."
        : null;

    /// <summary>The server's connection string, or a failure that says why there is none.</summary>
    public static string Required() => ConnectionString ?? throw new InvalidOperationException(
        $"CI=true and {Variable} is not set, so the PostgreSQL tests have no server: scripts/test.sh starts a throw-away PostgreSQL " +
        "and sets it; its output says why it did not start.");
}

/// <summary>
/// One provider's storage for one test: a SQLite file in a temporary folder, or a fresh database on the test PostgreSQL
/// (dropped afterwards). Each queue or ledger made here is a separate "instance" with its own connections.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    private readonly TempDatabase? _sqlite;
    private readonly string? _postgres;
    private readonly string? _postgresName;
    private readonly List<IDisposable> _owned = [];

    private TestStorage(TempDatabase sqlite)
    {
        Provider = StorageProviders.Sqlite;
        _sqlite = sqlite;
    }

    private TestStorage(string postgres, string name)
    {
        Provider = StorageProviders.Postgres;
        _postgres = postgres;
        _postgresName = name;
    }

    public string Provider { get; }

    public bool IsPostgres => _postgres is not null;

    /// <summary>The PostgreSQL connection string of this test's database.</summary>
    public string PostgresConnectionString => _postgres ?? throw new InvalidOperationException("Not a PostgreSQL test.");

    public static async Task<TestStorage> CreateAsync(string provider)
    {
        if (provider == StorageProviders.Sqlite)
        {
            return new TestStorage(new TempDatabase());
        }

        var server = TestPostgres.Required();
        var name = $"coachbot_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", admin);
            await create.ExecuteNonQueryAsync();
        }

        // Small pools: several test classes and their "instances" share one server of 300 connections.
        return new TestStorage(new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 20, Timeout = 60 }.ToString(), name);
    }

    /// <summary>A database handle of its own (another process, as far as pooling goes).</summary>
    internal ISqlDatabase Database()
    {
        if (_sqlite is not null)
        {
            return _sqlite.Database;
        }

        var database = new PostgresDatabase(_postgres!);
        _owned.Add(database);
        return database;
    }

    /// <summary>A queue as one instance of the bot would have it.</summary>
    internal SqlTurnQueue Queue(TimeProvider time, int maxAttempts = 3, int leaseSeconds = 600, double retryDelaySeconds = 2, string instance = "instance-a")
    {
        var options = Options.Create(new TurnQueueOptions
        {
            MaxAttempts = maxAttempts, LeaseSeconds = leaseSeconds, RetryDelaySeconds = retryDelaySeconds, InstanceId = instance,
        });
        return _sqlite is not null
            ? new SqliteTurnQueue(_sqlite.Database, options, time)
            : new PostgresTurnQueue((PostgresDatabase)Database(), options, time);
    }

    internal SqlPracticeSessions Sessions(IQuestionBank bank, TimeProvider time) =>
        _sqlite is not null ? new SqlitePracticeSessions(_sqlite.Database, bank, time) : new PostgresPracticeSessions((PostgresDatabase)Database(), bank, time);

    internal SqlGroupRounds GroupRounds(IQuestionBank bank, TimeProvider time) =>
        _sqlite is not null ? new SqliteGroupRounds(_sqlite.Database, bank, time) : new PostgresGroupRounds((PostgresDatabase)Database(), bank, time);

    /// <summary>The group scheduler's lease as the instance named <paramref name="instance"/> would take it.</summary>
    internal SqlSchedulerLease SchedulerLease(string instance, TimeProvider time)
    {
        var options = Options.Create(new TurnQueueOptions { InstanceId = instance });
        return _sqlite is not null
            ? new SqliteSchedulerLease(_sqlite.Database, options, time)
            : new PostgresSchedulerLease((PostgresDatabase)Database(), options, time);
    }

    internal SqlPendingFeedbackStore PendingFeedback(TimeProvider time) =>
        _sqlite is not null ? new SqlitePendingFeedbackStore(_sqlite.Database, time) : new PostgresPendingFeedbackStore((PostgresDatabase)Database(), time);

    internal SqlInvokeClaims InvokeClaims(TimeProvider time) =>
        _sqlite is not null ? new SqliteInvokeClaims(_sqlite.Database, time) : new PostgresInvokeClaims((PostgresDatabase)Database(), time);

    internal SqlRecordingStore Recordings(TimeProvider time, long maxBytes = 25 * 1024 * 1024)
    {
        var audio = Options.Create(new CoachBot.Coaching.Audio.AudioOptions { MaxSizeBytes = maxBytes });
        return _sqlite is not null
            ? new SqliteRecordingStore(_sqlite.Database, audio, time)
            : new PostgresRecordingStore((PostgresDatabase)Database(), audio, time);
    }

    /// <summary>A knowledge store as one instance of the bot would have it (its own vector matrix).</summary>
    internal SqlKnowledgeStore Knowledge(KnowledgeEmbeddings embeddings, IOptions<KnowledgeOptions> options, ILoggerFactory logs, BuiltInKnowledge builtIn) =>
        _sqlite is not null
            ? new SqliteKnowledgeStore(_sqlite.Database, embeddings, options, TimeProvider.System, logs.CreateLogger<SqliteKnowledgeStore>(), builtIn)
            : new PostgresKnowledgeStore((PostgresDatabase)Database(), embeddings, options, TimeProvider.System, logs.CreateLogger<PostgresKnowledgeStore>(), builtIn);

    internal IDeliveryLedger Ledger(TimeProvider time) =>
        _sqlite is not null ? new SqliteDeliveryLedger(_sqlite.Database, time) : new PostgresDeliveryLedger((PostgresDatabase)Database(), time);

    /// <summary>Every stored turn in id order, read on a connection of its own.</summary>
    public async Task<List<(string Key, string Payload, string? Result, string Status)>> TurnsAsync()
    {
        var database = Database();
        await using var connection = await database.OpenConnectionAsync(default);
        return await connection.RowsAsync(
            "SELECT idempotency_key, payload, result, status FROM turns ORDER BY id;",
            r => (r.GetString(0), r.GetString(1), r.NullableText(2), r.GetString(3)), default);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        if (_sqlite is not null)
        {
            _sqlite.Dispose();
            return;
        }

        await using var admin = new NpgsqlConnection(TestPostgres.Required());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE);", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
