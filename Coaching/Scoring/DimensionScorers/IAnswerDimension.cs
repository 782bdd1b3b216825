using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>One content dimension: scores the evidence found in an answer, with a reason and quotes.</summary>
internal interface IAnswerDimension
{
    /// <summary>The dimension id (see <see cref="Dimensions"/>).</summary>
    string Name { get; }

    /// <summary>Scores the answer on this dimension.</summary>
    ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken);
}

/// <summary>Shared wording helpers for the dimensions.</summary>
internal static class DimensionText
{
    public static DimensionScore Score(string name, double score, string reason, IReadOnlyList<string> evidence)
    {
        var rounded = Round(score);
        return new DimensionScore(name, rounded, DimensionScore.LabelFor(rounded), reason, evidence);
    }

    public static int Round(double value) => (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero);

    public static string Count(int n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{n.ToString(System.Globalization.CultureInfo.InvariantCulture)} {plural ?? singular + "s"}";

    public static string Times(int n) => n switch
    {
        0 => "never",
        1 => "once",
        2 => "twice",
        _ => $"{n.ToString(System.Globalization.CultureInfo.InvariantCulture)} times",
    };

    public static string Join(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }
}
