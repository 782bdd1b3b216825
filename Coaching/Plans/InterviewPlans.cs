using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Sessions;
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

    /// <summary>
    /// A new plan from the newest plan's kept facts, its bank questions used only when nothing else fits; stored as the
    /// newest. Null when the user has no plan.
    /// </summary>
    Task<InterviewPlan?> RegenerateAsync(SessionKey owner, CancellationToken cancellationToken);

    /// <summary>Drops question <paramref name="number"/> (1-based) from the newest plan; null when there is no such question.</summary>
    Task<InterviewPlan?> SkipQuestionAsync(SessionKey owner, int number, CancellationToken cancellationToken);
}

internal sealed class InterviewPlans(
    DocumentTextReader reader,
    InterviewPlanner planner,
    IPlanStore store,
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

            job = Extract("job description", request.Owner, () => FactExtractor.FromJob(jobText));
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
            var resumeText = reader.ReadFile(request.ResumePath);
            resume = Extract("résumé", request.Owner, () => FactExtractor.FromResume(resumeText));
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

        return await BuildAsync(request.Owner, resume, job, role, cancellationToken);
    }

    /// <summary>
    /// Reads a résumé uploaded in a chat and keeps only its facts (the plan is made when the job description comes);
    /// the file is deleted whether it was read or refused.
    /// </summary>
    internal ResumeFacts ReadUploadedResume(SessionKey owner, string path)
    {
        try
        {
            var text = reader.ReadFile(path);
            return Extract("résumé", owner, () => FactExtractor.FromResume(text));
        }
        catch (DocumentRefusedException ex)
        {
            Log.PlanDocumentRefused(logger, "résumé", owner.Channel, ex.Code);
            throw;
        }
        finally
        {
            DeleteUpload(new PlanRequest(owner, path) { DeleteResumeAfterReading = true });
        }
    }

    /// <summary>The job's facts from pasted text or a file (an uploaded file is deleted after reading); refused when too short.</summary>
    internal JobFacts ReadJob(SessionKey owner, string? text, string? path)
    {
        try
        {
            var jobText = path is not null ? reader.ReadFile(path) : text ?? string.Empty;
            if (jobText.Count(char.IsLetter) < MinimumJobLetters)
            {
                throw new DocumentRefusedException(DocumentProblem.NoText,
                    "The job description is too short to plan from. Paste the whole posting (title, duties and requirements) or send it as a file.");
            }

            return Extract("job description", owner, () => FactExtractor.FromJob(jobText));
        }
        catch (DocumentRefusedException ex)
        {
            Log.PlanDocumentRefused(logger, "job description", owner.Channel, ex.Code);
            throw;
        }
        finally
        {
            if (path is not null)
            {
                DeleteUpload(new PlanRequest(owner, path) { DeleteResumeAfterReading = true });
            }
        }
    }

    /// <summary>Builds and stores a plan from facts already read.</summary>
    internal async Task<InterviewPlan> BuildAsync(
        SessionKey owner, ResumeFacts resume, JobFacts job, string? role, CancellationToken cancellationToken, IReadOnlySet<string>? avoid = null)
    {
        var plan = await planner.BuildAsync(resume, job, role ?? job.Role ?? Roles.General, cancellationToken, avoid);
        await StoreAsync(owner, plan, cancellationToken);
        Log.PlanCreated(logger, plan.Id, owner.Channel, plan.Role, plan.Questions.Count,
            plan.Questions.Count(q => q.Source == PlanQuestion.Written), plan.Skills.Count, plan.Candidate.Experiences.Count, plan.MatchedBy);
        return plan;
    }

    public async Task<InterviewPlan?> RegenerateAsync(SessionKey owner, CancellationToken cancellationToken)
    {
        if (await LatestAsync(owner, cancellationToken) is not { } plan)
        {
            return null;
        }

        // Only the kept facts exist (never the documents): the experiences' skills and figures are read back from their phrases.
        var resume = new ResumeFacts(
            plan.Candidate.Skills,
            [.. plan.Candidate.Experiences.Select(e => new Experience(e,
                [.. plan.Candidate.Skills.Where(s => e.Contains(s, StringComparison.OrdinalIgnoreCase))], e.Any(char.IsDigit)))],
            plan.Candidate.Years);
        var job = new JobFacts(plan.JobTitle, [.. plan.Skills.Select(s => s.Name)], plan.Responsibilities, plan.Seniority, null, plan.Role);
        var avoid = plan.Questions.Where(q => q.Source == PlanQuestion.Bank).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        return await BuildAsync(owner, resume, job, plan.Role, cancellationToken, avoid);
    }

    public async Task<InterviewPlan?> SkipQuestionAsync(SessionKey owner, int number, CancellationToken cancellationToken)
    {
        if (await LatestAsync(owner, cancellationToken) is not { } plan || number < 1 || number > plan.Questions.Count || plan.Questions.Count == 1)
        {
            return null;
        }

        var shorter = plan with { Questions = [.. plan.Questions.Where((_, i) => i != number - 1)] };
        await store.ReplaceAsync(owner, shorter, cancellationToken);
        return shorter;
    }

    private Task StoreAsync(SessionKey owner, InterviewPlan plan, CancellationToken cancellationToken) => store.AddAsync(owner, plan, cancellationToken);

    public Task<InterviewPlan?> LatestAsync(SessionKey owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return store.LatestAsync(owner, cancellationToken);
    }

    /// <summary>
    /// The facts of a document already read. A fault while finding them (a pattern that fails on some line) is CoachBot's,
    /// not the user's: it becomes a refusal that says so, never an unhandled exception that ends the process.
    /// </summary>
    private T Extract<T>(string document, SessionKey owner, Func<T> extract)
    {
        try
        {
            return extract();
        }
        catch (Exception ex) when (ex is not (DocumentRefusedException or OperationCanceledException or OutOfMemoryException))
        {
            Log.PlanFactsFailed(logger, document, owner.Channel, ex);
            throw new DocumentRefusedException(DocumentProblem.NotUnderstood,
                $"CoachBot could not pick out the facts of your {document}: a fault in CoachBot ({ex.GetType().Name}), not in your file. " +
                "Nothing was stored. Please report it; rewording or removing the line it stumbled on may let the plan be made meanwhile.", ex);
        }
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
