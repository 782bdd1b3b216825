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

        // SQLite's migration 4 (group rounds, their questions, answers and quote consents, channel settings, schedules) and
        // 9 (leases: the group scheduler runs on one instance at a time). The first number above both lists when they moved.
        new(10, "group rounds, schedules and the scheduler's lease",
            ["group_rounds", "group_round_questions", "group_answers", "group_highlight_consents", "group_channel_settings", "group_schedules", "leases"], """
            CREATE TABLE group_rounds (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                channel TEXT NOT NULL,
                tenant_id TEXT NULL,
                conversation_id TEXT NOT NULL,
                thread_id TEXT NULL,
                facilitator_id TEXT NOT NULL,
                role TEXT NOT NULL,
                question_count INTEGER NOT NULL,
                current_index INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL CHECK (status IN ('open', 'wrapped')),
                deadline TIMESTAMPTZ NOT NULL,
                reminded INTEGER NOT NULL DEFAULT 0,
                routing TEXT NOT NULL DEFAULT '{}',
                created_at TIMESTAMPTZ NOT NULL,
                wrapped_at TIMESTAMPTZ NULL,
                summary TEXT NULL
            );
            CREATE UNIQUE INDEX group_rounds_by_thread ON group_rounds (channel, conversation_id, thread_id) WHERE thread_id IS NOT NULL;
            CREATE INDEX group_rounds_due ON group_rounds (status, deadline);
            CREATE INDEX group_rounds_by_conversation ON group_rounds (channel, conversation_id, id);

            CREATE TABLE group_round_questions (
                round_id BIGINT NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                question_id TEXT NOT NULL,
                PRIMARY KEY (round_id, ordinal)
            );

            CREATE TABLE group_answers (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                round_id BIGINT NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                user_key TEXT NOT NULL,
                user_id TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                overall INTEGER NOT NULL,
                report TEXT NOT NULL,
                answered_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX group_answers_by_round ON group_answers (round_id, ordinal);
            CREATE INDEX group_answers_by_user ON group_answers (user_key);

            CREATE TABLE group_highlight_consents (
                round_id BIGINT NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
                user_key TEXT NOT NULL,
                PRIMARY KEY (round_id, user_key)
            );

            CREATE TABLE group_channel_settings (
                channel TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                public_feedback INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (channel, conversation_id)
            );

            CREATE TABLE group_schedules (
                channel TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                tenant_id TEXT NULL,
                created_by TEXT NOT NULL,
                local_time TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                role TEXT NOT NULL,
                routing TEXT NOT NULL DEFAULT '{}',
                next_run_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (channel, conversation_id)
            );
            CREATE INDEX group_schedules_due ON group_schedules (next_run_at);

            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                lease_until TIMESTAMPTZ NOT NULL
            );
            """),

        // SQLite's migration 10 (Teams feedback kept until the member can be written to privately).
        new(11, "pending feedback (Teams)", ["teams_pending_feedback"], """
            CREATE TABLE teams_pending_feedback (
                user_id TEXT NOT NULL,
                turn_key TEXT NOT NULL,
                activity TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_id, turn_key)
            );
            CREATE INDEX teams_pending_feedback_by_age ON teams_pending_feedback (created_at);
            """),

        // SQLite's migration 11 (recordings uploaded to the recorder page, until their turn is coached).
        new(12, "recorded answers awaiting coaching", ["recordings"], """
            CREATE TABLE recordings (
                id TEXT PRIMARY KEY,
                size_bytes BIGINT NOT NULL,
                content BYTEA NOT NULL,
                saved_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX recordings_by_age ON recordings (saved_at);
            """),

        // SQLite's migrations 5 (interview plans) and 7 (mock interviews, their answers, and the half of a plan a chat has
        // received so far). seq orders a person's plans made in the same instant as SQLite's rowid does.
        new(13, "interview plans and mock interviews", ["interview_plans", "mock_interviews", "mock_answers"], """
            CREATE TABLE interview_plans (
                id TEXT PRIMARY KEY,
                seq BIGINT GENERATED ALWAYS AS IDENTITY,
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                role TEXT NOT NULL,
                plan_json TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX interview_plans_by_user ON interview_plans (channel, user_key, created_at);

            CREATE TABLE mock_interviews (
                id TEXT PRIMARY KEY,
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                title TEXT NOT NULL,
                questions_json TEXT NOT NULL,
                position INTEGER NOT NULL DEFAULT 0,
                follow_up TEXT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'finished', 'abandoned')),
                readiness INTEGER NULL,
                answered INTEGER NULL,
                card_json TEXT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                finished_at TIMESTAMPTZ NULL
            );
            CREATE INDEX mock_interviews_by_user ON mock_interviews (channel, user_key, status, started_at);

            CREATE TABLE mock_answers (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                mock_id TEXT NOT NULL REFERENCES mock_interviews (id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                user_key TEXT NOT NULL,
                position INTEGER NOT NULL,
                follow_up INTEGER NOT NULL,
                question_id TEXT NOT NULL,
                question_text TEXT NOT NULL,
                competencies_json TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('answered', 'skipped')),
                overall INTEGER NULL,
                scores_json TEXT NULL,
                report_json TEXT NULL,
                idempotency_key TEXT NULL UNIQUE,
                answered_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX mock_answers_by_mock ON mock_answers (mock_id, id);
            CREATE INDEX mock_answers_by_user ON mock_answers (channel, user_key);

            ALTER TABLE practice_sessions ADD COLUMN pending_plan TEXT NULL;
            """),

        // SQLite's migration 12 (claims on Teams invokes and welcomes, answered once across instances).
        new(14, "Teams invoke and welcome claims", ["invoke_claims"], """
            CREATE TABLE invoke_claims (
                claim_key TEXT PRIMARY KEY,
                result TEXT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX invoke_claims_by_expiry ON invoke_claims (expires_at);
            """),

        // SQLite's migration 2 (the knowledge store), with PostgreSQL's own full-text search: a tsvector generated from the
        // title path (weight A), the document's tags (B, copied to each chunk, as SQLite's FTS table holds them) and the
        // text (C) with the 'english' configuration, under a GIN index. Vectors are float32 bytes as on SQLite, searched in
        // memory on each instance; knowledge_generation is bumped by every write, so an instance sees when to reload them.
        new(15, "the knowledge store", ["knowledge_documents", "knowledge_chunks", "knowledge_vectors", "knowledge_generation"], """
            CREATE TABLE knowledge_documents (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                roles TEXT NOT NULL,
                categories TEXT NOT NULL,
                tags TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                ingested_at TIMESTAMPTZ NOT NULL
            );

            CREATE TABLE knowledge_chunks (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                document_id BIGINT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                chunk_key TEXT NOT NULL UNIQUE,
                title_path TEXT NOT NULL,
                text TEXT NOT NULL,
                tokens INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                tags TEXT NOT NULL,
                fts TSVECTOR GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title_path), 'A') ||
                    setweight(to_tsvector('english', tags), 'B') ||
                    setweight(to_tsvector('english', text), 'C')) STORED
            );
            CREATE INDEX knowledge_chunks_by_document ON knowledge_chunks (document_id, ordinal);
            CREATE INDEX knowledge_chunks_by_hash ON knowledge_chunks (content_hash);
            CREATE INDEX knowledge_chunks_fts ON knowledge_chunks USING GIN (fts);

            CREATE TABLE knowledge_vectors (
                content_hash TEXT NOT NULL,
                model TEXT NOT NULL,
                dimensions INTEGER NOT NULL,
                vector BYTEA NOT NULL,
                PRIMARY KEY (content_hash, model)
            );

            CREATE TABLE knowledge_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation BIGINT NOT NULL
            );
            INSERT INTO knowledge_generation (id, generation) VALUES (1, 0);
            """),

        // The dev chat's conversations, shared by every instance (SQLite's one instance keeps them in memory): an entry
        // appended by one instance is read by the one holding the browser's stream. The epoch names this database's ids.
        new(16, "the dev chat's conversations", ["devchat_entries", "devchat_epoch"], """
            CREATE TABLE devchat_entries (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                conversation_id TEXT NOT NULL,
                turn_key TEXT NOT NULL,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX devchat_entries_by_conversation ON devchat_entries (conversation_id, id);
            CREATE INDEX devchat_entries_by_age ON devchat_entries (created_at);

            CREATE TABLE devchat_epoch (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                epoch TEXT NOT NULL
            );
            INSERT INTO devchat_epoch (id, epoch) VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 12));
            """),
    ];
}
