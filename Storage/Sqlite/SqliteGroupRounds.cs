using CoachBot.Coaching.Questions;

namespace CoachBot.Storage.Sqlite;

/// <summary>Group rounds and schedules kept in the SQLite database (the statements are <see cref="SqlGroupRounds"/>'s).</summary>
internal sealed class SqliteGroupRounds(SqliteDatabase database, IQuestionBank bank, TimeProvider time) : SqlGroupRounds(database, bank, time);
