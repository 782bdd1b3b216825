using CoachBot.Coaching.Questions;

namespace CoachBot.Storage.Postgres;

/// <summary>Practice sessions and attempts on PostgreSQL (the statements are <see cref="SqlPracticeSessions"/>'s).</summary>
internal sealed class PostgresPracticeSessions(PostgresDatabase database, IQuestionBank bank, TimeProvider time) : SqlPracticeSessions(database, bank, time);
