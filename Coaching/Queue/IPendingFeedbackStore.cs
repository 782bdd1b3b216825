using CoachBot.Coaching.Storage;

namespace CoachBot.Coaching.Queue;

/// <summary>
/// Feedback a channel could not send privately yet (Teams: the member has not installed the app for themselves, so no
/// one-to-one chat can be made), kept as the channel's own message text until it can be sent, it expires, or the member
/// says "forget me". The payload is opaque here: the adapter that wrote it reads it.
/// </summary>
public interface IPendingFeedbackStore
{
    /// <summary>Keeps <paramref name="payload"/> for <paramref name="userId"/>; the same turn keeps one (the newest).</summary>
    Task AddAsync(string userId, string turnKey, string payload, CancellationToken cancellationToken);

    /// <summary>
    /// The member's kept feedback stored at or after <paramref name="keptSince"/>, oldest first; older feedback (of
    /// anyone) is deleted on the way.
    /// </summary>
    Task<IReadOnlyList<(string TurnKey, string Payload)>> ForUserAsync(string userId, DateTimeOffset keptSince, CancellationToken cancellationToken);

    /// <summary>Deletes the feedback stored before <paramref name="keptSince"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset keptSince, CancellationToken cancellationToken);

    /// <summary>Removes one kept feedback (it was sent), or all of a member's when <paramref name="turnKey"/> is null.</summary>
    Task RemoveAsync(string userId, string? turnKey, CancellationToken cancellationToken);
}

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

/// <summary>Pending feedback in the SQLite file (the statements are <see cref="SqlPendingFeedbackStore"/>'s).</summary>
internal sealed class SqlitePendingFeedbackStore(SqliteDatabase database, TimeProvider time) : SqlPendingFeedbackStore(database, time);
