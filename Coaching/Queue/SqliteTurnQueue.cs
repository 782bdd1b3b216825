using System.Text.Json;
using CoachBot.Coaching.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Queue;

/// <summary>
/// The turn queue as a SQLite table. Every write (enqueue, claim, result, completion) runs on one writer thread that
/// commits whatever is waiting in one short transaction, so acknowledgements never wait behind each other or behind the
/// worker on SQLite's lock. Claims take a lease, so two workers never hold the same turn; an expired lease (a worker that
/// died) makes the turn claimable again.
/// </summary>
internal sealed class SqliteTurnQueue(SqliteDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time) : ITurnQueue, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly TurnQueueOptions _options = options.Value;

    // Every write to the queue goes through one thread and one connection, committed in groups (see TurnWriter).
    private readonly Lazy<TurnWriter> _writer = new(() => new TurnWriter(database), LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<bool> EnqueueAsync(CoachingTurn turn, CancellationToken cancellationToken) =>
        EnqueueAsync(turn, TimeSpan.Zero, cancellationToken);

    public async Task<bool> EnqueueAsync(CoachingTurn turn, TimeSpan hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrEmpty(turn.IdempotencyKey);
        var now = time.GetUtcNow();
        // Serialized here, on the caller's thread, so the writer's transaction holds only the insert.
        var payload = JsonSerializer.Serialize(turn, Json);
        var userKey = Sessions.SessionKey.For(turn.Channel, turn.TenantId, turn.UserId).UserKey;
        var inserted = await _writer.Value.WriteAsync(
            connection => connection.Execute(
                """
                INSERT OR IGNORE INTO turns (idempotency_key, channel, user_key, payload, status, attempts, not_before, created_at)
                VALUES ($k, $c, $u, $p, 'pending', 0, $nb, $t);
                """,
                ("$k", turn.IdempotencyKey), ("$c", turn.Channel), ("$u", userKey), ("$p", payload), ("$t", Sql.Time(now)), ("$nb", Sql.Time(now.Add(hold)))),
            cancellationToken);
        if (inserted == 1 && hold == TimeSpan.Zero)
        {
            _signal.Release();
        }

        return inserted == 1;
    }

    public async Task<bool> ReleaseHeldAsync(string idempotencyKey, IReadOnlyDictionary<string, string> routing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(routing);
        var released = await _writer.Value.WriteAsync(connection =>
        {
            var rows = connection.Query(
                "SELECT id, payload FROM turns WHERE idempotency_key = $k AND status = 'pending' AND attempts = 0;",
                r => (Id: r.GetInt64(0), Payload: r.GetString(1)), ("$k", idempotencyKey));
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

            connection.Execute(
                "UPDATE turns SET payload = $p, not_before = $now WHERE id = $id;",
                ("$p", JsonSerializer.Serialize(turn with { Reply = merged }, Json)), ("$now", Sql.Time(time.GetUtcNow())), ("$id", rows[0].Id));
            return true;
        }, cancellationToken);
        if (released)
        {
            _signal.Release();
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
        var now = time.GetUtcNow();
        var row = await _writer.Value.WriteAsync<(long Id, string Payload, int Attempts, string? Result)?>(connection =>
        {
            // The oldest ready turn that no earlier unfinished turn of the same person (or group round) is waiting before;
            // a payload that is not JSON is still claimed, so it can be failed rather than block the queue.
            var rows = connection.Query(
                """
                SELECT t.id, t.payload, t.attempts, t.result FROM turns t
                WHERE ((t.status = 'pending' AND t.not_before <= $now) OR (t.status = 'running' AND t.lease_until < $now))
                  AND (t.user_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM turns e
                        WHERE e.channel = t.channel AND e.user_key = t.user_key AND e.id < t.id AND e.status IN ('pending', 'running')))
                  AND (CASE WHEN json_valid(t.payload) THEN json_extract(t.payload, '$.roundId') END IS NULL OR NOT EXISTS (
                        SELECT 1 FROM turns r
                        WHERE r.channel = t.channel AND r.id < t.id AND r.status IN ('pending', 'running')
                          AND CASE WHEN json_valid(r.payload) THEN json_extract(r.payload, '$.roundId') END = json_extract(t.payload, '$.roundId')))
                ORDER BY t.id LIMIT 1;
                """,
                r => (Id: r.GetInt64(0), Payload: r.GetString(1), Attempts: r.GetInt32(2), Result: r.NullableString(3)),
                ("$now", Sql.Time(now)));
            if (rows.Count == 0)
            {
                return null;
            }

            connection.Execute(
                "UPDATE turns SET status = 'running', attempts = attempts + 1, lease_until = $lease WHERE id = $id;",
                ("$lease", Sql.Time(now.AddSeconds(_options.LeaseSeconds))), ("$id", rows[0].Id));
            return rows[0];
        }, cancellationToken);
        if (row is not { } claimed)
        {
            return (null, null);
        }

        try
        {
            var turn = JsonSerializer.Deserialize<CoachingTurn>(claimed.Payload, Json);
            return turn is null ? (null, (claimed.Id, "empty payload")) : (new QueuedTurn(claimed.Id, turn, claimed.Attempts + 1, claimed.Result), null);
        }
        catch (JsonException ex)
        {
            return (null, (claimed.Id, ex.Message));
        }
    }

    public Task SaveResultAsync(long id, string result, CancellationToken cancellationToken) =>
        _writer.Value.WriteAsync(connection => connection.Execute("UPDATE turns SET result = $r WHERE id = $id;", ("$r", result), ("$id", id)), cancellationToken);

    public Task CompleteAsync(long id, CancellationToken cancellationToken) =>
        _writer.Value.WriteAsync(
            connection => connection.Execute(
                "UPDATE turns SET status = 'done', lease_until = NULL, completed_at = $t WHERE id = $id;",
                ("$t", Sql.Time(time.GetUtcNow())), ("$id", id)),
            cancellationToken);

    public Task<bool> FailAsync(long id, string reason, CancellationToken cancellationToken) =>
        _writer.Value.WriteAsync(connection =>
        {
            var attempts = connection.Query("SELECT attempts FROM turns WHERE id = $id;", r => r.GetInt32(0), ("$id", id)).FirstOrDefault();
            if (attempts >= _options.MaxAttempts)
            {
                connection.Execute(
                    "UPDATE turns SET status = 'failed', lease_until = NULL, last_error = $e, completed_at = $t WHERE id = $id;",
                    ("$e", reason), ("$t", Sql.Time(time.GetUtcNow())), ("$id", id));
                return false;
            }

            var delay = TimeSpan.FromSeconds(_options.RetryDelaySeconds * Math.Pow(2, attempts - 1));
            connection.Execute(
                "UPDATE turns SET status = 'pending', lease_until = NULL, last_error = $e, not_before = $nb WHERE id = $id;",
                ("$e", reason), ("$nb", Sql.Time(time.GetUtcNow().Add(delay))), ("$id", id));
            return true;
        }, cancellationToken);

    public Task AbandonAsync(long id, string reason, CancellationToken cancellationToken) =>
        _writer.Value.WriteAsync(
            connection => connection.Execute(
                "UPDATE turns SET status = 'failed', lease_until = NULL, last_error = $e, completed_at = $t WHERE id = $id;",
                ("$e", reason), ("$t", Sql.Time(time.GetUtcNow())), ("$id", id)),
            cancellationToken);

    public Task ReleaseAsync(long id, CancellationToken cancellationToken) =>
        _writer.Value.WriteAsync(
            connection => connection.Execute(
                "UPDATE turns SET status = 'pending', attempts = MAX(attempts - 1, 0), lease_until = NULL WHERE id = $id AND status = 'running';",
                ("$id", id)),
            cancellationToken);

    public Task<int> RecoverAbandonedAsync(CancellationToken cancellationToken) =>
        // One host owns a SQLite file, so at start-up any running turn belongs to a process that is gone.
        _writer.Value.WriteAsync(
            connection => connection.Execute("UPDATE turns SET status = 'pending', lease_until = NULL WHERE status = 'running';"),
            cancellationToken);

    public Task<int> ForgetFinishedAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        // The row stays (its idempotency key keeps a redelivered event from being answered twice); the answer goes.
        _writer.Value.WriteAsync(
            connection =>
            {
                // Where a finished turn's messages went is needed only while its delivery might be repeated.
                connection.Execute(
                    """
                    DELETE FROM deliveries WHERE turn_key IN (
                        SELECT idempotency_key FROM turns WHERE status IN ('done', 'failed') AND completed_at < $t);
                    """,
                    ("$t", Sql.Time(finishedBefore)));
                return connection.Execute(
                    $"UPDATE turns SET payload = '{Forgotten}', result = NULL WHERE status IN ('done', 'failed') AND completed_at < $t AND payload <> '{Forgotten}';",
                    ("$t", Sql.Time(finishedBefore)));
            },
            cancellationToken);

    /// <summary>What a cleared turn's payload holds.</summary>
    internal const string Forgotten = "{}";

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            "SELECT status, COUNT(*) FROM turns GROUP BY status;", r => (r.GetString(0), r.GetInt32(1)), cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["pending"] = 0, ["running"] = 0, ["done"] = 0, ["failed"] = 0 };
        foreach (var (status, count) in rows)
        {
            counts[status] = count;
        }

        return counts;
    }

    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(timeout, cancellationToken);
    }

    public void Dispose()
    {
        if (_writer.IsValueCreated)
        {
            _writer.Value.Dispose();
        }

        _signal.Dispose();
    }
}
