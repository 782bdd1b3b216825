namespace CoachBot.Storage.Sqlite;

/// <summary>
/// The schema, as an append-only list: migration N brings the database from version N−1 to N
/// (<c>PRAGMA user_version</c>). Never edit a migration that has shipped; add a new one.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<string> All =
    [
        // 1: practice sessions, attempts, the turn queue.
        """
        CREATE TABLE practice_sessions (
            channel TEXT NOT NULL,
            user_key TEXT NOT NULL,
            role TEXT NOT NULL,
            difficulty INTEGER NULL,
            current_question_id TEXT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (channel, user_key)
        );

        CREATE TABLE asked_questions (
            channel TEXT NOT NULL,
            user_key TEXT NOT NULL,
            question_id TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            PRIMARY KEY (channel, user_key, question_id)
        );

        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            user_key TEXT NOT NULL,
            question_id TEXT NOT NULL,
            idempotency_key TEXT NULL UNIQUE,
            overall INTEGER NOT NULL,
            scores_json TEXT NOT NULL,
            report_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX attempts_by_user ON attempts (channel, user_key, id);

        CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT NOT NULL,
            lease_until TEXT NULL,
            last_error TEXT NULL,
            result TEXT NULL,
            created_at TEXT NOT NULL,
            completed_at TEXT NULL
        );
        CREATE INDEX turns_ready ON turns (status, not_before, id);
        """,

        // 2: the knowledge store: documents, heading-aware chunks, their FTS5 index, and embeddings per model.
        // roles/categories hold space-delimited ids (" designer sales "), or '' for every role/category.
        """
        CREATE TABLE knowledge_documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            roles TEXT NOT NULL,
            categories TEXT NOT NULL,
            tags TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );

        CREATE TABLE knowledge_chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            chunk_key TEXT NOT NULL UNIQUE,
            title_path TEXT NOT NULL,
            text TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX knowledge_chunks_by_document ON knowledge_chunks (document_id, ordinal);
        CREATE INDEX knowledge_chunks_by_hash ON knowledge_chunks (content_hash);

        CREATE VIRTUAL TABLE knowledge_fts USING fts5 (title_path, tags, text, tokenize = 'porter unicode61');

        -- One vector per chunk text per model: unchanged text is never embedded twice, and vectors of another model are never searched.
        CREATE TABLE knowledge_vectors (
            content_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            dimensions INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (content_hash, model)
        );
        """,

        // 3: whose turn it is, so "forget me" and retention can clear the answers kept in the queue.
        """
        ALTER TABLE turns ADD COLUMN user_key TEXT NULL;
        CREATE INDEX turns_by_user ON turns (channel, user_key);
        """,

        // 4: group coaching rounds in a channel thread, their questions and answers, channel settings and
        // question-of-the-day schedules. Times are ISO-8601 UTC text like the rest of the schema.
        """
        CREATE TABLE group_rounds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            tenant_id TEXT NULL,
            conversation_id TEXT NOT NULL,
            thread_id TEXT NULL,
            facilitator_id TEXT NOT NULL,
            role TEXT NOT NULL,
            question_count INTEGER NOT NULL,
            current_index INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('open', 'wrapped')),
            deadline TEXT NOT NULL,
            reminded INTEGER NOT NULL DEFAULT 0,
            routing TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            wrapped_at TEXT NULL,
            summary TEXT NULL
        );
        CREATE UNIQUE INDEX group_rounds_by_thread ON group_rounds (channel, conversation_id, thread_id) WHERE thread_id IS NOT NULL;
        CREATE INDEX group_rounds_due ON group_rounds (status, deadline);

        CREATE TABLE group_round_questions (
            round_id INTEGER NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            PRIMARY KEY (round_id, ordinal)
        );

        CREATE TABLE group_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            round_id INTEGER NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            user_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            overall INTEGER NOT NULL,
            report TEXT NOT NULL,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX group_answers_by_round ON group_answers (round_id, ordinal);
        CREATE INDEX group_answers_by_user ON group_answers (user_key);

        CREATE TABLE group_highlight_consents (
            round_id INTEGER NOT NULL REFERENCES group_rounds (id) ON DELETE CASCADE,
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
            next_run_at TEXT NOT NULL,
            PRIMARY KEY (channel, conversation_id)
        );
        """,

        // 5: interview plans made from a résumé and a job description. plan_json holds the questions and the extracted
        // facts only (never the résumé's text); "forget me" deletes the rows.
        """
        CREATE TABLE interview_plans (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            user_key TEXT NOT NULL,
            role TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX interview_plans_by_user ON interview_plans (channel, user_key, created_at);
        """,

        // 6: a short answer held until the user confirms it ("Is this your answer? Reply yes").
        """
        ALTER TABLE practice_sessions ADD COLUMN pending_answer TEXT NULL;
        """,

        // 7: mock interviews and their answers, and the half of a plan a chat has received so far. questions_json holds the questions as asked (a plan's included), so an
        // interview can finish after its plan is replaced; card_json is the final report card. "forget me" deletes both.
        """
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
            started_at TEXT NOT NULL,
            finished_at TEXT NULL
        );
        CREATE INDEX mock_interviews_by_user ON mock_interviews (channel, user_key, status, started_at);

        CREATE TABLE mock_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
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
            answered_at TEXT NOT NULL
        );
        CREATE INDEX mock_answers_by_mock ON mock_answers (mock_id, id);
        CREATE INDEX mock_answers_by_user ON mock_answers (channel, user_key);

        -- A plan being made in a chat: the facts of the résumé or the job sent first, until the other one comes.
        ALTER TABLE practice_sessions ADD COLUMN pending_plan TEXT NULL;
        """,

        // 8: the messages a turn's replies were posted as (placeholder and card share a slot), written before each post
        // so that a delivery repeated after a crash updates or finds that message instead of posting a second one.
        """
        CREATE TABLE deliveries (
            turn_key TEXT NOT NULL,
            slot TEXT NOT NULL,
            conversation TEXT NOT NULL,
            thread TEXT NULL,
            message_id TEXT NULL,
            started_at TEXT NOT NULL,
            PRIMARY KEY (turn_key, slot)
        );
        """,

        // 9: named leases, of which one instance holds each at a time (the group scheduler's: deadline wraps and the
        // question of the day run on one instance). A lease not renewed by its time may be taken by another instance.
        """
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            lease_until TEXT NOT NULL
        );
        """,

        // 10: round feedback kept for a Teams member who cannot be written to privately yet. Earlier versions made the
        // table on first use (hence IF NOT EXISTS: their rows stay); the index serves the expiry sweep.
        """
        CREATE TABLE IF NOT EXISTS teams_pending_feedback (
            user_id TEXT NOT NULL,
            turn_key TEXT NOT NULL,
            activity TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, turn_key)
        );
        CREATE INDEX IF NOT EXISTS teams_pending_feedback_by_age ON teams_pending_feedback (created_at);
        """,

        // 11: recordings uploaded to the recorder page, until their turn is coached (earlier versions kept them as files
        // beside the database, which another instance could not read).
        """
        CREATE TABLE recordings (
            id TEXT PRIMARY KEY,
            size_bytes INTEGER NOT NULL,
            content BLOB NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE INDEX recordings_by_age ON recordings (saved_at);
        """,

        // 12: claims on Teams invokes and welcomes, so one instance answers each (and a redelivery gets its answer);
        // the index serves the sweep of expired claims.
        """
        CREATE TABLE invoke_claims (
            claim_key TEXT PRIMARY KEY,
            result TEXT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX invoke_claims_by_expiry ON invoke_claims (expires_at);
        """,
    ];
}
