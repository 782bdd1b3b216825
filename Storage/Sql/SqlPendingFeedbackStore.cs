using CoachBot.Coaching.Queue;

namespace CoachBot.Storage;

/// <summary>
/// Pending feedback as the table <c>teams_pending_feedback</c> (SQLite migration 10, where earlier versions made it on
/// first use), with one set of statements for every provider.
/// </summary>
internal class SqlPendingFeedbackStore(ISqlDatabase database, TimeProvider time) : IPendingFeedbackStore
{
    public async Task AddAsync(string userId, string turnKey, string payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(turnKey);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO teams_pending_feedback (user_id, turn_key, activity, created_at) VALUES (@u, @k, @a, @t)
            ON CONFLICT (user_id, turn_key) DO UPDATE SET activity = excluded.activity, created_at = excluded.created_at;
            """,
            cancellationToken, ("@u", userId), ("@k", turnKey), ("@a", payload), ("@t", database.Dialect.Time(time.GetUtcNow())));
    }

    public async Task<IReadOnlyList<(string TurnKey, string Payload)>> ForUserAsync(string userId, DateTimeOffset keptSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "DELETE FROM teams_pending_feedback WHERE created_at < @oldest;", cancellationToken, ("@oldest", database.Dialect.Time(keptSince)));
        return await connection.RowsAsync(
            "SELECT turn_key, activity FROM teams_pending_feedback WHERE user_id = @u ORDER BY created_at, turn_key;",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("@u", userId));
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset keptSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "DELETE FROM teams_pending_feedback WHERE created_at < @oldest;", cancellationToken, ("@oldest", database.Dialect.Time(keptSince)));
    }

    public async Task RemoveAsync(string userId, string? turnKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (turnKey is null)
        {
            await connection.RunAsync("DELETE FROM teams_pending_feedback WHERE user_id = @u;", cancellationToken, ("@u", userId));
            return;
        }

        await connection.RunAsync(
            "DELETE FROM teams_pending_feedback WHERE user_id = @u AND turn_key = @k;", cancellationToken, ("@u", userId), ("@k", turnKey));
    }
}
