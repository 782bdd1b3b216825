using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>
/// Specificity: 100·(1 − e^(−d/3)) where d is specifics per 100 words (numbers, measured outcomes count twice, named
/// tools and teams). A story with no measured outcome tops out at 75; details of an off-topic answer earn nothing.
/// </summary>
internal sealed partial class SpecificityDimension : IAnswerDimension
{
    public string Name => Dimensions.Specificity;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var doc = evidence.Document;
        var numbers = 0;
        var metrics = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var perSentence = new int[doc.Sentences.Count];
        var tokens = doc.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var isNumber = t.Text.Any(char.IsAsciiDigit) || Lexicon.NumberWords.Contains(t.Lower);
            if (isNumber)
            {
                numbers++;
                perSentence[t.Sentence]++;
                var next = i + 1 < tokens.Count && tokens[i + 1].Sentence == t.Sentence ? tokens[i + 1].Lower : string.Empty;
                // An amount of money ("$40", "£7k", "600k", "1.2m", "2.40 pounds") is measured as surely as a percentage.
                if (t.Text.EndsWith('%') || Lexicon.Units.Contains(next) || t.Text.StartsWith('$') || t.Text.StartsWith('£') || t.Text.StartsWith('€') ||
                    Amount().IsMatch(t.Text) ||
                    (i > 0 && tokens[i - 1].Lower is "$" or "£" or "€" or "by" or "to" or "from"))
                {
                    metrics++;
                    perSentence[t.Sentence]++;
                }

                continue;
            }

            var sentenceStart = i == 0 || tokens[i - 1].Sentence != t.Sentence;
            var capitalised = char.IsUpper(t.Text[0]) && !sentenceStart && !Lexicon.FirstPersonSingular.Contains(t.Lower);
            var technical = t.Text.Length > 1 && t.Text.Skip(1).Any(char.IsUpper) && t.Text.Any(char.IsLower);
            if ((capitalised || technical) && names.Add(t.Lower))
            {
                perSentence[t.Sentence]++;
            }
        }

        var points = numbers + metrics + names.Count;
        var density = 100.0 * points / Math.Max(doc.WordCount, 80);
        var score = 100 * (1 - Math.Exp(-density / 3));
        if (metrics == 0 && evidence.Type.IsStory)
        {
            score = Math.Min(score, 75);
        }

        var reason = points == 0
            ? "No numbers, measured outcomes, or named tools, teams or customers: it stays abstract."
            : $"{DimensionText.Count(numbers, "number")}, {DimensionText.Count(metrics, "measured outcome")} and {DimensionText.Count(names.Count, "named tool, team or person", "named tools, teams or people")} in {TextDocument.Words(doc.WordCount)}.";
        if (evidence.ListsTerms && !evidence.OffTopic)
        {
            score = Math.Min(score, ScoringCalibration.TermListSpecificityCap);
            reason = "Names terms in a list rather than details of your own work: a framework named is not a framework used.";
        }

        if (evidence.OffTopic)
        {
            score = Math.Min(score, 20);
            reason = "The details are about something other than the question, so they do not count here.";
        }

        var quotes = evidence.OffTopic ? [] : perSentence.Select((n, i) => (n, i)).Where(x => x.n > 0).OrderByDescending(x => x.n).Take(2)
            .Select(x => evidence.Quote(x.i)).ToList();
        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, quotes));
    }

    /// <summary>A number with a thousands or millions suffix: "600k", "1.2m", "3bn".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[$£€]?\d+([.,]\d+)?(k|m|bn)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Amount();
}
