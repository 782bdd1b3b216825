using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>Scores the content of an answer against its question.</summary>
public interface IContentScorer
{
    /// <summary>Scores <paramref name="answer"/> (typed text or a transcript) for <paramref name="question"/>.</summary>
    Task<ContentAnalysis> ScoreAsync(Question question, string answer, CancellationToken cancellationToken);
}

/// <summary>Whether a rubric point was covered, and the sentence that covered it.</summary>
/// <param name="Point">The rubric point.</param>
/// <param name="Covered">Whether the answer covered it.</param>
/// <param name="Evidence">The covering sentence, quoted.</param>
/// <param name="Cue">The cue that matched, or <c>meaning</c> when the sentence says it in other words.</param>
public sealed record RubricCoverage(RubricPoint Point, bool Covered, string? Evidence, string? Cue)
{
    /// <summary>The index of the covering sentence in the parsed answer.</summary>
    public int? Sentence { get; init; }

    /// <summary>For a point not covered: the sentence most about it, where adding it would fit best; null when no sentence is near it.</summary>
    public string? Nearest { get; init; }

    /// <summary>
    /// Not clearly covered, but not clearly missing either (some sentence comes near it): never claimed as missed, and
    /// counted as half covered.
    /// </summary>
    public bool Unclear { get; init; }

    /// <summary>
    /// Not matched by words or meaning in an answer complete enough that it is most likely said in other words
    /// (<see cref="ScoringCalibration.CompleteStructure"/>): also <see cref="Unclear"/>, so never claimed as missed, and
    /// named on the card as possibly said in other words rather than as said in passing.
    /// </summary>
    public bool Unmatched { get; init; }
}

/// <summary>A structural part (e.g. STAR's result) and where the answer has it.</summary>
/// <param name="Name">The part.</param>
/// <param name="Present">Whether the answer has it.</param>
/// <param name="Evidence">The sentence that shows it, quoted.</param>
/// <param name="Missing">What the part is, phrased for a missing-part message.</param>
public sealed record StructureFinding(string Name, bool Present, string? Evidence, string Missing)
{
    /// <summary>The index of the sentence that shows the part in the parsed answer.</summary>
    public int? Sentence { get; init; }
}

/// <summary>Everything the content scorer measured: the scores and the findings behind them.</summary>
/// <param name="Document">The parsed answer.</param>
/// <param name="Scores">Per-dimension scores in a fixed order.</param>
/// <param name="Overall">The weighted overall score.</param>
/// <param name="Rubric">Coverage of each rubric point.</param>
/// <param name="Structure">Structural parts found or missing.</param>
/// <param name="FillerCount">Filler words counted.</param>
/// <param name="HedgeCount">Hedging phrases counted.</param>
/// <param name="Warnings">What the user should know about this scoring.</param>
public sealed record ContentAnalysis(
    TextDocument Document,
    IReadOnlyList<DimensionScore> Scores,
    int Overall,
    IReadOnlyList<RubricCoverage> Rubric,
    IReadOnlyList<StructureFinding> Structure,
    int FillerCount,
    int HedgeCount,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The question type the answer was judged as.</summary>
    public required Types.QuestionType Type { get; init; }

    /// <summary>Whether the answer does not address the question (said first on the card; the overall is capped).</summary>
    public bool OffTopic { get; init; }

    /// <summary>
    /// For an off-topic answer told for a neighbouring question: what its question hinges on ("a failure or mistake of
    /// your own"), which the answer never mentions. Null otherwise.
    /// </summary>
    public string? CoreNotShown { get; init; }

    /// <summary>
    /// A problem of judgement the answer shows (blaming others, a weakness that is a strength in disguise, pay as the only
    /// reason…): raised before any point of form, and the overall is capped. Never set for an off-topic answer.
    /// </summary>
    public Types.JudgementConcern? Concern { get; init; }

    /// <summary>Whether a story question was answered with what the speaker would do rather than what they did.</summary>
    public bool Hypothetical { get; init; }

    /// <summary>Whether the answer is largely a list of terms rather than an answer.</summary>
    public bool ListsTerms { get; init; }

    /// <summary>How the answer's sentences relate in meaning to the question and its rubric (null without the sentence model).</summary>
    public SemanticMatch? Semantics { get; init; }

    /// <summary>Apologies, false starts and "I don't know how to answer" (they lower clarity like fillers).</summary>
    public int ApologyCount { get; init; }

    /// <summary>The score of one dimension.</summary>
    public DimensionScore this[string name] => Scores.First(s => s.Name == name);
}

/// <summary>The content dimensions and their weight in the overall score.</summary>
public static class Dimensions
{
    /// <summary>Covers what the question asks (rubric key points).</summary>
    public const string Relevance = "relevance";

    /// <summary>Has the parts the question type expects (STAR for stories).</summary>
    public const string Structure = "structure";

    /// <summary>Numbers, outcomes, named tools and people.</summary>
    public const string Specificity = "specificity";

    /// <summary>Says what the speaker did (I) rather than only the team (we).</summary>
    public const string Ownership = "ownership";

    /// <summary>Fits the time an interviewer expects.</summary>
    public const string Length = "length";

    /// <summary>Free of hedging and filler words.</summary>
    public const string Clarity = "clarity";

    /// <summary>How a spoken answer was delivered (pace, fillers, pauses, intonation, volume).</summary>
    public const string Delivery = "delivery";

    /// <summary>
    /// Default weights of the dimensions (a story's); each question type has its own (<see cref="Types.QuestionType.Weights"/>).
    /// The six content weights add up to 1; a spoken answer adds delivery and scales content to the rest (<see cref="OverallScore"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> Weights = new Dictionary<string, double>
    {
        [Relevance] = 0.28,
        [Structure] = 0.20,
        [Specificity] = 0.16,
        [Ownership] = 0.08,
        [Length] = 0.10,
        [Clarity] = 0.18,
        [Delivery] = 0.2,
    };
}
