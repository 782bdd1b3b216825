using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>
/// Relevance: how much of the question's rubric the answer covers (by words or meaning, point by point) and how closely
/// its sentences relate to this question rather than to any other. An off-topic answer scores low whatever it covers by
/// chance; a story question answered only with what the speaker would do loses a third.
/// </summary>
internal sealed class RelevanceDimension : IAnswerDimension
{
    public string Name => Dimensions.Relevance;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var rubric = evidence.Rubric;
        var covered = rubric.Count(r => r.Covered);
        var unclear = rubric.Count(r => r.Unclear);
        var unmatchedCount = rubric.Count(r => r.Unmatched);
        var coverage = rubric.Count == 0 ? 0 : (covered + (0.5 * unclear)) / rubric.Count;
        var topic = Topic(evidence);
        var score = 100 * ((0.6 * coverage) + (0.4 * topic));
        string reason;
        if (evidence.OffTopic)
        {
            score = Math.Min(score, 15);
            reason = evidence.CoreNotShown is { } asks
                ? $"Does not answer the question that was asked: it asks for {asks}, and this answer never comes to it."
                : "Does not answer the question that was asked: it is about something else.";
        }
        else
        {
            reason = covered == rubric.Count
                ? $"Answers the question and covers all {rubric.Count} key points an interviewer listens for."
                : covered == 0
                    ? $"On the question's topic, but covers none of the {rubric.Count} key points an interviewer listens for{(unclear > unmatchedCount ? $" ({unclear - unmatchedCount} only in passing)" : string.Empty)}."
                    : $"Answers the question and covers {covered} of {rubric.Count} key points an interviewer listens for{(unclear > unmatchedCount ? $" ({unclear - unmatchedCount} more only in passing)" : string.Empty)}.";
            reason += Uncovered(rubric);
        }

        if (evidence.Hypothetical)
        {
            score *= 0.67;
            reason += " It says what you would do, but the question asks what you did.";
        }

        var quotes = evidence.OffTopic ? [] : rubric.Where(r => r.Covered).Select(r => r.Evidence!).Distinct().Take(3).ToList();
        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, quotes));
    }

    /// <summary>
    /// The points a count short of all leaves out, named so the count can be checked against them whatever else the card
    /// lists (a missed point is listed beside a tip only when relevance gets one): " Not yet: …" and " In passing: …".
    /// </summary>
    private static string Uncovered(IReadOnlyList<RubricCoverage> rubric)
    {
        static string Points(IEnumerable<RubricCoverage> points) =>
            string.Join("; ", points.Select(r => LowerFirst(r.Point.Point.Trim().TrimEnd('.'))));
        var missed = rubric.Where(r => !r.Covered && !r.Unclear).ToList();
        var passing = rubric.Where(r => !r.Covered && r.Unclear && !r.Unmatched).ToList();
        var unmatched = rubric.Where(r => !r.Covered && r.Unmatched).ToList();
        return (missed.Count > 0 ? $" Not yet: {Points(missed)}." : string.Empty) +
               (passing.Count > 0 ? $" Only in passing: {Points(passing)}." : string.Empty) +
               (unmatched.Count > 0 ? $" Possibly said in other words (check it comes through plainly): {Points(unmatched)}." : string.Empty);
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>
    /// 0–1: how clearly the answer is about this question's points, by meaning (the closest sentence to each point,
    /// averaged); by the question's own words without the model.
    /// </summary>
    public static double Topic(AnswerEvidence evidence)
    {
        if (evidence.Semantics is { } semantics)
        {
            return Math.Clamp((semantics.PointAffinity - ScoringCalibration.NoPointAffinity) / (ScoringCalibration.FullPointAffinity - ScoringCalibration.NoPointAffinity), 0, 1);
        }

        var words = Text.Lexicon.TopicStems(evidence.Question.Text);
        var stems = evidence.Document.Tokens.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        return words.Count == 0 ? 0 : Math.Min(1, 1.5 * words.Count(stems.Contains) / words.Count);
    }
}
