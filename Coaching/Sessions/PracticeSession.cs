namespace CoachBot.Coaching.Sessions;

/// <summary>Identifies one person's practice in one channel, e.g. <c>slack</c> + <c>T01/U02</c>.</summary>
/// <param name="Channel">The channel: slack, teams, dev or cli.</param>
/// <param name="UserKey">The user, qualified by tenant or workspace where the channel has one.</param>
public sealed record SessionKey(string Channel, string UserKey)
{
    /// <summary>Builds a key from a tenant (workspace) and a user id.</summary>
    public static SessionKey For(string channel, string? tenant, string user) =>
        new(channel, string.IsNullOrEmpty(tenant) ? user : $"{tenant}/{user}");

    /// <inheritdoc />
    public override string ToString() => $"{Channel}:{UserKey}";
}

/// <summary>A practice session: the chosen role and difficulty and the question being answered.</summary>
/// <param name="Key">Whose session.</param>
/// <param name="Role">The role practised.</param>
/// <param name="Difficulty">1–3, or null for any.</param>
/// <param name="CurrentQuestionId">The question the user is answering, if any.</param>
public sealed record PracticeSession(SessionKey Key, string Role, int? Difficulty, string? CurrentQuestionId);

/// <summary>Progress computed from a user's attempts.</summary>
/// <param name="Attempts">How many answers were coached.</param>
/// <param name="AverageOverall">Average overall score, or null with no attempts.</param>
/// <param name="AverageByDimension">Average per dimension.</param>
/// <param name="Trend">The trend over the last attempts.</param>
/// <param name="WeakestDimension">The dimension with the lowest average, or null.</param>
/// <param name="Recent">The last attempts, newest first.</param>
public sealed record ProgressSummary(
    int Attempts,
    int? AverageOverall,
    IReadOnlyDictionary<string, int> AverageByDimension,
    ProgressTrend Trend,
    string? WeakestDimension,
    IReadOnlyList<AttemptSummary> Recent)
{
    /// <summary>The user's finished mock interviews, newest first (at most 10); their answers are not counted in <see cref="Attempts"/>.</summary>
    public IReadOnlyList<Mock.MockSummary> Mocks { get; init; } = [];
}

/// <summary>The trend of overall scores over the last <paramref name="Window"/> attempts.</summary>
/// <param name="Direction">improving, steady, declining, or not enough data.</param>
/// <param name="Change">Points gained (or lost) across the window by a least-squares line; null with fewer than 3 attempts.</param>
/// <param name="Window">How many attempts the trend covers (at most 10).</param>
public sealed record ProgressTrend(string Direction, double? Change, int Window);

/// <summary>One attempt in a progress summary.</summary>
public sealed record AttemptSummary(string QuestionId, int Overall, DateTimeOffset At);
