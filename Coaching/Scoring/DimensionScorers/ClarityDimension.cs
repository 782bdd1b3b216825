using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>
/// Clarity: 100 − 12 per hedge, filler, apology or false start in every 100 words (typed and spoken alike); an apology
/// or "I don't know how to answer" counts double, since an interviewer hears it as giving up.
/// </summary>
internal sealed class ClarityDimension : IAnswerDimension
{
    public string Name => Dimensions.Clarity;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var doc = evidence.Document;
        var fillers = evidence.Fillers;
        var hedges = evidence.Hedges;
        var apologies = evidence.Apologies;
        var count = fillers.Count + hedges.Count + (2 * apologies.Count);
        var rate = 100.0 * count / Math.Max(doc.WordCount, 50);
        var score = 100 - (12 * rate);
        var kinds = hedges.Select(h => h.Hedge).Concat(fillers.Select(f => f.Filler)).Concat(apologies.Select(a => a.Phrase))
            .GroupBy(x => x, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var examples = kinds.Take(3).Select(g => $"“{Lexicon.Display(g.Key)}” ×{g.Count()}").ToList();

        // The examples name the three most frequent; the rest are said in a number, so the list adds up to what was counted.
        var unnamed = kinds.Skip(3).Sum(g => g.Count());
        if (unnamed > 0)
        {
            examples[^1] += $" and {unnamed} more";
        }

        var parts = new List<string>();
        if (hedges.Count > 0)
        {
            parts.Add(DimensionText.Count(hedges.Count, "hedge"));
        }

        if (fillers.Count > 0)
        {
            parts.Add(DimensionText.Count(fillers.Count, "filler word"));
        }

        if (apologies.Count > 0)
        {
            parts.Add(DimensionText.Count(apologies.Count, "apology or false start", "apologies or false starts"));
        }

        var reason = parts.Count == 0
            ? "Direct wording: no hedging (“I think”, “maybe”), filler words or apologies."
            : $"{DimensionText.Join(parts)}: {string.Join(", ", examples)}.";
        var quotes = hedges.Select(h => doc.Tokens[h.TokenIndex].Sentence).Concat(fillers.Select(f => doc.Tokens[f.TokenIndex].Sentence))
            .Concat(apologies.Select(a => a.Sentence)).Distinct().Order().Take(2).Select(evidence.Quote).ToList();
        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, quotes));
    }
}
