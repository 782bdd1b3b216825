using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring.Types;

namespace CoachBot.Coaching.Scoring;

/// <summary>
/// The one place the overall score is computed: the weighted mean of the content dimensions with the question type's
/// weights, scaled by relevance (× 0.7 + 0.3 · relevance/100: an answer that barely addresses the question cannot ride on
/// its shape or length), capped for an off-topic answer, a hypothetical story, an answer that lists terms, one that shows poor judgement (<see cref="Types.JudgementConcerns"/>) and a short answer (1.4 points a word, and
/// in step with how far it falls short of the type's expected length);
/// a spoken answer then blends in delivery at <see cref="DeliveryWeight"/>.
/// </summary>
public static class OverallScore
{
    /// <summary>Delivery's share of a spoken answer's overall.</summary>
    public const double DeliveryWeight = 0.2;

    /// <summary>Below this many words an answer is warned that it shows too little.</summary>
    public const int ShortAnswerWords = 25;

    /// <summary>The share of the overall an answer keeps whatever its relevance (the rest scales with relevance).</summary>
    public const double RelevanceFloor = 0.7;

    /// <summary>A short answer's overall is capped at this many points a word (a 30-word answer at 42).</summary>
    public const double PointsPerWord = 1.4;

    /// <summary>An answer of almost no words is capped near this; the cap rises in step with its length up to the type's minimum.</summary>
    public const double ShortCapBase = 30;

    /// <summary>The content overall of <paramref name="scores"/> for an answer of <paramref name="type"/>.</summary>
    public static int Of(QuestionType type, IEnumerable<DimensionScore> scores, int words, bool offTopic, bool hypothetical, bool listsTerms = false, bool judgementConcern = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(scores);
        var weighted = 0.0;
        var total = 0.0;
        foreach (var score in scores)
        {
            if (type.Weights.TryGetValue(score.Name, out var weight))
            {
                weighted += weight * score.Score;
                total += weight;
            }
        }

        var overall = total == 0 ? 0 : weighted / total;

        // Answering the question comes first: shape, detail and length count for less the less the answer is about it.
        if (scores.FirstOrDefault(s => s.Name == Dimensions.Relevance) is { } relevance)
        {
            overall *= RelevanceFloor + ((1 - RelevanceFloor) * relevance.Score / 100.0);
        }
        if (offTopic)
        {
            overall = Math.Min(overall, Scoring.ScoringCalibration.OffTopicCap);
        }

        if (hypothetical)
        {
            overall = Math.Min(overall, Scoring.ScoringCalibration.HypotheticalCap);
        }

        if (judgementConcern)
        {
            overall = Math.Min(overall, Scoring.ScoringCalibration.JudgementCap);
        }

        if (listsTerms)
        {
            overall = Math.Min(overall, Scoring.ScoringCalibration.TermListCap);
        }

        overall = Math.Min(overall, words * PointsPerWord);

        // Below the type's expected length an answer cannot show enough to be strong, however dense its terms: at half
        // the least a good answer needs it tops out at fair.
        if (words < type.MinWords)
        {
            overall = Math.Min(overall, ShortCapBase + ((100 - ShortCapBase) * words / (double)type.MinWords));
        }

        return Round(overall);
    }

    /// <summary>A spoken answer's overall: content and delivery blended.</summary>
    public static int WithDelivery(int content, int delivery) =>
        Round(((1 - DeliveryWeight) * content) + (DeliveryWeight * delivery));

    private static int Round(double value) => (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero);
}
