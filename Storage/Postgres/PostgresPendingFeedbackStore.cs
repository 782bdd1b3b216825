namespace CoachBot.Storage.Postgres;

/// <summary>Pending feedback on PostgreSQL, seen by every instance (the statements are <see cref="SqlPendingFeedbackStore"/>'s).</summary>
internal sealed class PostgresPendingFeedbackStore(PostgresDatabase database, TimeProvider time) : SqlPendingFeedbackStore(database, time);
