using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Storage;

/// <summary>
/// Practice sessions, the questions asked and the attempts, with one set of statements for every provider (the
/// SQLite file, PostgreSQL). Tables of stores that are not on this database yet (mock interviews, interview plans) are
/// left out: their summaries are not listed and "forget me" has nothing of theirs to delete there.
/// </summary>
internal class SqlPracticeSessions(ISqlDatabase database, IQuestionBank bank, TimeProvider time) : IPracticeSessions
{
    private const int TrendWindow = 10;

    // Every table that holds rows of one person ("forget me" empties them), wherever its store lives in this database.
    private static readonly string[] UserTables = ["attempts", "asked_questions", "practice_sessions", "interview_plans", "mock_answers", "mock_interviews"];

    // A competency the user has not been scored on yet ranks as mildly weak, so new ground gets explored
    // before strong ground but after ground where the user really struggles.
    private const double UnseenCompetencyScore = 60;

    public async Task<PracticeSession> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = database.Dialect.Time(time.GetUtcNow());
        await connection.RunAsync(
            "INSERT INTO practice_sessions (channel, user_key, role, created_at, updated_at) VALUES (@c, @u, @r, @t, @t) ON CONFLICT (channel, user_key) DO NOTHING;",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@r", Roles.General), ("@t", now));
        var rows = await connection.RowsAsync(
            "SELECT role, difficulty, current_question_id FROM practice_sessions WHERE channel = @c AND user_key = @u;",
            r => new PracticeSession(key, r.GetString(0), r.IsDBNull(1) ? null : r.Int(1), r.NullableText(2)),
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        return rows[0];
    }

    public async Task<PracticeSession> SetRoleAsync(SessionKey key, string role, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        await GetAsync(key, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE practice_sessions SET role = @r, updated_at = @t WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@r", role), ("@t", database.Dialect.Time(time.GetUtcNow())), ("@c", key.Channel), ("@u", key.UserKey));
        return await GetAsync(key, cancellationToken);
    }

    public async Task<PracticeSession> SetDifficultyAsync(SessionKey key, int? difficulty, CancellationToken cancellationToken)
    {
        if (difficulty is not null and not (1 or 2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, "Difficulty is 1, 2 or 3.");
        }

        await GetAsync(key, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE practice_sessions SET difficulty = @d, updated_at = @t WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@d", difficulty), ("@t", database.Dialect.Time(time.GetUtcNow())), ("@c", key.Channel), ("@u", key.UserKey));
        return await GetAsync(key, cancellationToken);
    }

    public async Task<Question> NextQuestionAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var session = await GetAsync(key, cancellationToken);
        var pool = bank.Filter(session.Role, null, session.Difficulty);
        if (pool.Count == 0)
        {
            pool = bank.Filter(session.Role);
        }

        if (pool.Count == 0)
        {
            pool = bank.All;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One person's next question is chosen one request at a time (SQLite: the write transaction; PostgreSQL: the row lock).
        await connection.RowsAsync(
            $"SELECT role FROM practice_sessions WHERE channel = @c AND user_key = @u{database.Dialect.ForUpdate};",
            r => r.GetString(0), cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        var asked = (await connection.RowsAsync(
            "SELECT question_id FROM asked_questions WHERE channel = @c AND user_key = @u;",
            r => r.GetString(0), cancellationToken, ("@c", key.Channel), ("@u", key.UserKey))).ToHashSet(StringComparer.Ordinal);

        var unasked = pool.Where(q => !asked.Contains(q.Id)).ToList();
        if (unasked.Count == 0)
        {
            // Every question of this set was used: start a new cycle for this set, but never repeat the current one at once.
            foreach (var q in pool)
            {
                await connection.RunAsync(
                    "DELETE FROM asked_questions WHERE channel = @c AND user_key = @u AND question_id = @q;",
                    cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@q", q.Id));
            }

            unasked = [.. pool.Where(q => q.Id != session.CurrentQuestionId || pool.Count == 1)];
        }

        var weakness = await CompetencyAveragesAsync(connection, key, cancellationToken);
        var cycle = asked.Count;
        var next = unasked
            .OrderBy(q => q.Competencies.Min(c => weakness.GetValueOrDefault(c, UnseenCompetencyScore)))
            .ThenBy(q => q.Role == session.Role ? 0 : 1) // someone practising for sales hears sales questions first
            .ThenBy(q => Shuffle(key, q.Id, cycle))
            .First();

        var now = database.Dialect.Time(time.GetUtcNow());
        await connection.RunAsync(
            "INSERT INTO asked_questions (channel, user_key, question_id, asked_at) VALUES (@c, @u, @q, @t) ON CONFLICT (channel, user_key, question_id) DO UPDATE SET asked_at = excluded.asked_at;",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@q", next.Id), ("@t", now));
        await connection.RunAsync(
            "UPDATE practice_sessions SET current_question_id = @q, updated_at = @t WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@q", next.Id), ("@t", now), ("@c", key.Channel), ("@u", key.UserKey));
        await transaction.CommitAsync(cancellationToken);
        return next;
    }

    public async Task SetCurrentQuestionAsync(SessionKey key, Question question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        await GetAsync(key, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = database.Dialect.Time(time.GetUtcNow());
        if (bank.Find(question.Id) is not null)
        {
            await connection.RunAsync(
                "INSERT INTO asked_questions (channel, user_key, question_id, asked_at) VALUES (@c, @u, @q, @t) ON CONFLICT (channel, user_key, question_id) DO NOTHING;",
                cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@q", question.Id), ("@t", now));
        }

        await connection.RunAsync(
            "UPDATE practice_sessions SET current_question_id = @q, updated_at = @t WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@q", question.Id), ("@t", now), ("@c", key.Channel), ("@u", key.UserKey));
    }

    public async Task<bool> RecordAttemptAsync(SessionKey key, CoachingReport report, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var scores = JsonSerializer.Serialize(report.Scores.ToDictionary(s => s.Name, s => s.Score));
        var inserted = await connection.RunAsync(
            """
            INSERT INTO attempts (channel, user_key, question_id, idempotency_key, overall, scores_json, report_json, created_at)
            VALUES (@c, @u, @q, @k, @o, @s, @r, @t)
            ON CONFLICT DO NOTHING;
            """,
            cancellationToken,
            ("@c", key.Channel), ("@u", key.UserKey), ("@q", report.Question.Id), ("@k", idempotencyKey),
            ("@o", report.Overall), ("@s", scores), ("@r", ReportJson.Serialize(report, indented: false)),
            ("@t", database.Dialect.Time(time.GetUtcNow())));
        return inserted == 1;
    }

    public async Task UpdateAttemptReportAsync(SessionKey key, string idempotencyKey, CoachingReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE attempts SET report_json = @r WHERE channel = @c AND user_key = @u AND idempotency_key = @k;",
            cancellationToken, ("@r", ReportJson.Serialize(report, indented: false)), ("@c", key.Channel), ("@u", key.UserKey), ("@k", idempotencyKey));
    }

    public async Task<CoachingReport?> FindAttemptAsync(SessionKey key, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var json = await connection.ValueAsync<string>(
            "SELECT report_json FROM attempts WHERE channel = @c AND user_key = @u AND idempotency_key = @k;",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@k", idempotencyKey));
        return json is null ? null : ReportJson.Deserialize(json);
    }

    public async Task<ProgressSummary> GetProgressAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var attempts = await connection.RowsAsync(
            "SELECT question_id, overall, scores_json, created_at FROM attempts WHERE channel = @c AND user_key = @u ORDER BY id;",
            r => (Question: r.GetString(0), Overall: r.Int(1),
                  Scores: JsonSerializer.Deserialize<Dictionary<string, int>>(r.GetString(2)) ?? [], At: database.Dialect.ReadTime(r, 3)),
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));

        // Mock interviews are listed where their store lives in this database (on PostgreSQL: not yet).
        var mocks = !database.HasTable("mock_interviews") ? [] : await connection.RowsAsync(
            """
            SELECT id, title, readiness, answered, finished_at FROM mock_interviews
            WHERE channel = @c AND user_key = @u AND status = 'finished' ORDER BY finished_at DESC LIMIT 10;
            """,
            r => new CoachBot.Coaching.Mock.MockSummary(r.GetString(0), r.GetString(1), r.Int(2), r.Int(3), database.Dialect.ReadTime(r, 4)),
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));

        if (attempts.Count == 0)
        {
            return new ProgressSummary(0, null, new Dictionary<string, int>(), new ProgressTrend("not enough data", null, 0), null, []) { Mocks = mocks };
        }

        var byDimension = attempts.SelectMany(a => a.Scores)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (int)Math.Round(g.Average(kv => kv.Value), MidpointRounding.AwayFromZero), StringComparer.Ordinal);
        var weakest = byDimension.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
        var recent = attempts.TakeLast(TrendWindow).Select(a => (double)a.Overall).ToList();

        return new ProgressSummary(
            attempts.Count,
            (int)Math.Round(attempts.Average(a => a.Overall), MidpointRounding.AwayFromZero),
            byDimension,
            Trend(recent),
            weakest,
            [.. attempts.AsEnumerable().Reverse().Take(TrendWindow).Select(a => new AttemptSummary(a.Question, a.Overall, a.At))])
        {
            Mocks = mocks,
        };
    }

    public async Task HoldShortAnswerAsync(SessionKey key, string? text, CancellationToken cancellationToken)
    {
        await GetAsync(key, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE practice_sessions SET pending_answer = @p, updated_at = @t WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@p", text), ("@t", database.Dialect.Time(time.GetUtcNow())), ("@c", key.Channel), ("@u", key.UserKey));
    }

    public async Task<string?> TakeShortAnswerAsync(SessionKey key, CancellationToken cancellationToken)
    {
        // RETURNING gives the row as updated (NULL), so the held text is read first, in the same write transaction.
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var held = await connection.ValueAsync<string>(
            $"SELECT pending_answer FROM practice_sessions WHERE channel = @c AND user_key = @u{database.Dialect.ForUpdate};",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        if (held is not null)
        {
            await connection.RunAsync(
                "UPDATE practice_sessions SET pending_answer = NULL WHERE channel = @c AND user_key = @u;",
                cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        }

        await transaction.CommitAsync(cancellationToken);
        return held;
    }

    public async Task<int> ForgetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = 0;
        foreach (var table in UserTables.Where(database.HasTable))
        {
            removed += await connection.RunAsync(
                $"DELETE FROM {table} WHERE channel = @c AND user_key = @u;", cancellationToken,
                ("@c", key.Channel), ("@u", key.UserKey));
        }

        // The queue keeps each finished turn's key (so a redelivered event is not answered twice) but not its answer.
        removed += await connection.RunAsync(
            "UPDATE turns SET payload = '{}', result = NULL WHERE channel = @c AND user_key = @u AND status IN ('done', 'failed') AND payload <> '{}';",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>A least-squares line through the scores; its rise across the window is the change.</summary>
    internal static ProgressTrend Trend(IReadOnlyList<double> scores)
    {
        var n = scores.Count;
        if (n < 3)
        {
            return new ProgressTrend("not enough data", null, n);
        }

        var meanX = (n - 1) / 2.0;
        var meanY = scores.Average();
        double num = 0, den = 0;
        for (var i = 0; i < n; i++)
        {
            num += (i - meanX) * (scores[i] - meanY);
            den += (i - meanX) * (i - meanX);
        }

        var change = Math.Round(num / den * (n - 1), 1);
        var direction = change >= 5 ? "improving" : change <= -5 ? "declining" : "steady";
        return new ProgressTrend(direction, change, n);
    }

    private async Task<Dictionary<string, double>> CompetencyAveragesAsync(System.Data.Common.DbConnection connection, SessionKey key, CancellationToken cancellationToken)
    {
        var rows = await connection.RowsAsync(
            "SELECT question_id, overall FROM attempts WHERE channel = @c AND user_key = @u;",
            r => (Id: r.GetString(0), Overall: r.Int(1)), cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        return rows
            .SelectMany(r => (bank.Find(r.Id)?.Competencies ?? []).Select(c => (Competency: c, r.Overall)))
            .GroupBy(x => x.Competency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(x => (double)x.Overall), StringComparer.Ordinal);
    }

    // A per-user, per-cycle order among equally suitable questions: not the same sequence for everyone,
    // yet reproducible for one user.
    private static ulong Shuffle(SessionKey key, string questionId, int cycle)
    {
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{key}|{questionId}|{cycle}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
