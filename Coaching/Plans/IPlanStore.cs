using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// Where interview plans are kept (table <c>interview_plans</c>), and a plan half received in a chat (a résumé waiting
/// for its job description, or the other way round): implemented by the storage provider, so the plan's rules hold no SQL.
/// </summary>
internal interface IPlanStore
{
    /// <summary>Adds a new plan; the newest is the user's plan.</summary>
    Task AddAsync(SessionKey owner, InterviewPlan plan, CancellationToken cancellationToken);

    /// <summary>Replaces the stored plan of the same id (a question skipped).</summary>
    Task ReplaceAsync(SessionKey owner, InterviewPlan plan, CancellationToken cancellationToken);

    /// <summary>The user's newest plan; null when there is none.</summary>
    Task<InterviewPlan?> LatestAsync(SessionKey owner, CancellationToken cancellationToken);

    /// <summary>The half-received plan, as the chat stored it (JSON); null when there is none.</summary>
    Task<string?> PendingAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Keeps (or with null clears) the half-received plan.</summary>
    Task HoldAsync(SessionKey key, string? pendingJson, DateTimeOffset now, CancellationToken cancellationToken);
}
