namespace CoachBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, as an append-only list. A version number is SQLite's (<c>Coaching/Storage/Migrations.cs</c>)
/// where the tables correspond: the turn queue is 1, the delivery ledger 8. A store that moves to PostgreSQL later gets
/// the next number above both lists. Each applied version is a row of <c>schema_migrations</c>, so a gap is no
/// problem. Never edit a migration that has shipped; add a new one.
/// </summary>
internal static class PostgresMigrations
{
    public sealed record Migration(int Version, string Description, IReadOnlyList<string> Tables, string Sql);

    public static readonly IReadOnlyList<Migration> All =
    [
        // SQLite's migrations 1 and 3 (user_key), for the turns table only, plus what several instances need: the lease's
        // owner, and the group round as a column (SQLite reads it from the JSON at each claim) so claims can use an index.
        new(1, "the turn queue", ["turns"], """
            CREATE TABLE turns (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                idempotency_key TEXT NOT NULL UNIQUE,
                channel TEXT NOT NULL,
                user_key TEXT NULL,
                payload TEXT NOT NULL,
                round_id BIGINT GENERATED ALWAYS AS (((payload::jsonb) ->> 'roundId')::bigint) STORED,
                status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                not_before TIMESTAMPTZ NOT NULL,
                lease_until TIMESTAMPTZ NULL,
                lease_owner TEXT NULL,
                last_error TEXT NULL,
                result TEXT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                completed_at TIMESTAMPTZ NULL
            );
            CREATE INDEX turns_ready ON turns (status, not_before, id);
            CREATE INDEX turns_by_user ON turns (channel, user_key, id);
            CREATE INDEX turns_by_round ON turns (channel, round_id, id) WHERE round_id IS NOT NULL AND status IN ('pending', 'running');
            CREATE INDEX turns_finished ON turns (completed_at) WHERE status IN ('done', 'failed');
            """),

        // SQLite's migration 8.
        new(8, "the delivery ledger", ["deliveries"], """
            CREATE TABLE deliveries (
                turn_key TEXT NOT NULL,
                slot TEXT NOT NULL,
                conversation TEXT NOT NULL,
                thread TEXT NULL,
                message_id TEXT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (turn_key, slot)
            );
            """),

        // SQLite's migration 1 (practice sessions, asked questions, attempts) and 6 (the short answer held for a "yes").
        // The first number above both lists when they moved. pending_plan (SQLite 7) belongs to interview plans: not here yet.
        new(9, "practice sessions, asked questions and attempts", ["practice_sessions", "asked_questions", "attempts"], """
            CREATE TABLE practice_sessions (
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                role TEXT NOT NULL,
                difficulty INTEGER NULL,
                current_question_id TEXT NULL,
                pending_answer TEXT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (channel, user_key)
            );

            CREATE TABLE asked_questions (
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                question_id TEXT NOT NULL,
                asked_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (channel, user_key, question_id)
            );

            CREATE TABLE attempts (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                question_id TEXT NOT NULL,
                idempotency_key TEXT NULL UNIQUE,
                overall INTEGER NOT NULL,
                scores_json TEXT NOT NULL,
                report_json TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX attempts_by_user ON attempts (channel, user_key, id);
            """),
    ];
}
