using CoachBot.Coaching.Storage;

namespace CoachBot.Coaching.Queue;

/// <summary>The delivery ledger as the SQLite table <c>deliveries</c> (migration 7), in the same file as the queue.</summary>
internal sealed class SqliteDeliveryLedger(SqliteDatabase database, TimeProvider time) : IDeliveryLedger
{
    public async Task<DeliveryRecord> BeginAsync(
        string turnKey, string slot, string conversation, string? thread, string? knownMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(turnKey);
        ArgumentException.ThrowIfNullOrEmpty(slot);
        ArgumentException.ThrowIfNullOrEmpty(conversation);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await ReadAsync(connection, turnKey, slot, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = time.GetUtcNow();
        await connection.ExecuteAsync(
            """
            INSERT INTO deliveries (turn_key, slot, conversation, thread, message_id, started_at)
            VALUES ($k, $s, $c, $t, $m, $at);
            """,
            cancellationToken, ("$k", turnKey), ("$s", slot), ("$c", conversation), ("$t", thread), ("$m", knownMessageId), ("$at", Sql.Time(now)));
        await transaction.CommitAsync(cancellationToken);
        return new DeliveryRecord(turnKey, slot, conversation, thread, knownMessageId, now, knownMessageId is null ? DeliveryState.New : DeliveryState.Posted);
    }

    public async Task<DeliveryRecord?> FindAsync(string turnKey, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, turnKey, slot, cancellationToken);
    }

    public async Task RecordAsync(string turnKey, string slot, string conversation, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO deliveries (turn_key, slot, conversation, message_id, started_at) VALUES ($k, $s, $c, $m, $at)
            ON CONFLICT (turn_key, slot) DO UPDATE SET conversation = excluded.conversation, message_id = excluded.message_id;
            """,
            cancellationToken, ("$k", turnKey), ("$s", slot), ("$c", conversation), ("$m", messageId), ("$at", Sql.Time(time.GetUtcNow())));
    }

    public async Task ForgetAsync(string turnKey, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "DELETE FROM deliveries WHERE turn_key = $k AND slot = $s;", cancellationToken, ("$k", turnKey), ("$s", slot));
    }

    private static async Task<DeliveryRecord?> ReadAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string turnKey, string slot, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            "SELECT conversation, thread, message_id, started_at FROM deliveries WHERE turn_key = $k AND slot = $s;",
            r => new DeliveryRecord(
                turnKey, slot, r.GetString(0), r.NullableString(1), r.NullableString(2), Sql.ParseTime(r.GetString(3)),
                r.IsDBNull(2) ? DeliveryState.InDoubt : DeliveryState.Posted),
            cancellationToken, ("$k", turnKey), ("$s", slot));
        return rows.Count == 0 ? null : rows[0];
    }
}
