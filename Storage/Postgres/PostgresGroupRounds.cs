using CoachBot.Coaching.Questions;

namespace CoachBot.Storage.Postgres;

/// <summary>Group rounds and schedules on PostgreSQL (the statements are <see cref="SqlGroupRounds"/>'s).</summary>
internal sealed class PostgresGroupRounds(PostgresDatabase database, IQuestionBank bank, TimeProvider time) : SqlGroupRounds(database, bank, time);
