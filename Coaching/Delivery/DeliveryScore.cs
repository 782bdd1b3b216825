using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Delivery;

/// <summary>
/// The <c>delivery</c> dimension of a spoken answer: 100 minus penalties for pace outside 130–170 words per minute
/// (1.2 per word per minute), fillers above 1% of words (8 per percentage point), long pauses (8 per pause per minute,
/// at most 30), a monotone voice (15) and a quiet voice (15). A spoken answer's overall score is 80% content and 20% delivery.
/// </summary>
public static class DeliveryScore
{
    /// <summary>Share of the overall score that delivery takes for a spoken answer.</summary>
    public const double Weight = 0.2;

    /// <summary>Scores delivery, quoting the transcript where fillers were heard.</summary>
    public static DimensionScore Score(DeliveryReport delivery, string transcript)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var w = delivery.WordsPerMinute;
        var paceGap = w < 130 ? 130 - w : w > 170 ? w - 170 : 0;
        var minutes = Math.Max(delivery.DurationSeconds / 60, 0.01);
        var penalty = (1.2 * paceGap)
            + (800 * Math.Max(0, delivery.Fillers.Ratio - 0.01))
            + Math.Min(30, 8 * delivery.LongPauses / minutes)
            + (delivery.Flags.Contains("monotone") ? 15 : 0)
            + (delivery.Flags.Contains("too quiet") ? 15 : 0);
        var score = (int)Math.Round(Math.Clamp(100 - penalty, 0, 100), MidpointRounding.AwayFromZero);

        var parts = new List<string>
        {
            $"{DeliveryAnalyzer.Format(w)} words per minute ({(paceGap == 0 ? "in the 130–170 range" : w < 130 ? "slow" : "fast")})",
            $"fillers {DeliveryAnalyzer.Format(delivery.Fillers.Ratio * 100)}% of words",
            delivery.LongPauses == 1 ? "1 long pause" : $"{delivery.LongPauses} long pauses",
        };
        if (delivery.Pitch.VariationSemitones is { } sigma)
        {
            parts.Add(delivery.Flags.Contains("monotone") ? $"flat intonation ({DeliveryAnalyzer.Format(sigma)} semitones)" : $"varied intonation ({DeliveryAnalyzer.Format(sigma)} semitones)");
        }

        if (delivery.Flags.Contains("too quiet"))
        {
            parts.Add("quiet voice");
        }

        var doc = TextDocument.Parse(transcript);
        var evidence = Lexicon.FindFillers(doc).Select(f => doc.Tokens[f.TokenIndex].Sentence).Distinct().Take(2)
            .Select(s => TextDocument.Quote(doc.Sentences[s].Text)).ToList();
        return new DimensionScore(Dimensions.Delivery, score, DimensionScore.LabelFor(score), string.Join(", ", parts) + ".", evidence);
    }
}
