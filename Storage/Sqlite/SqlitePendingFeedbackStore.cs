namespace CoachBot.Storage.Sqlite;

/// <summary>Pending feedback in the SQLite file (the statements are <see cref="SqlPendingFeedbackStore"/>'s).</summary>
internal sealed class SqlitePendingFeedbackStore(SqliteDatabase database, TimeProvider time) : SqlPendingFeedbackStore(database, time);
