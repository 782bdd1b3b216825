using System.Text.Json;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Storage;

/// <summary>Mock interviews in tables <c>mock_interviews</c> and <c>mock_answers</c>, one set of statements for every provider.</summary>
internal sealed class SqlMockInterviewStore(ISqlDatabase database) : IMockInterviewStore
{
    public async Task<MockState?> ActiveAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.RowsAsync(
            "SELECT id, title, questions_json, position, follow_up FROM mock_interviews WHERE channel = @c AND user_key = @u AND status = 'open' ORDER BY started_at DESC LIMIT 1;",
            r => new MockState(r.GetString(0), r.GetString(1),
                JsonSerializer.Deserialize<List<Question>>(r.GetString(2), ReportJson.Compact) ?? [], r.Int(3), r.NullableText(4)),
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<int> OpenAsync(SessionKey key, MockState mock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = database.Dialect.Time(now);
        var closed = await connection.RunAsync(
            "UPDATE mock_interviews SET status = 'abandoned', finished_at = @t WHERE channel = @c AND user_key = @u AND status = 'open';",
            cancellationToken, ("@t", at), ("@c", key.Channel), ("@u", key.UserKey));
        await connection.RunAsync(
            """
            INSERT INTO mock_interviews (id, channel, user_key, title, questions_json, position, status, started_at)
            VALUES (@id, @c, @u, @title, @q, @p, 'open', @t);
            """,
            cancellationToken, ("@id", mock.Id), ("@c", key.Channel), ("@u", key.UserKey), ("@title", mock.Title),
            ("@q", JsonSerializer.Serialize(mock.Questions, ReportJson.Compact)), ("@p", mock.Position), ("@t", at));
        await transaction.CommitAsync(cancellationToken);
        return closed;
    }

    public async Task<bool> AnsweredAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ValueAsync<long>("SELECT COUNT(*) FROM mock_answers WHERE idempotency_key = @k;", cancellationToken, ("@k", idempotencyKey)) > 0;
    }

    public async Task StoreAnswerAsync(
        SessionKey key, MockState mock, Question question, CoachingReport? report, string? idempotencyKey, MockState next,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO mock_answers (mock_id, channel, user_key, position, follow_up, question_id, question_text, competencies_json, status,
                                      overall, scores_json, report_json, idempotency_key, answered_at)
            VALUES (@m, @c, @u, @p, @f, @qid, @qtext, @comp, @s, @o, @scores, @r, @k, @t);
            """,
            cancellationToken,
            ("@m", mock.Id), ("@c", key.Channel), ("@u", key.UserKey), ("@p", mock.Position), ("@f", mock.FollowUp is null ? 0 : 1),
            ("@qid", question.Id), ("@qtext", question.Text), ("@comp", JsonSerializer.Serialize(question.Competencies)),
            ("@s", report is null ? "skipped" : "answered"), ("@o", report?.Overall),
            ("@scores", report is null ? null : JsonSerializer.Serialize(report.Scores.ToDictionary(s => s.Name, s => s.Score))),
            ("@r", report is null ? null : ReportJson.Serialize(report, indented: false)), ("@k", idempotencyKey), ("@t", database.Dialect.Time(now)));
        await connection.RunAsync(
            "UPDATE mock_interviews SET position = @p, follow_up = @f WHERE id = @id;",
            cancellationToken, ("@p", next.Position), ("@f", next.FollowUp), ("@id", mock.Id));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<List<MockAnswer>> AnswersAsync(string mockId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RowsAsync(
            "SELECT position, follow_up, question_text, competencies_json, report_json FROM mock_answers WHERE mock_id = @m ORDER BY id;",
            r => new MockAnswer(r.Int(0), r.Int(1) == 1, r.GetString(2),
                JsonSerializer.Deserialize<List<string>>(r.GetString(3)) ?? [], r.IsDBNull(4) ? null : ReportJson.Deserialize(r.GetString(4))),
            cancellationToken, ("@m", mockId));
    }

    public async Task<List<MockSummary>> FinishedBeforeAsync(SessionKey key, string mockId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RowsAsync(
            "SELECT id, title, readiness, answered, finished_at FROM mock_interviews WHERE channel = @c AND user_key = @u AND status = 'finished' AND id <> @id ORDER BY finished_at;",
            r => new MockSummary(r.GetString(0), r.GetString(1), r.Int(2), r.Int(3), database.Dialect.ReadTime(r, 4)),
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@id", mockId));
    }

    public async Task FinishAsync(string mockId, MockReportCard card, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE mock_interviews SET status = 'finished', readiness = @r, answered = @a, card_json = @card, finished_at = @t WHERE id = @id;",
            cancellationToken, ("@r", card.Readiness), ("@a", card.Answered), ("@card", JsonSerializer.Serialize(card, ReportJson.Compact)),
            ("@t", database.Dialect.Time(now)), ("@id", mockId));
    }

    public async Task AbandonAsync(string mockId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE mock_interviews SET status = 'abandoned', finished_at = @t WHERE id = @id;",
            cancellationToken, ("@t", database.Dialect.Time(now)), ("@id", mockId));
    }

    public async Task<MockReportCard?> LastReportAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var json = await connection.ValueAsync<string>(
            "SELECT card_json FROM mock_interviews WHERE channel = @c AND user_key = @u AND status = 'finished' ORDER BY finished_at DESC LIMIT 1;",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
        return json is null ? null : JsonSerializer.Deserialize<MockReportCard>(json, ReportJson.Compact);
    }
}
