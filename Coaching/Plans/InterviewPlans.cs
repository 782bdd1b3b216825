using System.Text.Json;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Plans;

/// <summary>What a plan is made from.</summary>
/// <param name="Owner">Whose plan it is.</param>
/// <param name="ResumePath">The résumé file (PDF, DOCX or text).</param>
public sealed record PlanRequest(SessionKey Owner, string ResumePath)
{
    /// <summary>The job description as text (used when <see cref="JobPath"/> is null).</summary>
    public string? JobText { get; init; }

    /// <summary>A file holding the job description (PDF, DOCX or text).</summary>
    public string? JobPath { get; init; }

    /// <summary>The bank role; null reads it from the job description.</summary>
    public string? Role { get; init; }

    /// <summary>
    /// True when the résumé file was uploaded to the bot: it is deleted once read (or refused). A command-line user's
    /// own file is never deleted.
    /// </summary>
    public bool DeleteResumeAfterReading { get; init; }
}

/// <summary>Makes interview plans from a résumé and a job description, and keeps them per user.</summary>
public interface IInterviewPlans
{
    /// <summary>
    /// Reads the documents, extracts the facts, builds and stores the plan. Only facts are kept; the résumé's text is
    /// dropped once read. Throws <see cref="DocumentRefusedException"/> with a reason the user can act on.
    /// </summary>
    Task<InterviewPlan> CreateAsync(PlanRequest request, CancellationToken cancellationToken);

    /// <summary>The user's newest plan, or null.</summary>
    Task<InterviewPlan?> LatestAsync(SessionKey owner, CancellationToken cancellationToken);
}

internal sealed class InterviewPlans(
    DocumentTextReader reader,
    InterviewPlanner planner,
    SqliteDatabase database,
    ILogger<InterviewPlans> logger) : IInterviewPlans
{
    private const int MinimumJobLetters = 40;

    public async Task<InterviewPlan> CreateAsync(PlanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var role = request.Role is null ? null : Roles.Resolve(request.Role) ?? throw new ArgumentException($"Unknown role '{request.Role}'.", nameof(request));

        // The job is read first, so a bad job description never leaves an uploaded résumé lying around unread.
        JobFacts job;
        try
        {
            var jobText = request.JobPath is { } jobPath ? reader.ReadFile(jobPath) : request.JobText ?? string.Empty;
            if (jobText.Count(char.IsLetter) < MinimumJobLetters)
            {
                throw new DocumentRefusedException(DocumentProblem.NoText,
                    "The job description is too short to plan from. Paste the whole posting (title, duties and requirements) or send it as a file.");
            }

            job = FactExtractor.FromJob(jobText);
        }
        catch (DocumentRefusedException ex)
        {
            Log.PlanDocumentRefused(logger, "job description", request.Owner.Channel, ex.Code);
            DeleteUpload(request);
            throw;
        }

        ResumeFacts resume;
        try
        {
            resume = FactExtractor.FromResume(reader.ReadFile(request.ResumePath));
        }
        catch (DocumentRefusedException ex)
        {
            Log.PlanDocumentRefused(logger, "résumé", request.Owner.Channel, ex.Code);
            throw;
        }
        finally
        {
            DeleteUpload(request);
        }

        var plan = await planner.BuildAsync(resume, job, role ?? job.Role ?? Roles.General, cancellationToken);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(
                "INSERT INTO interview_plans (id, channel, user_key, role, plan_json, created_at) VALUES ($id, $c, $u, $role, $json, $at);",
                cancellationToken,
                ("$id", plan.Id), ("$c", request.Owner.Channel), ("$u", request.Owner.UserKey), ("$role", plan.Role),
                ("$json", JsonSerializer.Serialize(plan, ReportJson.Compact)), ("$at", Sql.Time(plan.CreatedAt)));
        }

        Log.PlanCreated(logger, plan.Id, request.Owner.Channel, plan.Role, plan.Questions.Count,
            plan.Questions.Count(q => q.Source == PlanQuestion.Written), plan.Skills.Count, plan.Candidate.Experiences.Count, plan.MatchedBy);
        return plan;
    }

    public async Task<InterviewPlan?> LatestAsync(SessionKey owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.ScalarAsync<string>(
            "SELECT plan_json FROM interview_plans WHERE channel = $c AND user_key = $u ORDER BY created_at DESC, rowid DESC LIMIT 1;",
            cancellationToken, ("$c", owner.Channel), ("$u", owner.UserKey));
        return json is null ? null : JsonSerializer.Deserialize<InterviewPlan>(json, ReportJson.Compact);
    }

    private void DeleteUpload(PlanRequest request)
    {
        if (!request.DeleteResumeAfterReading)
        {
            return;
        }

        try
        {
            File.Delete(request.ResumePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.ResumeNotDeleted(logger, ex);
        }
    }
}
