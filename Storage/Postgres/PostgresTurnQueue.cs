using System.Collections.Concurrent;
using System.Data.Common;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// The turn queue on PostgreSQL, shared by every instance: the statements are <see cref="SqlTurnQueue"/>'s; a claim takes
/// the oldest ready turn with <c>FOR UPDATE SKIP LOCKED</c> (two workers never wait on, or take, the same row) under a
/// lease naming this instance, renewed while the turn is worked on. An instance that dies stops renewing, and its turns
/// are taken over when their leases expire (at once by the same instance after a restart, when
/// <see cref="TurnQueueOptions.InstanceId"/> is stable). A turn whose result was stored before a crash is handed back
/// with it, so it is re-delivered, not coached again. <c>LISTEN/NOTIFY</c> wakes idle workers on every instance;
/// polling (<see cref="TurnQueueOptions.PollSeconds"/>) covers a lost notification or a broken listener.
/// </summary>
internal sealed class PostgresTurnQueue : SqlTurnQueue
{
    /// <summary>The notification channel that says a turn may be ready.</summary>
    internal const string Channel = "coachbot_turns";

    private readonly PostgresDatabase _database;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, byte> _held = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _renewal;
    private readonly Lock _listenerGate = new();
    private Task? _listener;
    private int _disposed;

    public PostgresTurnQueue(PostgresDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time, ILogger<PostgresTurnQueue>? logger = null)
        : base(database.Dialect, options, time)
    {
        _database = database;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        InstanceId = string.IsNullOrWhiteSpace(Options.InstanceId)
            ? TurnQueueOptions.NewInstanceName()
            : Options.InstanceId.Trim();
        // A third of the lease: two renewals can be missed (a pause, a slow database) before another instance may take over.
        var every = TimeSpan.FromSeconds(Options.LeaseSeconds / 3.0);
        _renewal = time.CreateTimer(static state => _ = ((PostgresTurnQueue)state!).RenewInBackgroundAsync(), this, every, every);
    }

    /// <summary>The name this queue's leases carry.</summary>
    public string InstanceId { get; }

    /// <summary>Extends the lease of every turn this queue is working on; returns how many (the renewal timer calls it).</summary>
    internal async Task<int> RenewLeasesAsync(CancellationToken cancellationToken)
    {
        var ids = _held.Keys.ToArray();
        if (ids.Length == 0)
        {
            return 0;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "UPDATE turns SET lease_until = @lease WHERE id = ANY(@ids) AND status = 'running' AND lease_owner = @owner;",
            cancellationToken, ("@lease", Dialect.Time(Time.GetUtcNow().AddSeconds(Options.LeaseSeconds))), ("@ids", ids), ("@owner", InstanceId));
    }

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    protected override Task<DbConnection> OpenForReadAsync(CancellationToken cancellationToken) => _database.OpenConnectionAsync(cancellationToken);

    protected override async Task<ClaimedRow?> ClaimNextAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The oldest ready turn that no earlier unfinished turn of the same person (or group round) is waiting before.
        // A row another worker is claiming right now is locked and skipped; its person's later turns still see it
        // pending, so they wait too, and each person's order holds across instances.
        var rows = await connection.RowsAsync(
            """
            WITH next AS (
                SELECT t.id FROM turns t
                WHERE ((t.status = 'pending' AND t.not_before <= @now) OR (t.status = 'running' AND t.lease_until < @now))
                  AND (t.user_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM turns e
                        WHERE e.channel = t.channel AND e.user_key = t.user_key AND e.id < t.id AND e.status IN ('pending', 'running')))
                  AND (t.round_id IS NULL OR NOT EXISTS (
                        SELECT 1 FROM turns r
                        WHERE r.channel = t.channel AND r.round_id = t.round_id AND r.id < t.id AND r.status IN ('pending', 'running')))
                ORDER BY t.id
                LIMIT 1
                FOR UPDATE OF t SKIP LOCKED
            )
            UPDATE turns SET status = 'running', attempts = turns.attempts + 1, lease_until = @lease, lease_owner = @owner
            FROM next WHERE turns.id = next.id
            RETURNING turns.id, turns.payload, turns.attempts, turns.result;
            """,
            r => new ClaimedRow(r.GetInt64(0), r.GetString(1), r.Int(2), r.NullableText(3)),
            cancellationToken,
            ("@now", Dialect.Time(now)), ("@lease", Dialect.Time(now.AddSeconds(Options.LeaseSeconds))), ("@owner", InstanceId));
        return rows.Count == 0 ? null : rows[0];
    }

    protected override Task<int> RecoverAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Other instances may be working right now: only this instance's own turns (a restart under the same name) and
        // turns whose lease has run out go back to the queue.
        connection.RunAsync(
            "UPDATE turns SET status = 'pending', lease_until = NULL, lease_owner = NULL WHERE status = 'running' AND (lease_owner = @owner OR lease_until < @now);",
            cancellationToken, ("@owner", InstanceId), ("@now", Dialect.Time(Time.GetUtcNow())));

    protected override Task AnnounceAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Delivered to every listening instance when the transaction commits; never if it rolls back.
        connection.RunAsync($"NOTIFY {Channel};", cancellationToken);

    protected override void Claimed(long id)
    {
        _held[id] = 0;
        EnsureListening();
    }

    protected override void Released(long id) => _held.TryRemove(id, out _);

    /// <summary>Listens for notifications from the first wait on; a wait still ends after its timeout (polling).</summary>
    public override async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        EnsureListening();
        await base.WaitForWorkAsync(timeout, cancellationToken);
    }

    private void EnsureListening()
    {
        if (_listener is not null || Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        lock (_listenerGate)
        {
            _listener ??= Task.Run(() => ListenAsync(_stopping.Token));
        }
    }

    private Task ListenAsync(CancellationToken stopping) =>
        PostgresListener.RunAsync(_database, Channel, _ => Signal(), (ex, seconds) => Log.ListenerFailed(_logger, ex, _database.Location, seconds), Time, stopping);

    private async Task RenewInBackgroundAsync()
    {
        try
        {
            await RenewLeasesAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A missed renewal is retried at the next tick; the lease has room for two.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RenewalFailed(_logger, ex, _held.Count, _database.Location);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _renewal.Dispose();
            _stopping.Cancel();
            try
            {
                _listener?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener ends by cancellation; nothing else to report at shutdown.
            }

            _stopping.Dispose();
        }

        base.Dispose(disposing);
    }
}
