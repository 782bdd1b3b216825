using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Sessions;

/// <summary>Practice sessions per user per channel, with their attempts and progress.</summary>
public interface IPracticeSessions
{
    /// <summary>The session, created with the general role when the user is new.</summary>
    Task<PracticeSession> GetAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Sets the role practised; the next question comes from that role.</summary>
    Task<PracticeSession> SetRoleAsync(SessionKey key, string role, CancellationToken cancellationToken);

    /// <summary>Sets the difficulty (1–3), or null for any.</summary>
    Task<PracticeSession> SetDifficultyAsync(SessionKey key, int? difficulty, CancellationToken cancellationToken);

    /// <summary>
    /// Picks the next question and makes it current. No question repeats until every question of the
    /// role and difficulty was asked; among the unasked, those probing the user's weakest competencies come first.
    /// </summary>
    Task<Question> NextQuestionAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="question"/> the current one (try again, or a question chosen by id).</summary>
    Task SetCurrentQuestionAsync(SessionKey key, Question question, CancellationToken cancellationToken);

    /// <summary>Keeps an attempt. With an idempotency key, recording the same attempt twice keeps one.</summary>
    /// <returns>True when the attempt was new.</returns>
    Task<bool> RecordAttemptAsync(SessionKey key, CoachingReport report, string? idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Replaces the stored report of the attempt recorded under <paramref name="idempotencyKey"/> (scores unchanged).</summary>
    Task UpdateAttemptReportAsync(SessionKey key, string idempotencyKey, CoachingReport report, CancellationToken cancellationToken);

    /// <summary>The report of the attempt recorded under <paramref name="idempotencyKey"/>, or null.</summary>
    Task<CoachingReport?> FindAttemptAsync(SessionKey key, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Progress computed from the history.</summary>
    Task<ProgressSummary> GetProgressAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Holds a short answer until the user confirms it is their answer ("yes"), or clears it (null). One at a time; it
    /// is deleted when taken, replaced by the next, and removed by <see cref="ForgetAsync"/>.
    /// </summary>
    Task HoldShortAnswerAsync(SessionKey key, string? text, CancellationToken cancellationToken);

    /// <summary>The held short answer (and clears it), or null.</summary>
    Task<string?> TakeShortAnswerAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Deletes everything kept about the user in this channel; returns how many rows went.</summary>
    Task<int> ForgetAsync(SessionKey key, CancellationToken cancellationToken);
}
