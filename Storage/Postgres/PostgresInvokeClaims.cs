namespace CoachBot.Storage.Postgres;

/// <summary>Invoke claims on PostgreSQL, shared by every instance (the statements are <see cref="SqlInvokeClaims"/>'s).</summary>
internal sealed class PostgresInvokeClaims(PostgresDatabase database, TimeProvider time) : SqlInvokeClaims(database, time);
