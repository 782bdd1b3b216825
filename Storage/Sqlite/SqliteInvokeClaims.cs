namespace CoachBot.Storage.Sqlite;

/// <summary>Claims in the SQLite file (the statements are <see cref="SqlInvokeClaims"/>'s).</summary>
internal sealed class SqliteInvokeClaims(SqliteDatabase database, TimeProvider time) : SqlInvokeClaims(database, time);
