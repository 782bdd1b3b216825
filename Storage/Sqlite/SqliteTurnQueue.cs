using System.Data.Common;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Sqlite;

/// <summary>
/// The turn queue as a SQLite table. Every write (enqueue, claim, result, completion) runs on one writer thread that
/// commits whatever is waiting in one short transaction, so acknowledgements never wait behind each other or behind the
/// worker on SQLite's lock. Claims take a lease, so two workers never hold the same turn; an expired lease (a worker that
/// died) makes the turn claimable again. The statements themselves are shared with the other providers (<see cref="SqlTurnQueue"/>).
/// </summary>
internal sealed class SqliteTurnQueue(SqliteDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time)
    : SqlTurnQueue(SqliteDialect.Instance, options, time)
{
    // Every write to the queue goes through one thread and one connection, committed in groups (see TurnWriter).
    private readonly Lazy<TurnWriter> _writer = new(() => new TurnWriter(database), LazyThreadSafetyMode.ExecutionAndPublication);

    protected override Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite runs its "async" calls synchronously, so the shared statements complete on the writer's
        // own thread, inside its group commit; that thread exists to block on SQLite.
        _writer.Value.WriteAsync(connection => write(connection, CancellationToken.None).GetAwaiter().GetResult(), cancellationToken);

    protected override async Task<DbConnection> OpenForReadAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken);

    protected override async Task<ClaimedRow?> ClaimNextAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The oldest ready turn that no earlier unfinished turn of the same person (or group round) is waiting before;
        // a payload that is not JSON is still claimed, so it can be failed rather than block the queue.
        var rows = await connection.RowsAsync(
            """
            SELECT t.id, t.payload, t.attempts, t.result FROM turns t
            WHERE ((t.status = 'pending' AND t.not_before <= @now) OR (t.status = 'running' AND t.lease_until < @now))
              AND (t.user_key IS NULL OR NOT EXISTS (
                    SELECT 1 FROM turns e
                    WHERE e.channel = t.channel AND e.user_key = t.user_key AND e.id < t.id AND e.status IN ('pending', 'running')))
              AND (CASE WHEN json_valid(t.payload) THEN json_extract(t.payload, '$.roundId') END IS NULL OR NOT EXISTS (
                    SELECT 1 FROM turns r
                    WHERE r.channel = t.channel AND r.id < t.id AND r.status IN ('pending', 'running')
                      AND CASE WHEN json_valid(r.payload) THEN json_extract(r.payload, '$.roundId') END = json_extract(t.payload, '$.roundId')))
            ORDER BY t.id LIMIT 1;
            """,
            r => new ClaimedRow(r.GetInt64(0), r.GetString(1), r.Int(2) + 1, r.NullableText(3)),
            cancellationToken, ("@now", Sql.Time(now)));
        if (rows.Count == 0)
        {
            return null;
        }

        await connection.RunAsync(
            "UPDATE turns SET status = 'running', attempts = attempts + 1, lease_until = @lease WHERE id = @id;",
            cancellationToken, ("@lease", Sql.Time(now.AddSeconds(Options.LeaseSeconds))), ("@id", rows[0].Id));
        return rows[0];
    }

    protected override Task<int> RecoverAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // One host owns a SQLite file, so at start-up any running turn belongs to a process that is gone.
        connection.RunAsync("UPDATE turns SET status = 'pending', lease_until = NULL WHERE status = 'running';", cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _writer.IsValueCreated)
        {
            _writer.Value.Dispose();
        }

        base.Dispose(disposing);
    }
}
