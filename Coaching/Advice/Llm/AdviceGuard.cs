using System.Text;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Measured facts win over what a model wrote: scores may be pulled down a little by the model but never raised
/// above the measured ones; missed points are the measured ones; evidence quotes that are not in the answer are
/// dropped; claims that contradict the counted fillers or state a score are removed; too little advice is topped up
/// from the rule-based findings.
/// </summary>
internal static partial class AdviceGuard
{
    /// <summary>The model's weight when blending scores.</summary>
    public const double ModelWeight = 0.3;

    /// <summary>The most a model can lower a measured score by.</summary>
    public const int MaxDrop = 15;

    private const int MaxItemLength = 500;
    private const int MaxExampleLength = 1200;

    public static CoachingAdvice Apply(ModelAdvice model, AdviceRequest request, CoachingAdvice rules, AdviceSource source)
    {
        var content = request.Content;
        var answer = Normalize(content.Document.Text);
        var fillers = request.Delivery?.Fillers.Count ?? content.FillerCount;
        var hedges = request.Delivery?.Hedges ?? content.HedgeCount;

        bool Acceptable(string text) =>
            !string.IsNullOrWhiteSpace(text) && !ClaimsScore(text) && !ContradictsCount(text, fillers, FillerClaim(), FillerNumber()) &&
            !ContradictsCount(text, hedges, HedgeClaim(), HedgeNumber()) && QuotesAreReal(text, answer);

        var strengths = model.Strengths.Select(s => Cap(s.Trim(), MaxItemLength)).Where(Acceptable).Distinct(StringComparer.Ordinal).Take(3).ToList();
        if (strengths.Count == 0)
        {
            strengths = [.. rules.Strengths];
        }

        var improvements = model.Improvements
            .Where(i => Acceptable(i.Title) && Acceptable(i.Suggestion))
            .Select(i => new Improvement(Cap(i.Title.Trim(), 120), Occurs(i.Evidence, answer) ? i.Evidence.Trim() : string.Empty, Cap(i.Suggestion.Trim(), MaxItemLength)))
            .Take(3)
            .ToList();
        foreach (var fallback in rules.Improvements)
        {
            if (improvements.Count >= 2)
            {
                break;
            }

            if (!improvements.Any(i => string.Equals(i.Title, fallback.Title, StringComparison.OrdinalIgnoreCase)))
            {
                improvements.Add(fallback);
            }
        }

        var example = model.ImprovedExample.Trim();
        var (scores, overall) = Blend(content, model.Scores);
        // The model's tips are told every missed point, so the card lists them all (the rules list only those their own tip covers).
        return new CoachingAdvice(strengths, improvements, [.. RuleBasedCoach.MissedPoints(content).Select(r => r.Point.Point)], source)
        {
            ImprovedExample = example.Length == 0 || ClaimsScore(example) ? null : Cap(example, MaxExampleLength),
            Scores = scores,
            Overall = overall,
        };
    }

    /// <summary>
    /// Blends each model score into the measured one and bounds it: at most the measured score, at least
    /// <see cref="MaxDrop"/> below it. Returns nulls when nothing moved.
    /// </summary>
    public static (IReadOnlyList<DimensionScore>? Scores, int? Overall) Blend(ContentAnalysis content, IReadOnlyDictionary<string, int> model)
    {
        var changed = false;
        var lost = 0.0;
        var blended = new List<DimensionScore>(content.Scores.Count);
        foreach (var measured in content.Scores)
        {
            if (!model.TryGetValue(measured.Name, out var view))
            {
                blended.Add(measured);
                continue;
            }

            var mixed = (int)Math.Round(((1 - ModelWeight) * measured.Score) + (ModelWeight * Math.Clamp(view, 0, 100)));
            var bounded = Math.Clamp(mixed, Math.Max(0, measured.Score - MaxDrop), measured.Score);
            if (bounded == measured.Score)
            {
                blended.Add(measured);
                continue;
            }

            changed = true;
            lost += (measured.Score - bounded) * (Dimensions.Weights.TryGetValue(measured.Name, out var w) ? w : 0);
            blended.Add(measured with { Score = bounded, Label = DimensionScore.LabelFor(bounded) });
        }

        return changed ? (blended, Math.Max(0, content.Overall - (int)Math.Round(lost))) : (null, null);
    }

    /// <summary>Whether <paramref name="quote"/> (ignoring case, spacing, quote marks and a trailing ellipsis) occurs in the normalized answer.</summary>
    public static bool Occurs(string quote, string normalizedAnswer)
    {
        var q = Normalize(quote).Trim(' ', '"', '\'', '…', '.');
        return q.Length >= 3 && normalizedAnswer.Contains(q, StringComparison.Ordinal);
    }

    private static bool QuotesAreReal(string text, string answer)
    {
        foreach (Match quote in Quoted().Matches(text))
        {
            var inner = quote.Groups["q"].Value;
            // Long quotes claim to be from the answer; short ones may be suggested wording ("say “I decided”").
            if (inner.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 6 && !Occurs(inner, answer))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ClaimsScore(string text) => ScoreClaim().IsMatch(text);

    private static bool ContradictsCount(string text, int measured, Regex none, Regex number)
    {
        if (measured > 0 && none.IsMatch(text))
        {
            return true;
        }

        foreach (Match m in number.Matches(text))
        {
            if (int.TryParse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture, out var claimed) && claimed != measured)
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.ToLowerInvariant())
        {
            var c = ch switch { '\u2018' or '\u2019' => '\'', '\u201C' or '\u201D' => '"', _ => ch };
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..max].TrimEnd() + "…";

    [GeneratedRegex(@"\b\d{1,3}\s*(/|out of)\s*(10|100)\b|\bscor(e|ed|ing)\b[^.!?\n]{0,30}\b\d{1,3}\b|\bperfect (score|answer)\b|\bfull marks\b", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreClaim();

    [GeneratedRegex(@"\b(no|zero|without|free of|free from|not a single|never use[ds]?)\b[^.!?\n]{0,25}\bfillers?\b|\bfillers?[- ]free\b|\bfillers?\b[^.!?\n]{0,20}\b(none|absent)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FillerClaim();

    [GeneratedRegex(@"\b(?<n>\d{1,4})\s+(\w+\s+)?fillers?\b|\bfillers?(\s+words?)?\s+(\w+\s+){0,3}?(?<n>\d{1,4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex FillerNumber();

    [GeneratedRegex(@"\b(no|zero|without|free of|free from|not a single)\b[^.!?\n]{0,25}\bhedg(e|es|ing)\b|\bhedg(e|ing)[- ]free\b", RegexOptions.IgnoreCase)]
    private static partial Regex HedgeClaim();

    [GeneratedRegex(@"\b(?<n>\d{1,4})\s+(\w+\s+)?hedg(e|es|ing)\b|\bhedg(e|es|ing)(\s+(words?|phrases?))?\s+(\w+\s+){0,3}?(?<n>\d{1,4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex HedgeNumber();

    [GeneratedRegex("[\"“](?<q>[^\"“”]{3,400})[\"”]")]
    private static partial Regex Quoted();
}
