using System.Data.Common;
using System.Text.Json;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>
/// The turn queue's SQL, written once for every provider: enqueue (de-duplicated by idempotency key with
/// <c>ON CONFLICT DO NOTHING</c>), the placeholder hand-over, results, completion, retries with back-off, clean-up and
/// counts. A provider supplies what truly differs: how a write transaction runs (SQLite: one writer thread with group
/// commit; PostgreSQL: a pooled connection per write), the claim (SQLite: inside the writer; PostgreSQL:
/// <c>FOR UPDATE SKIP LOCKED</c> with a lease owner), recovery after a crash, and how idle workers are woken.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the architecture names this seam ITurnQueue.")]
internal abstract class SqlTurnQueue(ISqlDialect dialect, IOptions<TurnQueueOptions> options, TimeProvider time) : ITurnQueue, IDisposable
{
    /// <summary>What a cleared turn's payload holds.</summary>
    internal const string Forgotten = "{}";

    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    protected TurnQueueOptions Options { get; } = options.Value;

    protected TimeProvider Time { get; } = time;

    protected ISqlDialect Dialect { get; } = dialect;

    /// <summary>A claimed row: <paramref name="Attempt"/> is the attempt this claim starts, from 1.</summary>
    protected readonly record struct ClaimedRow(long Id, string Payload, int Attempt, string? Result);

    /// <summary>Runs <paramref name="write"/> in one write transaction; completes after the commit.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>Opens a connection for a read outside any write.</summary>
    protected abstract Task<DbConnection> OpenForReadAsync(CancellationToken cancellationToken);

    /// <summary>Inside a write: takes the oldest ready turn under a lease, or returns null.</summary>
    protected abstract Task<ClaimedRow?> ClaimNextAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Inside a write: returns turns left running by a process that is gone to the queue; returns how many.</summary>
    protected abstract Task<int> RecoverAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Inside a write: tells other instances that a turn may have become ready (PostgreSQL: <c>NOTIFY</c>, delivered at
    /// commit). Nothing by default: one process owns a SQLite file, and it signals itself.
    /// </summary>
    protected virtual Task AnnounceAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A turn this queue claimed has been finished, failed or put back: it holds no lease here any more.</summary>
    protected virtual void Released(long id)
    {
    }

    /// <summary>A turn was claimed by this queue.</summary>
    protected virtual void Claimed(long id)
    {
    }

    /// <summary>Wakes one idle worker of this process.</summary>
    protected void Signal() => _signal.Release();

    public Task<bool> EnqueueAsync(CoachingTurn turn, CancellationToken cancellationToken) =>
        EnqueueAsync(turn, TimeSpan.Zero, cancellationToken);

    public async Task<bool> EnqueueAsync(CoachingTurn turn, TimeSpan hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrEmpty(turn.IdempotencyKey);
        var now = Time.GetUtcNow();
        // Serialized here, on the caller's thread, so the write transaction holds only the insert.
        var payload = JsonSerializer.Serialize(turn, Json);
        var userKey = CoachBot.Coaching.Sessions.SessionKey.For(turn.Channel, turn.TenantId, turn.UserId).UserKey;
        var inserted = await WriteAsync(
            async (connection, ct) =>
            {
                var rows = await connection.RunAsync(
                    """
                    INSERT INTO turns (idempotency_key, channel, user_key, payload, status, attempts, not_before, created_at)
                    VALUES (@k, @c, @u, @p, 'pending', 0, @nb, @t)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    """,
                    ct, ("@k", turn.IdempotencyKey), ("@c", turn.Channel), ("@u", userKey), ("@p", payload), ("@t", Dialect.Time(now)), ("@nb", Dialect.Time(now.Add(hold))));
                if (rows == 1 && hold == TimeSpan.Zero)
                {
                    await AnnounceAsync(connection, ct);
                }

                return rows;
            },
            cancellationToken);
        if (inserted == 1 && hold == TimeSpan.Zero)
        {
            Signal();
        }

        return inserted == 1;
    }

    public async Task<bool> ReleaseHeldAsync(string idempotencyKey, IReadOnlyDictionary<string, string> routing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(routing);
        var released = await WriteAsync(async (connection, ct) =>
        {
            var rows = await connection.RowsAsync(
                $"SELECT id, payload FROM turns WHERE idempotency_key = @k AND status = 'pending' AND attempts = 0{Dialect.ForUpdate};",
                r => (Id: r.GetInt64(0), Payload: r.GetString(1)), ct, ("@k", idempotencyKey));
            if (rows.Count == 0)
            {
                return false;
            }

            var turn = JsonSerializer.Deserialize<CoachingTurn>(rows[0].Payload, Json)
                ?? throw new InvalidOperationException($"The held turn {idempotencyKey} cannot be read.");
            var merged = new Dictionary<string, string>(turn.Reply, StringComparer.Ordinal);
            foreach (var (name, value) in routing)
            {
                merged[name] = value;
            }

            if (routing.Count > 0)
            {
                // Remembered so that routing stored beyond this turn (a group round's) can leave the placeholder out.
                merged[TurnRouting.PlaceholderKeys] = string.Join(',', routing.Keys);
            }

            await connection.RunAsync(
                "UPDATE turns SET payload = @p, not_before = @now WHERE id = @id;",
                ct, ("@p", JsonSerializer.Serialize(turn with { Reply = merged }, Json)), ("@now", Dialect.Time(Time.GetUtcNow())), ("@id", rows[0].Id));
            await AnnounceAsync(connection, ct);
            return true;
        }, cancellationToken);
        if (released)
        {
            Signal();
        }

        return released;
    }

    public async Task<QueuedTurn?> ClaimAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (claimed, broken) = await ClaimOneAsync(cancellationToken);
            if (broken is null)
            {
                return claimed;
            }

            // A row that cannot be read can never be processed: fail it so it cannot block the queue, and move on.
            await AbandonAsync(broken.Value.Id, $"The stored turn cannot be read: {broken.Value.Reason}", cancellationToken);
        }
    }

    private async Task<(QueuedTurn? Claimed, (long Id, string Reason)? Broken)> ClaimOneAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var row = await WriteAsync((connection, ct) => ClaimNextAsync(connection, now, ct), cancellationToken);
        if (row is not { } claimed)
        {
            return (null, null);
        }

        Claimed(claimed.Id);
        try
        {
            var turn = JsonSerializer.Deserialize<CoachingTurn>(claimed.Payload, Json);
            return turn is null ? (null, (claimed.Id, "empty payload")) : (new QueuedTurn(claimed.Id, turn, claimed.Attempt, claimed.Result), null);
        }
        catch (JsonException ex)
        {
            return (null, (claimed.Id, ex.Message));
        }
    }

    public Task SaveResultAsync(long id, string result, CancellationToken cancellationToken) =>
        WriteAsync((connection, ct) => connection.RunAsync("UPDATE turns SET result = @r WHERE id = @id;", ct, ("@r", result), ("@id", id)), cancellationToken);

    public async Task CompleteAsync(long id, CancellationToken cancellationToken)
    {
        await WriteAsync(
            async (connection, ct) =>
            {
                var rows = await connection.RunAsync(
                    "UPDATE turns SET status = 'done', lease_until = NULL, completed_at = @t WHERE id = @id;",
                    ct, ("@t", Dialect.Time(Time.GetUtcNow())), ("@id", id));
                // The same person's next turn may be ready now.
                await AnnounceAsync(connection, ct);
                return rows;
            },
            cancellationToken);
        Released(id);
    }

    public async Task<bool> FailAsync(long id, string reason, CancellationToken cancellationToken)
    {
        var retried = await WriteAsync(async (connection, ct) =>
        {
            var attempts = (await connection.RowsAsync($"SELECT attempts FROM turns WHERE id = @id{Dialect.ForUpdate};", r => r.Int(0), ct, ("@id", id))).FirstOrDefault();
            if (attempts >= Options.MaxAttempts)
            {
                await connection.RunAsync(
                    "UPDATE turns SET status = 'failed', lease_until = NULL, last_error = @e, completed_at = @t WHERE id = @id;",
                    ct, ("@e", reason), ("@t", Dialect.Time(Time.GetUtcNow())), ("@id", id));
                await AnnounceAsync(connection, ct);
                return false;
            }

            var delay = TimeSpan.FromSeconds(Options.RetryDelaySeconds * Math.Pow(2, attempts - 1));
            await connection.RunAsync(
                "UPDATE turns SET status = 'pending', lease_until = NULL, last_error = @e, not_before = @nb WHERE id = @id;",
                ct, ("@e", reason), ("@nb", Dialect.Time(Time.GetUtcNow().Add(delay))), ("@id", id));
            return true;
        }, cancellationToken);
        Released(id);
        return retried;
    }

    public async Task AbandonAsync(long id, string reason, CancellationToken cancellationToken)
    {
        await WriteAsync(
            async (connection, ct) =>
            {
                var rows = await connection.RunAsync(
                    "UPDATE turns SET status = 'failed', lease_until = NULL, last_error = @e, completed_at = @t WHERE id = @id;",
                    ct, ("@e", reason), ("@t", Dialect.Time(Time.GetUtcNow())), ("@id", id));
                await AnnounceAsync(connection, ct);
                return rows;
            },
            cancellationToken);
        Released(id);
    }

    public async Task ReleaseAsync(long id, CancellationToken cancellationToken)
    {
        await WriteAsync(
            async (connection, ct) =>
            {
                var rows = await connection.RunAsync(
                    "UPDATE turns SET status = 'pending', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, lease_until = NULL WHERE id = @id AND status = 'running';",
                    ct, ("@id", id));
                await AnnounceAsync(connection, ct);
                return rows;
            },
            cancellationToken);
        Released(id);
    }

    public Task<int> RecoverAbandonedAsync(CancellationToken cancellationToken) =>
        WriteAsync(RecoverAsync, cancellationToken);

    public Task<int> ForgetFinishedAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        // The row stays (its idempotency key keeps a redelivered event from being answered twice); the answer goes.
        WriteAsync(
            async (connection, ct) =>
            {
                // Where a finished turn's messages went is needed only while its delivery might be repeated.
                await connection.RunAsync(
                    """
                    DELETE FROM deliveries WHERE turn_key IN (
                        SELECT idempotency_key FROM turns WHERE status IN ('done', 'failed') AND completed_at < @t);
                    """,
                    ct, ("@t", Dialect.Time(finishedBefore)));
                return await connection.RunAsync(
                    $"UPDATE turns SET payload = '{Forgotten}', result = NULL WHERE status IN ('done', 'failed') AND completed_at < @t AND payload <> '{Forgotten}';",
                    ct, ("@t", Dialect.Time(finishedBefore)));
            },
            cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenForReadAsync(cancellationToken);
        var rows = await connection.RowsAsync(
            "SELECT status, COUNT(*) FROM turns GROUP BY status;", r => (r.GetString(0), r.Int(1)), cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["pending"] = 0, ["running"] = 0, ["done"] = 0, ["failed"] = 0 };
        foreach (var (status, count) in rows)
        {
            counts[status] = count;
        }

        return counts;
    }

    public virtual async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(timeout, cancellationToken);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _signal.Dispose();
        }
    }
}
