namespace CoachBot.Storage.Postgres;

/// <summary>The delivery ledger on PostgreSQL, beside the queue (the statements are <see cref="SqlDeliveryLedger"/>'s).</summary>
internal sealed class PostgresDeliveryLedger(PostgresDatabase database, TimeProvider time) : SqlDeliveryLedger(database, time);
