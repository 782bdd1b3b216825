using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Delivery;

/// <summary>
/// Emotion scores (0–100) from measured delivery features and word choice. These are vocal and lexical cues,
/// not a reading of anyone's feelings; each score lists the features that moved it. With
/// w = words per minute, d = how far w lies outside 130–170, f = filler share of words, h = hedges per 100 words,
/// p = long pauses per minute, r = repetitions per minute, σ = pitch variation (semitones), e = energy variation (dB),
/// L = speech level (dBFS), and P, N = positive and negative words per 100 words:
/// <list type="bullet">
/// <item>confidence = 100 − 600·f − 5·h − 10·p − 0.6·d − 2·max(0, −32 − L)</item>
/// <item>enthusiasm = 15 + 12·σ + min(10, 0.5·e) + 0.4·clamp(w − 130, −40, 40) + 4·P (σ unknown counts as 2); energy
/// variation is capped because consonants and vowels alone make it large, so intonation leads</item>
/// <item>calm = 100 − max(0, w − 165) − 400·f − 8·r − 10·p − 5·max(0, σ − 8)</item>
/// <item>positivity = 55 + 8·P − 10·N</item>
/// </list>
/// The dominant emotion is nervous when confidence &lt; 45 and calm &lt; 55, else enthusiastic when enthusiasm ≥ 65,
/// confident when confidence ≥ 70 and calm ≥ 60, flat when enthusiasm &lt; 35, calm when calm ≥ 70, otherwise neutral.
/// </summary>
internal static class EmotionScorer
{
    private static readonly HashSet<string> Positive = new(StringComparer.Ordinal)
    {
        "love", "loved", "enjoy", "enjoyed", "excited", "exciting", "proud", "great", "happy", "glad", "success",
        "successful", "improved", "grew", "won", "thrilled", "passionate", "fun", "rewarding", "grateful", "delighted",
        "achieved", "best", "better", "celebrated", "opportunity", "learned",
    };

    private static readonly HashSet<string> Negative = new(StringComparer.Ordinal)
    {
        "hate", "hated", "angry", "terrible", "awful", "failed", "failure", "frustrated", "frustrating", "boring",
        "bad", "worst", "annoyed", "stressful", "unfortunately", "blame", "blamed", "never", "impossible", "disaster",
        "afraid", "worried",
    };

    public static EmotionReport Score(DeliveryReport delivery, TextDocument transcript)
    {
        var minutes = Math.Max(delivery.DurationSeconds / 60, 0.01);
        var w = delivery.WordsPerMinute;
        var d = w < 130 ? 130 - w : w > 170 ? w - 170 : 0;
        var f = delivery.Fillers.Ratio;
        var words = Math.Max(transcript.WordCount, 1);
        var h = 100.0 * delivery.Hedges / words;
        var p = delivery.LongPauses / minutes;
        var r = delivery.Repetitions / minutes;
        var sigma = delivery.Pitch.VariationSemitones;
        var e = delivery.Energy.VariationDb;
        var level = delivery.Energy.MeanDb;
        var positive = 100.0 * transcript.Tokens.Count(t => Positive.Contains(t.Lower)) / words;
        var negative = 100.0 * transcript.Tokens.Count(t => Negative.Contains(t.Lower)) / words;

        var confidence = Clamp(100 - (600 * f) - (5 * h) - (10 * p) - (0.6 * d) - (2 * Math.Max(0, -32 - level)));
        var enthusiasm = Clamp(15 + (12 * (sigma ?? 2)) + Math.Min(10, 0.5 * e) + (0.4 * Math.Clamp(w - 130, -40, 40)) + (4 * positive));
        var calm = Clamp(100 - Math.Max(0, w - 165) - (400 * f) - (8 * r) - (10 * p) - (5 * Math.Max(0, (sigma ?? 0) - 8)));
        var positivity = Clamp(55 + (8 * positive) - (10 * negative));

        var drivers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["confidence"] = Drivers(
                ($"fillers {Percent(f)} of words", f > 0.02),
                ($"{Number(h)} hedges per 100 words", h > 1),
                ($"{Number(p)} long pauses per minute", p > 0.5),
                ($"pace {Number(w)} words per minute", d > 0),
                ($"speech level {Number(level)} dBFS", level < -32),
                ("few fillers, hedges and long pauses", f <= 0.02 && h <= 1 && p <= 0.5)),
            ["enthusiasm"] = Drivers(
                (sigma is null ? "pitch not measurable" : $"pitch variation {Number(sigma.Value)} semitones", true),
                ($"energy variation {Number(e)} dB", true),
                ($"pace {Number(w)} words per minute", true),
                ($"{Number(positive)} positive words per 100", positive > 0)),
            ["calm"] = Drivers(
                ($"pace {Number(w)} words per minute", w > 165),
                ($"fillers {Percent(f)} of words", f > 0.02),
                ($"{delivery.Repetitions} repeated words", delivery.Repetitions > 0),
                ($"{delivery.LongPauses} long pauses", delivery.LongPauses > 0),
                ("steady pace and few fillers", w <= 165 && f <= 0.02)),
            ["positivity"] = Drivers(
                ($"{Number(positive)} positive words per 100", true),
                ($"{Number(negative)} negative words per 100", true)),
        };

        var dominant = confidence < 45 && calm < 55 ? "nervous"
            : enthusiasm >= 65 ? "enthusiastic"
            : confidence >= 70 && calm >= 60 ? "confident"
            : enthusiasm < 35 ? "flat"
            : calm >= 70 ? "calm"
            : "neutral";
        return new EmotionReport(confidence, enthusiasm, calm, positivity, dominant, drivers);
    }

    private static List<string> Drivers(params (string Text, bool Applies)[] candidates) =>
        [.. candidates.Where(c => c.Applies).Select(c => c.Text)];

    private static int Clamp(double value) => (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero);

    private static string Number(double value) => DeliveryAnalyzer.Format(value);

    private static string Percent(double ratio) => DeliveryAnalyzer.Format(ratio * 100) + "%";
}
