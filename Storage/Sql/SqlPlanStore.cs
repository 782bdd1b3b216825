using System.Text.Json;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Storage;

/// <summary>Interview plans in table <c>interview_plans</c>; a half-received plan in <c>practice_sessions.pending_plan</c>.</summary>
internal sealed class SqlPlanStore(ISqlDatabase database) : IPlanStore
{
    public async Task AddAsync(SessionKey owner, InterviewPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "INSERT INTO interview_plans (id, channel, user_key, role, plan_json, created_at) VALUES (@id, @c, @u, @role, @json, @at);",
            cancellationToken,
            ("@id", plan.Id), ("@c", owner.Channel), ("@u", owner.UserKey), ("@role", plan.Role),
            ("@json", JsonSerializer.Serialize(plan, ReportJson.Compact)), ("@at", database.Dialect.Time(plan.CreatedAt)));
    }

    public async Task ReplaceAsync(SessionKey owner, InterviewPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "UPDATE interview_plans SET plan_json = @json WHERE id = @id AND channel = @c AND user_key = @u;",
            cancellationToken, ("@json", JsonSerializer.Serialize(plan, ReportJson.Compact)), ("@id", plan.Id), ("@c", owner.Channel), ("@u", owner.UserKey));
    }

    public async Task<InterviewPlan?> LatestAsync(SessionKey owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var json = await connection.ValueAsync<string>(
            $"SELECT plan_json FROM interview_plans WHERE channel = @c AND user_key = @u ORDER BY created_at DESC, {database.Dialect.InsertionOrder} DESC LIMIT 1;",
            cancellationToken, ("@c", owner.Channel), ("@u", owner.UserKey));
        return json is null ? null : JsonSerializer.Deserialize<InterviewPlan>(json, ReportJson.Compact);
    }

    public async Task<string?> PendingAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ValueAsync<string>(
            "SELECT pending_plan FROM practice_sessions WHERE channel = @c AND user_key = @u;", cancellationToken, ("@c", key.Channel), ("@u", key.UserKey));
    }

    public async Task HoldAsync(SessionKey key, string? pendingJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "INSERT INTO practice_sessions (channel, user_key, role, created_at, updated_at) VALUES (@c, @u, 'general', @t, @t) ON CONFLICT (channel, user_key) DO NOTHING;",
            cancellationToken, ("@c", key.Channel), ("@u", key.UserKey), ("@t", database.Dialect.Time(now)));
        await connection.RunAsync(
            "UPDATE practice_sessions SET pending_plan = @p WHERE channel = @c AND user_key = @u;",
            cancellationToken, ("@p", pendingJson), ("@c", key.Channel), ("@u", key.UserKey));
    }
}
