using CoachBot.Coaching.Queue;

namespace CoachBot.Storage;

/// <summary>
/// The delivery ledger as the table <c>deliveries</c> (migration 8), in the same database as the queue, with one set of
/// statements for every provider: a slot is started with <c>INSERT … ON CONFLICT DO NOTHING</c>, so of two instances
/// starting the same slot at once exactly one gets <see cref="DeliveryState.New"/>.
/// </summary>
internal class SqlDeliveryLedger(ISqlDatabase database, TimeProvider time) : IDeliveryLedger
{
    public async Task<DeliveryRecord> BeginAsync(
        string turnKey, string slot, string conversation, string? thread, string? knownMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(turnKey);
        ArgumentException.ThrowIfNullOrEmpty(slot);
        ArgumentException.ThrowIfNullOrEmpty(conversation);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var inserted = await connection.RunAsync(
            """
            INSERT INTO deliveries (turn_key, slot, conversation, thread, message_id, started_at)
            VALUES (@k, @s, @c, @t, @m, @at)
            ON CONFLICT (turn_key, slot) DO NOTHING;
            """,
            cancellationToken, ("@k", turnKey), ("@s", slot), ("@c", conversation), ("@t", thread), ("@m", knownMessageId), ("@at", database.Dialect.Time(now)));
        if (inserted == 0 && await ReadAsync(connection, turnKey, slot, cancellationToken) is { } existing)
        {
            return existing;
        }

        return new DeliveryRecord(turnKey, slot, conversation, thread, knownMessageId, now, knownMessageId is null ? DeliveryState.New : DeliveryState.Posted);
    }

    public async Task<DeliveryRecord?> FindAsync(string turnKey, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, turnKey, slot, cancellationToken);
    }

    public async Task RecordAsync(string turnKey, string slot, string conversation, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO deliveries (turn_key, slot, conversation, message_id, started_at) VALUES (@k, @s, @c, @m, @at)
            ON CONFLICT (turn_key, slot) DO UPDATE SET conversation = excluded.conversation, message_id = excluded.message_id;
            """,
            cancellationToken, ("@k", turnKey), ("@s", slot), ("@c", conversation), ("@m", messageId), ("@at", database.Dialect.Time(time.GetUtcNow())));
    }

    public async Task ForgetAsync(string turnKey, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "DELETE FROM deliveries WHERE turn_key = @k AND slot = @s;", cancellationToken, ("@k", turnKey), ("@s", slot));
    }

    private async Task<DeliveryRecord?> ReadAsync(System.Data.Common.DbConnection connection, string turnKey, string slot, CancellationToken cancellationToken)
    {
        var rows = await connection.RowsAsync(
            "SELECT conversation, thread, message_id, started_at FROM deliveries WHERE turn_key = @k AND slot = @s;",
            r => new DeliveryRecord(
                turnKey, slot, r.GetString(0), r.NullableText(1), r.NullableText(2), database.Dialect.ReadTime(r, 3),
                r.IsDBNull(2) ? DeliveryState.InDoubt : DeliveryState.Posted),
            cancellationToken, ("@k", turnKey), ("@s", slot));
        return rows.Count == 0 ? null : rows[0];
    }
}
