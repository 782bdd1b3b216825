using System.Globalization;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Delivery;

/// <summary>Measures how an answer was spoken: pace, pauses, fillers, pitch, energy, and the emotions they suggest.</summary>
public interface IDeliveryAnalyzer
{
    /// <summary>Analyses the recording at the speaker's own level together with what the transcriber heard.</summary>
    DeliveryAnalysis Analyze(NormalizedAudio level, Transcript transcript);
}

/// <summary>The delivery report, the emotion profile, and the acoustic features behind both.</summary>
/// <param name="Delivery">The report's <c>delivery</c>.</param>
/// <param name="Emotions">The report's <c>emotions</c>.</param>
/// <param name="Acoustics">The signal measures.</param>
/// <param name="PaceSource"><c>transcript</c> when pace was counted from the words heard, <c>acoustic</c> when estimated from syllable nuclei.</param>
public sealed record DeliveryAnalysis(DeliveryReport Delivery, EmotionReport Emotions, AcousticFeatures Acoustics, string PaceSource);

/// <summary>
/// Delivery metrics. Pace is words per minute over the whole answer; the articulation rate leaves out long pauses
/// (over 1.5 s). Words are counted from the transcript when it agrees (±30%) with an acoustic estimate
/// (syllable nuclei ÷ 1.45 syllables per word, a typical rate for spoken English); otherwise the acoustic estimate is used,
/// so a transcriber that garbles the words cannot distort the pace. Coaching ranges: 130–170 words per minute,
/// fillers under 4% of words.
/// </summary>
internal sealed class DeliveryAnalyzer : IDeliveryAnalyzer
{
    /// <summary>Average syllables per word in spoken English answers, used to turn syllable nuclei into words.</summary>
    public const double SyllablesPerWord = 1.45;

    /// <summary>A silence longer than this is a long pause.</summary>
    public const double LongPauseSeconds = 1.5;

    private const double Agreement = 0.30;

    public DeliveryAnalysis Analyze(NormalizedAudio level, Transcript transcript)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(transcript);
        var acoustics = AcousticAnalysis.Analyze(level.Samples, level.SampleRate);
        var duration = Math.Max(acoustics.DurationSeconds, 0.01);
        var minutes = duration / 60;
        var doc = TextDocument.Parse(transcript.Text);
        var heard = doc.WordCount;
        var estimated = acoustics.SyllableNuclei.Count / SyllablesPerWord;
        var fromTranscript = heard > 0 && estimated > 0 && Math.Abs(heard - estimated) <= Agreement * estimated;
        var paceWords = fromTranscript || estimated == 0 ? heard : estimated;

        var longPauses = acoustics.Pauses.Where(p => p.Seconds > LongPauseSeconds).ToList();
        var pausedSeconds = acoustics.Pauses.Sum(p => p.Seconds);
        var articulationMinutes = Math.Max(duration - longPauses.Sum(p => p.Seconds), 0.01) / 60;
        var fillers = Lexicon.FindFillers(doc);
        var hedges = Lexicon.FindHedges(doc).Count;
        var repetitions = Repetitions(doc);
        var (pitchMean, pitchVariation) = Pitch(acoustics.PitchHz);
        var (energyMean, energyVariation) = MeanAndDeviation(acoustics.SpeechLevelsDb);

        var wpm = Round(paceWords / minutes);
        var fillerRatio = heard == 0 ? 0 : (double)fillers.Count / heard;
        var flags = new List<string>();
        if (wpm > 175)
        {
            flags.Add("too fast");
        }
        else if (wpm is > 0 and < 110)
        {
            flags.Add("too slow");
        }

        if (pitchVariation is < MonotoneSemitones)
        {
            flags.Add("monotone");
        }

        if (energyMean < QuietDb)
        {
            flags.Add("too quiet");
        }

        if (fillerRatio > 0.04)
        {
            flags.Add("too many fillers");
        }

        if (longPauses.Count >= 3)
        {
            flags.Add("long pauses");
        }

        var delivery = new DeliveryReport(
            Round(duration),
            Round(Math.Max(duration - pausedSeconds, 0)),
            heard,
            wpm,
            Round(paceWords / articulationMinutes),
            acoustics.Pauses.Count,
            longPauses.Count,
            new FillerReport(fillers.Count, Round(fillers.Count / minutes), Math.Round(fillerRatio, 3),
                [.. fillers.GroupBy(f => f.Filler, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3).Select(g => Lexicon.Display(g.Key))]),
            hedges,
            repetitions,
            new PitchReport(pitchMean is null ? null : Round(pitchMean.Value), pitchVariation is null ? null : Round(pitchVariation.Value)),
            new EnergyReport(Round(energyMean), Round(energyVariation)),
            flags);

        var emotions = EmotionScorer.Score(delivery, doc);
        return new DeliveryAnalysis(delivery, emotions, acoustics, fromTranscript || estimated == 0 ? "transcript" : "acoustic");
    }

    /// <summary>Pitch variation below this many semitones sounds flat.</summary>
    public const double MonotoneSemitones = 2.0;

    /// <summary>A speech level below this (dBFS RMS) is hard to hear.</summary>
    public const double QuietDb = -38;

    private static int Repetitions(TextDocument doc)
    {
        var count = 0;
        for (var i = 1; i < doc.Tokens.Count; i++)
        {
            if (doc.Tokens[i].Lower == doc.Tokens[i - 1].Lower && doc.Tokens[i].Lower is not ("that" or "had" or "very" or "really"))
            {
                count++;
            }
        }

        return count;
    }

    private static (double? Mean, double? VariationSemitones) Pitch(IReadOnlyList<double> hz)
    {
        // Fewer than 0.2 s of voiced speech says nothing reliable about intonation.
        if (hz.Count < 20)
        {
            return (null, null);
        }

        var sorted = hz.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var semitones = hz.Select(f => 12 * Math.Log2(f / median)).ToArray();
        return (hz.Average(), MeanAndDeviation(semitones).Deviation);
    }

    private static (double Mean, double Deviation) MeanAndDeviation(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return (-90, 0);
        }

        var mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    internal static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
