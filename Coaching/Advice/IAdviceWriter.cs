using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;

namespace CoachBot.Coaching.Advice;

/// <summary>Writes coaching advice for a scored answer: the rule-based coach, or an LLM chain ending in it.</summary>
public interface IAdviceWriter
{
    /// <summary>Writes advice for <paramref name="request"/>.</summary>
    Task<CoachingAdvice> WriteAsync(AdviceRequest request, CancellationToken cancellationToken);
}

/// <summary>What the advice is written from.</summary>
/// <param name="Question">The question answered.</param>
/// <param name="Content">The content scores and findings.</param>
public sealed record AdviceRequest(Question Question, ContentAnalysis Content)
{
    /// <summary>Delivery metrics of a spoken answer; null for text.</summary>
    public DeliveryReport? Delivery { get; init; }

    /// <summary>Emotion profile of a spoken answer; null for text.</summary>
    public EmotionReport? Emotions { get; init; }

    /// <summary>Retrieved coaching knowledge to ground the advice in (empty when retrieval is not configured).</summary>
    public IReadOnlyList<KnowledgeSnippet> Knowledge { get; init; } = [];
}

/// <summary>Advice: strengths, prioritized improvements, missed rubric points, and who wrote it.</summary>
/// <param name="Strengths">2–3 strengths, most important first.</param>
/// <param name="Improvements">2–3 improvements, most important first.</param>
/// <param name="MissedPoints">Rubric points the answer did not cover.</param>
/// <param name="Source">Who wrote the advice.</param>
public sealed record CoachingAdvice(
    IReadOnlyList<string> Strengths,
    IReadOnlyList<Improvement> Improvements,
    IReadOnlyList<string> MissedPoints,
    AdviceSource Source)
{
    /// <summary>The knowledge the advice cites (empty when none was used).</summary>
    public IReadOnlyList<ReportReference> References { get; init; } = [];

    /// <summary>A short improved version of the answer (LLM advice only; null from the rule-based coach).</summary>
    public string? ImprovedExample { get; init; }

    /// <summary>
    /// Scores after blending in the model's view, never above the measured ones; null when the measured scores stand.
    /// </summary>
    public IReadOnlyList<DimensionScore>? Scores { get; init; }

    /// <summary>The overall score that goes with <see cref="Scores"/>; null when the measured overall stands.</summary>
    public int? Overall { get; init; }
}
