using CoachBot.Coaching.Storage;

namespace CoachBot.Storage.Sqlite;

/// <summary>The delivery ledger in the SQLite file, beside the queue (the statements are <see cref="SqlDeliveryLedger"/>'s).</summary>
internal sealed class SqliteDeliveryLedger(SqliteDatabase database, TimeProvider time) : SqlDeliveryLedger(database, time);
