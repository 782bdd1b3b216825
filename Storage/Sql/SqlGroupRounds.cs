using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;

namespace CoachBot.Storage;

/// <summary>
/// Group rounds, their questions, answers and quote consents, channel settings and question-of-the-day schedules, with one
/// set of statements for every provider (the SQLite file, PostgreSQL). A round read and then written (wrapping it,
/// adding routing, scrubbing a member from summaries) is locked for the transaction, so two instances wrapping the same
/// round at once store one summary and both return it.
/// </summary>
internal class SqlGroupRounds(ISqlDatabase database, IQuestionBank bank, TimeProvider time) : IGroupRounds
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string RoundColumns =
        "id, channel, tenant_id, conversation_id, thread_id, facilitator_id, role, current_index, status, deadline, reminded, routing";

    private object T(DateTimeOffset value) => database.Dialect.Time(value);

    public async Task<GroupRound> StartAsync(NewGroupRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var used = (await connection.RowsAsync(
            """
            SELECT q.question_id FROM group_round_questions q JOIN group_rounds r ON r.id = q.round_id
            WHERE r.channel = @c AND r.conversation_id = @conv;
            """,
            r => r.GetString(0), cancellationToken, ("@c", round.Channel), ("@conv", round.ConversationId))).ToHashSet(StringComparer.Ordinal);

        // Questions the channel has not had yet, shuffled; when the role's questions run out, repeats are allowed.
        var candidates = bank.Filter(round.Role).ToArray();
        Random.Shared.Shuffle(candidates);
        var chosen = candidates.Where(q => !used.Contains(q.Id)).Concat(candidates.Where(q => used.Contains(q.Id)))
            .Take(round.QuestionCount).Select(q => q.Id).ToList();
        if (chosen.Count == 0)
        {
            throw new InvalidOperationException($"The question bank has no questions for the role '{round.Role}'.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ValueAsync<long>(
            """
            INSERT INTO group_rounds (channel, tenant_id, conversation_id, facilitator_id, role, question_count, status, deadline, routing, created_at)
            VALUES (@c, @t, @conv, @f, @role, @n, 'open', @d, @routing, @now)
            RETURNING id;
            """,
            cancellationToken, ("@c", round.Channel), ("@t", round.TenantId), ("@conv", round.ConversationId), ("@f", round.FacilitatorId),
            ("@role", round.Role), ("@n", chosen.Count), ("@d", T(round.Deadline)), ("@routing", JsonSerializer.Serialize(round.Routing, Json)),
            ("@now", T(time.GetUtcNow())));
        for (var i = 0; i < chosen.Count; i++)
        {
            await connection.RunAsync(
                "INSERT INTO group_round_questions (round_id, ordinal, question_id) VALUES (@r, @o, @q);",
                cancellationToken, ("@r", id), ("@o", i), ("@q", chosen[i]));
        }

        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(id, cancellationToken))!;
    }

    public async Task AttachThreadAsync(long roundId, string threadId, IReadOnlyDictionary<string, string>? routing, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await connection.RowsAsync($"SELECT routing FROM group_rounds WHERE id = @id{database.Dialect.ForUpdate};", r => r.GetString(0), cancellationToken, ("@id", roundId));
        if (stored.Count == 0)
        {
            return;
        }

        var merged = JsonSerializer.Deserialize<Dictionary<string, string>>(stored[0], Json) ?? [];
        foreach (var (name, value) in routing ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        await connection.RunAsync(
            "UPDATE group_rounds SET thread_id = COALESCE(thread_id, @th), routing = @routing WHERE id = @id;",
            cancellationToken, ("@th", threadId), ("@routing", JsonSerializer.Serialize(merged, Json)), ("@id", roundId));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<GroupRound?> GetAsync(long roundId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await ReadRoundsAsync(connection, $"SELECT {RoundColumns} FROM group_rounds WHERE id = @id;", cancellationToken, ("@id", roundId))).SingleOrDefault();
    }

    public async Task<GroupRound?> FindByThreadAsync(string channel, string conversationId, string threadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await ReadRoundsAsync(connection,
            $"SELECT {RoundColumns} FROM group_rounds WHERE channel = @c AND conversation_id = @conv AND thread_id = @th;",
            cancellationToken, ("@c", channel), ("@conv", conversationId), ("@th", threadId))).SingleOrDefault();
    }

    public async Task<GroupRound?> FindOpenAsync(string channel, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await ReadRoundsAsync(connection,
            $"SELECT {RoundColumns} FROM group_rounds WHERE channel = @c AND conversation_id = @conv AND status = 'open' ORDER BY id DESC LIMIT 1;",
            cancellationToken, ("@c", channel), ("@conv", conversationId))).SingleOrDefault();
    }

    public async Task<GroupRound?> AdvanceAsync(long roundId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var moved = await connection.RunAsync(
            "UPDATE group_rounds SET current_index = current_index + 1, reminded = 0 WHERE id = @id AND status = 'open' AND current_index + 1 < question_count;",
            cancellationToken, ("@id", roundId));
        return moved == 0 ? null : await GetAsync(roundId, cancellationToken);
    }

    public async Task<bool> MarkRemindedAsync(long roundId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "UPDATE group_rounds SET reminded = 1 WHERE id = @id AND reminded = 0 AND status = 'open';", cancellationToken, ("@id", roundId)) == 1;
    }

    public async Task<int> RecordAnswerAsync(long roundId, GroupAnswer answer, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO group_answers (round_id, ordinal, user_key, user_id, idempotency_key, overall, report, answered_at)
            VALUES (@r, @o, @uk, @u, @k, @overall, @report, @now)
            ON CONFLICT DO NOTHING;
            """,
            cancellationToken, ("@r", roundId), ("@o", answer.Ordinal), ("@uk", answer.UserKey), ("@u", answer.UserId), ("@k", idempotencyKey),
            ("@overall", answer.Report.Overall), ("@report", ReportJson.Serialize(answer.Report, indented: false)), ("@now", T(time.GetUtcNow())));
        return await connection.ValueAsync<int>("SELECT COUNT(*) FROM group_answers WHERE round_id = @r;", cancellationToken, ("@r", roundId));
    }

    public async Task<IReadOnlyList<GroupAnswer>> AnswersAsync(long roundId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RowsAsync(
            "SELECT user_key, user_id, ordinal, report FROM group_answers WHERE round_id = @r ORDER BY id;",
            r => new GroupAnswer(r.GetString(0), r.GetString(1), r.Int(2), ReportJson.Deserialize(r.GetString(3))),
            cancellationToken, ("@r", roundId));
    }

    public async Task ConsentToHighlightAsync(long roundId, string userKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "INSERT INTO group_highlight_consents (round_id, user_key) VALUES (@r, @u) ON CONFLICT DO NOTHING;", cancellationToken, ("@r", roundId), ("@u", userKey));
    }

    public async Task<(GroupSummary Summary, bool JustWrapped)> WrapAsync(long roundId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await connection.RowsAsync(
            $"SELECT status, summary FROM group_rounds WHERE id = @id{database.Dialect.ForUpdate};", r => (Status: r.GetString(0), Summary: r.NullableText(1)), cancellationToken, ("@id", roundId));
        if (stored.Count == 0)
        {
            throw new InvalidOperationException($"There is no group round {roundId}.");
        }

        if (stored[0] is { Status: "wrapped", Summary: { } json })
        {
            return (JsonSerializer.Deserialize<GroupSummary>(json, Json)!, false);
        }

        var answers = await connection.RowsAsync(
            "SELECT user_key, user_id, ordinal, report FROM group_answers WHERE round_id = @r ORDER BY id;",
            r => new GroupAnswer(r.GetString(0), r.GetString(1), r.Int(2), ReportJson.Deserialize(r.GetString(3))),
            cancellationToken, ("@r", roundId));
        var consents = (await connection.RowsAsync(
            "SELECT user_key FROM group_highlight_consents WHERE round_id = @r;", r => r.GetString(0), cancellationToken, ("@r", roundId))).ToHashSet(StringComparer.Ordinal);
        var questions = (await connection.RowsAsync(
            "SELECT question_id FROM group_round_questions WHERE round_id = @r AND ordinal <= (SELECT current_index FROM group_rounds WHERE id = @r) ORDER BY ordinal;",
            r => r.GetString(0), cancellationToken, ("@r", roundId)))
            .Select(id => bank.Find(id) is { } q ? new ReportNextQuestion(q.Id, q.Text) : new ReportNextQuestion(id, id)).ToList();

        var summary = GroupSummaries.Summarize(answers, consents, questions);
        await connection.RunAsync(
            "UPDATE group_rounds SET status = 'wrapped', wrapped_at = @now, summary = @s WHERE id = @id;",
            cancellationToken, ("@now", T(time.GetUtcNow())), ("@s", JsonSerializer.Serialize(summary, Json)), ("@id", roundId));
        await transaction.CommitAsync(cancellationToken);
        return (summary, true);
    }

    public async Task<IReadOnlyList<GroupRound>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadRoundsAsync(connection,
            $"SELECT {RoundColumns} FROM group_rounds WHERE status = 'open' AND deadline <= @now ORDER BY deadline;",
            cancellationToken, ("@now", T(now)));
    }

    public async Task<bool> IsFeedbackPublicAsync(string channel, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ValueAsync<long>(
            "SELECT COALESCE((SELECT public_feedback FROM group_channel_settings WHERE channel = @c AND conversation_id = @conv), 0);",
            cancellationToken, ("@c", channel), ("@conv", conversationId)) == 1;
    }

    public async Task SetFeedbackPublicAsync(string channel, string conversationId, bool isPublic, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO group_channel_settings (channel, conversation_id, public_feedback) VALUES (@c, @conv, @p)
            ON CONFLICT (channel, conversation_id) DO UPDATE SET public_feedback = excluded.public_feedback;
            """,
            cancellationToken, ("@c", channel), ("@conv", conversationId), ("@p", isPublic ? 1 : 0));
    }

    public async Task SetScheduleAsync(GroupSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            """
            INSERT INTO group_schedules (channel, conversation_id, tenant_id, created_by, local_time, time_zone, role, routing, next_run_at)
            VALUES (@c, @conv, @t, @by, @lt, @tz, @role, @routing, @next)
            ON CONFLICT (channel, conversation_id) DO UPDATE SET tenant_id = excluded.tenant_id, created_by = excluded.created_by,
                local_time = excluded.local_time, time_zone = excluded.time_zone, role = excluded.role, routing = excluded.routing,
                next_run_at = excluded.next_run_at;
            """,
            cancellationToken, ("@c", schedule.Channel), ("@conv", schedule.ConversationId), ("@t", schedule.TenantId), ("@by", schedule.CreatedBy),
            ("@lt", schedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture)), ("@tz", schedule.TimeZone), ("@role", schedule.Role),
            ("@routing", JsonSerializer.Serialize(schedule.Routing, Json)), ("@next", T(schedule.NextRunAt)));
    }

    public async Task<GroupSchedule?> GetScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await ReadSchedulesAsync(connection, "WHERE channel = @c AND conversation_id = @conv", cancellationToken, ("@c", channel), ("@conv", conversationId))).SingleOrDefault();
    }

    public async Task<bool> RemoveScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "DELETE FROM group_schedules WHERE channel = @c AND conversation_id = @conv;", cancellationToken, ("@c", channel), ("@conv", conversationId)) == 1;
    }

    public async Task<IReadOnlyList<GroupSchedule>> DueSchedulesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadSchedulesAsync(connection, "WHERE next_run_at <= @now ORDER BY next_run_at", cancellationToken, ("@now", T(now)));
    }

    public async Task<bool> AdvanceScheduleAsync(GroupSchedule schedule, DateTimeOffset expected, DateTimeOffset nextRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "UPDATE group_schedules SET next_run_at = @next WHERE channel = @c AND conversation_id = @conv AND next_run_at = @expected;",
            cancellationToken, ("@next", T(nextRun)), ("@c", schedule.Channel), ("@conv", schedule.ConversationId), ("@expected", T(expected))) == 1;
    }

    public async Task<int> ForgetMemberAsync(string channel, string userKey, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await connection.RunAsync(
            "DELETE FROM group_answers WHERE user_key = @u AND round_id IN (SELECT id FROM group_rounds WHERE channel = @c);",
            cancellationToken, ("@u", userKey), ("@c", channel));
        removed += await connection.RunAsync(
            "DELETE FROM group_highlight_consents WHERE user_key = @u AND round_id IN (SELECT id FROM group_rounds WHERE channel = @c);",
            cancellationToken, ("@u", userKey), ("@c", channel));

        // Summaries already posted stay as they are on the platform; the stored copies lose the member's name.
        var summaries = await connection.RowsAsync(
            $"SELECT id, summary FROM group_rounds WHERE channel = @c AND summary IS NOT NULL ORDER BY id{database.Dialect.ForUpdate};",
            r => (Id: r.GetInt64(0), Json: r.GetString(1)), cancellationToken, ("@c", channel));
        foreach (var (id, json) in summaries)
        {
            var summary = JsonSerializer.Deserialize<GroupSummary>(json, Json)!;
            if (!summary.Participants.Contains(userId) && summary.Highlights.All(h => h.UserId != userId))
            {
                continue;
            }

            var scrubbed = summary with
            {
                Participants = [.. summary.Participants.Where(p => p != userId)],
                Highlights = [.. summary.Highlights.Select(h => h.UserId == userId ? h with { UserId = null } : h)],
            };
            removed += await connection.RunAsync(
                "UPDATE group_rounds SET summary = @s WHERE id = @id;", cancellationToken, ("@s", JsonSerializer.Serialize(scrubbed, Json)), ("@id", id));
        }

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    private async Task<List<GroupRound>> ReadRoundsAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var rows = await connection.RowsAsync(sql, r => new GroupRound
        {
            Id = r.GetInt64(0),
            Channel = r.GetString(1),
            TenantId = r.NullableText(2),
            ConversationId = r.GetString(3),
            ThreadId = r.NullableText(4),
            FacilitatorId = r.GetString(5),
            Role = r.GetString(6),
            CurrentIndex = r.Int(7),
            Wrapped = r.GetString(8) == "wrapped",
            Deadline = database.Dialect.ReadTime(r, 9),
            Reminded = r.Int(10) == 1,
            Routing = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(11), Json) ?? [],
            QuestionIds = [],
        }, cancellationToken, parameters);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with
            {
                QuestionIds = await connection.RowsAsync(
                    "SELECT question_id FROM group_round_questions WHERE round_id = @r ORDER BY ordinal;", r => r.GetString(0), cancellationToken, ("@r", rows[i].Id)),
            };
        }

        return rows;
    }

    private async Task<List<GroupSchedule>> ReadSchedulesAsync(DbConnection connection, string where, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        await connection.RowsAsync(
            $"SELECT channel, conversation_id, tenant_id, created_by, local_time, time_zone, role, routing, next_run_at FROM group_schedules {where};",
            r => new GroupSchedule
            {
                Channel = r.GetString(0),
                ConversationId = r.GetString(1),
                TenantId = r.NullableText(2),
                CreatedBy = r.GetString(3),
                LocalTime = TimeOnly.ParseExact(r.GetString(4), "HH:mm", CultureInfo.InvariantCulture),
                TimeZone = r.GetString(5),
                Role = r.GetString(6),
                Routing = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(7), Json) ?? [],
                NextRunAt = database.Dialect.ReadTime(r, 8),
            },
            cancellationToken, parameters);
}
