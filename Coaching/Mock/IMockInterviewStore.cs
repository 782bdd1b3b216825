using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Mock;

/// <summary>
/// Where mock interviews and their answers are kept (tables <c>mock_interviews</c>, <c>mock_answers</c>): implemented by
/// the storage provider, so the interview's rules (<see cref="MockInterviews"/>) hold no SQL.
/// </summary>
internal interface IMockInterviewStore
{
    /// <summary>The user's open interview, newest first; null when none is open.</summary>
    Task<MockState?> ActiveAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="mock"/> for the user in one transaction, closing (as abandoned) any interview still open.
    /// Returns how many were closed.
    /// </summary>
    Task<int> OpenAsync(SessionKey key, MockState mock, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when an answer (or skip) with this idempotency key is already stored: the same event again.</summary>
    Task<bool> AnsweredAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the answer to <paramref name="question"/> (or a skip, when <paramref name="report"/> is null) and moves the
    /// interview to <paramref name="next"/>, in one transaction.
    /// </summary>
    Task StoreAnswerAsync(
        SessionKey key, MockState mock, Question question, CoachingReport? report, string? idempotencyKey, MockState next,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The interview's stored answers and skips, in the order given.</summary>
    Task<List<MockAnswer>> AnswersAsync(string mockId, CancellationToken cancellationToken);

    /// <summary>The user's other finished interviews, oldest first, for the report's comparison.</summary>
    Task<List<MockSummary>> FinishedBeforeAsync(SessionKey key, string mockId, CancellationToken cancellationToken);

    /// <summary>Marks the interview finished with its report card.</summary>
    Task FinishAsync(string mockId, MockReportCard card, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the interview abandoned (ended with nothing answered).</summary>
    Task AbandonAsync(string mockId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The report card of the user's newest finished interview; null when there is none.</summary>
    Task<MockReportCard?> LastReportAsync(SessionKey key, CancellationToken cancellationToken);
}
