using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Storage;

namespace CoachBot.Storage.Sqlite;

/// <summary>Practice sessions kept in the SQLite database (the statements are <see cref="SqlPracticeSessions"/>'s).</summary>
internal sealed class SqlitePracticeSessions(SqliteDatabase database, IQuestionBank bank, TimeProvider time) : SqlPracticeSessions(database, bank, time);
