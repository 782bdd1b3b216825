using System.Numerics;

namespace CoachBot.Coaching.Delivery;

/// <summary>A stretch of silence inside a recording.</summary>
/// <param name="Start">Seconds from the start.</param>
/// <param name="End">Seconds from the start.</param>
public sealed record Pause(double Start, double End)
{
    /// <summary>Length in seconds.</summary>
    public double Seconds => End - Start;
}

/// <summary>What the signal itself says, independent of any transcriber.</summary>
/// <param name="DurationSeconds">Length of the analysed audio.</param>
/// <param name="SpeechFrames">Frames (10 ms) judged to hold speech.</param>
/// <param name="Pauses">Silences between speech of at least <see cref="AcousticAnalysis.MinimumPauseSeconds"/>.</param>
/// <param name="PitchHz">Fundamental frequency of each voiced frame, octave errors removed.</param>
/// <param name="SpeechLevelsDb">RMS level (dBFS) of each speech frame.</param>
/// <param name="SyllableNuclei">Times (s) of syllable nuclei: voiced intensity peaks with a dip before them.</param>
public sealed record AcousticFeatures(
    double DurationSeconds,
    int SpeechFrames,
    IReadOnlyList<Pause> Pauses,
    IReadOnlyList<double> PitchHz,
    IReadOnlyList<double> SpeechLevelsDb,
    IReadOnlyList<double> SyllableNuclei);

/// <summary>
/// Frame-based analysis of 16 kHz mono audio (10 ms hop):
/// <list type="bullet">
/// <item>level: RMS in dBFS over a 25 ms window;</item>
/// <item>speech: frames above min(max(noise floor + 10 dB, loud level − 35 dB), loud level − 6 dB) and above −70 dBFS, where the noise floor is the 10th and the
/// loud level the 95th percentile of frame levels; gaps shorter than 150 ms inside speech are bridged;</item>
/// <item>pauses: silent runs of at least 250 ms between speech;</item>
/// <item>pitch: YIN (de Cheveigné &amp; Kawahara 2002) over 30 ms windows, 60–400 Hz, threshold 0.15, or the deepest dip when it
/// is under 0.25 (short vowels of fast speech rarely reach 0.15), parabolic interpolation;
/// frames more than an octave from the median pitch are dropped as octave errors;</item>
/// <item>syllable nuclei (after de Jong &amp; Wempe 2009): peaks of the smoothed intensity contour that are above the median
/// speech level minus 2 dB, at least 2 dB above the dip since the previous peak, and voiced within ±20 ms.</item>
/// </list>
/// </summary>
public static class AcousticAnalysis
{
    /// <summary>Shortest silence between speech counted as a pause.</summary>
    public const double MinimumPauseSeconds = 0.25;

    private const int Hop = 160;
    private const int LevelWindow = 400;
    private const int PitchWindow = 480;
    private const double MinPitchHz = 60;
    private const double MaxPitchHz = 400;
    private const double YinThreshold = 0.15;
    private const double YinVoicingThreshold = 0.25;
    private const int BridgeFrames = 15;
    private const double DipDb = 2;
    private const double SilenceDb = -70;
    private const int SmoothingRadius = 1;

    /// <summary>Analyses <paramref name="samples"/> (−1…1) at <paramref name="sampleRate"/> Hz.</summary>
    public static AcousticFeatures Analyze(float[] samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var frames = Math.Max(0, (samples.Length - LevelWindow) / Hop + 1);
        var duration = (double)samples.Length / sampleRate;
        if (frames < 3)
        {
            return new AcousticFeatures(duration, 0, [], [], [], []);
        }

        var levels = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            levels[f] = Level(samples.AsSpan(f * Hop, LevelWindow));
        }

        var speech = SpeechMask(levels);
        var pauses = FindPauses(speech);
        var pitch = new double[frames];
        var maxLag = (int)(sampleRate / MinPitchHz);
        for (var f = 0; f < frames; f++)
        {
            var start = (f * Hop) + (LevelWindow / 2) - (PitchWindow / 2);
            if (speech[f] && start >= 0 && start + PitchWindow + maxLag <= samples.Length)
            {
                pitch[f] = Yin(samples.AsSpan(start, PitchWindow + maxLag), sampleRate);
            }
        }

        var voiced = pitch.Where(p => p > 0).ToArray();
        var median = voiced.Length == 0 ? 0 : Median(voiced);
        for (var f = 0; f < frames; f++)
        {
            // An estimate an octave or more away from the speaker's median is an octave error, not intonation.
            if (pitch[f] > 0 && (pitch[f] > median * 1.9 || pitch[f] < median / 1.9))
            {
                pitch[f] = 0;
            }
        }

        var speechLevels = levels.Where((_, f) => speech[f]).ToArray();
        return new AcousticFeatures(
            duration,
            speechLevels.Length,
            [.. pauses.Select(p => new Pause(p.Start * Hop / (double)sampleRate, p.End * Hop / (double)sampleRate))],
            [.. pitch.Where(p => p > 0)],
            speechLevels,
            SyllableNuclei(levels, speech, pitch, sampleRate));
    }

    private static double Level(ReadOnlySpan<float> window)
    {
        var energy = Dot(window, window) / window.Length;
        return 10 * Math.Log10(energy + 1e-12);
    }

    private static bool[] SpeechMask(double[] levels)
    {
        var sorted = levels.Order().ToArray();
        var floor = sorted[(int)(sorted.Length * 0.10)];
        var loud = sorted[(int)(sorted.Length * 0.95)];
        // A steady signal with no silence at all (floor = loud) is all "speech"; digital near-silence never is.
        var threshold = Math.Max(Math.Min(Math.Max(floor + 10, loud - 35), loud - 6), SilenceDb);
        var speech = levels.Select(l => l > threshold).ToArray();

        // Bridge short gaps (stop consonants, breaths inside a phrase).
        var lastSpeech = -1;
        for (var f = 0; f < speech.Length; f++)
        {
            if (!speech[f])
            {
                continue;
            }

            if (lastSpeech >= 0 && f - lastSpeech - 1 is > 0 and < BridgeFrames)
            {
                for (var g = lastSpeech + 1; g < f; g++)
                {
                    speech[g] = true;
                }
            }

            lastSpeech = f;
        }

        return speech;
    }

    private static List<(int Start, int End)> FindPauses(bool[] speech)
    {
        var pauses = new List<(int, int)>();
        var first = Array.IndexOf(speech, true);
        var last = Array.LastIndexOf(speech, true);
        if (first < 0)
        {
            return pauses;
        }

        var minFrames = (int)Math.Round(MinimumPauseSeconds * 100);
        var f = first;
        while (f <= last)
        {
            if (speech[f])
            {
                f++;
                continue;
            }

            var start = f;
            while (f <= last && !speech[f])
            {
                f++;
            }

            if (f - start >= minFrames)
            {
                pauses.Add((start, f));
            }
        }

        return pauses;
    }

    /// <summary>YIN pitch of the first <see cref="PitchWindow"/> samples, or 0 when unvoiced.</summary>
    private static double Yin(ReadOnlySpan<float> x, int sampleRate)
    {
        var minLag = (int)(sampleRate / MaxPitchHz);
        var maxLag = x.Length - PitchWindow;
        Span<double> d = stackalloc double[maxLag + 1];
        var head = x[..PitchWindow];
        var headEnergy = Dot(head, head);
        if (headEnergy < 1e-6)
        {
            return 0;
        }

        // d(τ) = Σ (x[j] − x[j+τ])² = E(0) + E(τ) − 2·r(τ)
        var shiftedEnergy = Dot(x[..PitchWindow], x[..PitchWindow]);
        d[0] = 0;
        for (var lag = 1; lag <= maxLag; lag++)
        {
            var shifted = x.Slice(lag, PitchWindow);
            shiftedEnergy += (x[lag + PitchWindow - 1] * x[lag + PitchWindow - 1]) - (x[lag - 1] * x[lag - 1]);
            d[lag] = Math.Max(0, headEnergy + shiftedEnergy - (2 * Dot(head, shifted)));
        }

        // Cumulative mean normalized difference.
        Span<double> cmnd = stackalloc double[maxLag + 1];
        cmnd[0] = 1;
        double running = 0;
        for (var lag = 1; lag <= maxLag; lag++)
        {
            running += d[lag];
            cmnd[lag] = running <= 0 ? 1 : d[lag] * lag / running;
        }

        // Standard YIN: the first dip under the strict threshold, followed to its minimum. Short vowels of fast
        // speech often never get that low, so a frame whose deepest dip is under the loose threshold still counts
        // as voiced, with that dip as its period.
        var best = -1;
        var deepest = minLag;
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            if (cmnd[lag] < cmnd[deepest])
            {
                deepest = lag;
            }

            if (best < 0 && cmnd[lag] < YinThreshold)
            {
                while (lag + 1 <= maxLag && cmnd[lag + 1] < cmnd[lag])
                {
                    lag++;
                }

                best = lag;
            }
        }

        if (best < 0)
        {
            if (cmnd[deepest] >= YinVoicingThreshold)
            {
                return 0;
            }

            best = deepest;
        }

        var refined = (double)best;
        if (best > minLag && best < maxLag)
        {
            var (a, b, c) = (cmnd[best - 1], cmnd[best], cmnd[best + 1]);
            var denominator = a - (2 * b) + c;
            if (Math.Abs(denominator) > 1e-12)
            {
                refined = best + (0.5 * (a - c) / denominator);
            }
        }

        return sampleRate / refined;
    }

    private static List<double> SyllableNuclei(double[] levels, bool[] speech, double[] pitch, int sampleRate)
    {
        // Smooth in the power domain over 30 ms (with the 25 ms window, about 55 ms of signal per point) so that a
        // vowel gives one peak, yet syllables at 190 words per minute (about 5 a second) stay apart.
        var smooth = new double[levels.Length];
        for (var f = 0; f < levels.Length; f++)
        {
            double power = 0;
            var n = 0;
            for (var k = Math.Max(0, f - SmoothingRadius); k <= Math.Min(levels.Length - 1, f + SmoothingRadius); k++)
            {
                power += Math.Pow(10, levels[k] / 10);
                n++;
            }

            smooth[f] = 10 * Math.Log10((power / n) + 1e-12);
        }

        var speechLevels = smooth.Where((_, f) => speech[f]).ToArray();
        if (speechLevels.Length == 0)
        {
            return [];
        }

        var threshold = Median(speechLevels) - 2;
        var nuclei = new List<double>();
        var dip = double.MaxValue;
        var lastPeak = double.MinValue;
        for (var f = 1; f < smooth.Length - 1; f++)
        {
            dip = Math.Min(dip, smooth[f]);
            var isPeak = smooth[f] >= smooth[f - 1] && smooth[f] > smooth[f + 1];
            if (!isPeak || !speech[f] || smooth[f] < threshold)
            {
                continue;
            }

            var voiced = false;
            for (var k = Math.Max(0, f - 2); k <= Math.Min(pitch.Length - 1, f + 2) && !voiced; k++)
            {
                voiced = pitch[k] > 0;
            }
            if (voiced && (smooth[f] - dip >= DipDb || lastPeak == double.MinValue))
            {
                nuclei.Add(f * (double)Hop / sampleRate);
                lastPeak = smooth[f];
                dip = smooth[f];
            }
        }

        return nuclei;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        double total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
