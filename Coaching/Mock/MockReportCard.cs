namespace CoachBot.Coaching.Mock;

/// <summary>
/// The report card at the end of a mock interview: how ready the answers were overall, per competency and per criterion,
/// what to work on first (with quotes from the answers), the strongest answer, and how it compares with the user's own
/// earlier mock interviews. Every figure is a mean of the answers stored for the interview.
/// </summary>
/// <param name="MockId">The mock interview.</param>
/// <param name="Title">What was practised: the plan's job title, or the role.</param>
/// <param name="Readiness">The mean overall score of the questions asked, a skipped question counting as 0.</param>
/// <param name="ReadinessLabel">strong, good, fair or needs work.</param>
/// <param name="Questions">Main questions asked.</param>
/// <param name="Answered">Answers scored (follow-ups included).</param>
/// <param name="Skipped">Questions skipped.</param>
/// <param name="FollowUps">Follow-up questions asked.</param>
/// <param name="Competencies">Mean overall score of the answers to questions probing each competency, weakest first.</param>
/// <param name="Criteria">Content, structure, evidence and (when any answer was spoken) delivery.</param>
/// <param name="WorkOn">Up to three things to work on first, each with a quote from an answer.</param>
/// <param name="Strongest">The answer with the highest overall score, or null when nothing was answered.</param>
/// <param name="Comparison">How this interview compares with the user's earlier ones.</param>
/// <param name="FinishedAt">When the interview ended.</param>
public sealed record MockReportCard(
    string MockId,
    string Title,
    int Readiness,
    string ReadinessLabel,
    int Questions,
    int Answered,
    int Skipped,
    int FollowUps,
    IReadOnlyList<MockScore> Competencies,
    IReadOnlyList<MockScore> Criteria,
    IReadOnlyList<MockWorkItem> WorkOn,
    MockHighlight? Strongest,
    MockComparison Comparison,
    DateTimeOffset FinishedAt)
{
    /// <summary>The version of this JSON shape.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>
    /// Each stored answer with its overall score, in the order asked; an answer whose spoken transcript was not reliable
    /// is marked <see cref="MockAnswerLine.Uncertain"/>. Empty on cards stored before it was added.
    /// </summary>
    public IReadOnlyList<MockAnswerLine> Answers { get; init; } = [];

    /// <summary>How many answers rest on a spoken transcript below the engine's calibrated confidence: their content figures are uncertain.</summary>
    public int Uncertain { get; init; }

    /// <summary>Competencies of skipped questions that no answer assessed.</summary>
    public IReadOnlyList<string> NotAssessed { get; init; } = [];
}

/// <summary>One answer of the interview on the card.</summary>
/// <param name="Number">The main question's number (1-based).</param>
/// <param name="FollowUp">True for the answer to that question's follow-up.</param>
/// <param name="Question">The question as asked.</param>
/// <param name="Overall">Its overall score, or null when it was skipped.</param>
/// <param name="Uncertain">
/// True when the answer was spoken and its transcript fell below the engine's calibrated confidence: the figures that rest
/// on its words (its overall score, and the competency and criterion means it is part of, delivery aside) are uncertain.
/// </param>
public sealed record MockAnswerLine(int Number, bool FollowUp, string Question, int? Overall, bool Uncertain);

/// <summary>A mean score over the answers it covers.</summary>
/// <param name="Name">The competency (<c>technical-depth</c>) or criterion (<c>content</c>).</param>
/// <param name="Score">0–100, the rounded mean.</param>
/// <param name="Answers">How many answers the mean covers.</param>
public sealed record MockScore(string Name, int Score, int Answers)
{
    /// <summary>How many of those answers rest on a transcript that was not reliable (their part of the mean is uncertain).</summary>
    public int Uncertain { get; init; }
}

/// <summary>Something to work on, from the advice given on the interview's answers.</summary>
/// <param name="Title">What to work on.</param>
/// <param name="Suggestion">What to do instead.</param>
/// <param name="Quote">The user's own words where it showed (empty when the problem is an absence and no quote fits).</param>
/// <param name="Question">The question the quote answers.</param>
/// <param name="Answers">In how many answers it came up.</param>
public sealed record MockWorkItem(string Title, string Suggestion, string Quote, string Question, int Answers);

/// <summary>The strongest answer.</summary>
/// <param name="Question">The question.</param>
/// <param name="Overall">Its overall score.</param>
/// <param name="Quote">A line from the answer the scorer found strong evidence in (empty for an unreliable transcript).</param>
/// <param name="Why">What made it strong.</param>
public sealed record MockHighlight(string Question, int Overall, string Quote, string Why)
{
    /// <summary>True when every answer rested on an unreliable transcript, so even the strongest one's score is uncertain.</summary>
    public bool Uncertain { get; init; }
}

/// <summary>This interview against the user's earlier mock interviews.</summary>
/// <param name="Previous">How many earlier interviews were finished.</param>
/// <param name="LastReadiness">The readiness of the last one, or null.</param>
/// <param name="BestReadiness">The best readiness so far before this one, or null.</param>
/// <param name="Change">Points gained (or lost) since the last one, or null.</param>
/// <param name="Text">The comparison in one sentence.</param>
public sealed record MockComparison(int Previous, int? LastReadiness, int? BestReadiness, int? Change, string Text)
{
    /// <summary>
    /// The newest earlier interview of another kind (another role or plan) when there is none of this kind to compare
    /// with: shown, but not compared.
    /// </summary>
    public MockSummary? OtherKind { get; init; }
}

/// <summary>A finished mock interview in a progress summary.</summary>
/// <param name="Id">The mock interview.</param>
/// <param name="Title">What was practised.</param>
/// <param name="Readiness">Its readiness score.</param>
/// <param name="Answered">Answers scored.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record MockSummary(string Id, string Title, int Readiness, int Answered, DateTimeOffset FinishedAt);

/// <summary>Where a mock interview's question stands.</summary>
/// <param name="Number">The main question's number (1-based).</param>
/// <param name="Of">How many main questions the interview has.</param>
/// <param name="FollowUp">True when the question is that main question's follow-up.</param>
public sealed record MockStep(int Number, int Of, bool FollowUp);
