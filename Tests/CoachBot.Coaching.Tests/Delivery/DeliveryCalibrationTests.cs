using System.Globalization;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Delivery;

/// <summary>Delivery measures checked against audio whose truth is known: synthetic tones, speech at set rates, inserted silences.</summary>
public sealed class DeliveryCalibrationTests(ITestOutputHelper output) : IDisposable
{
    private const string Answer =
        "When I joined the support team last spring, our response times were slipping and customers were unhappy. " +
        "I reorganised the queue by urgency, wrote templates for common questions, and trained two new colleagues. " +
        "Within six weeks our first response time fell from nine hours to two.";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coachbot-delivery-");
    private readonly DeliveryAnalyzer _analyzer = new();

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(100)]
    [InlineData(150)]
    [InlineData(220)]
    [InlineData(300)]
    public void Pitch_SoxTone_IsMeasuredWithin2Percent(double frequency)
    {
        var wav = Path.Combine(_dir.FullName, $"tone{frequency}.wav");
        TestData.Run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", "3", "sine", frequency.ToString(CultureInfo.InvariantCulture), "gain", "-6");

        var features = AcousticAnalysis.Analyze(NormalizedAudio.ReadWav(wav).Samples, 16_000);

        var measured = features.PitchHz.Average();
        output.WriteLine($"{frequency} Hz tone: measured {measured:0.00} Hz over {features.PitchHz.Count} frames");
        Assert.True(features.PitchHz.Count > 200);
        Assert.InRange(measured, frequency * 0.98, frequency * 1.02);
    }

    [Theory]
    [InlineData(110)]
    [InlineData(150)]
    [InlineData(190)]
    public async Task Pace_EspeakAtAKnownRate_IsMeasuredWithin12PercentWithoutTheTranscript(int rate)
    {
        using var recording = await Speak(Answer, $"-s{rate}");
        var truth = Words(Answer) / (recording.Level.DurationSeconds / 60);

        var analysis = _analyzer.Analyze(recording.Level, new Transcript(string.Empty, [], "none"));

        var error = (analysis.Delivery.WordsPerMinute - truth) / truth;
        Figures.Report(output, $"pace calibration espeak -s{rate}", string.Create(CultureInfo.InvariantCulture,
            $"truth {truth:0.0} wpm, measured {analysis.Delivery.WordsPerMinute:0.0} wpm ({error:+0.0%;-0.0%}), {analysis.Acoustics.SyllableNuclei.Count} syllable nuclei"));
        Assert.Equal("acoustic", analysis.PaceSource);
        Assert.InRange(error, -0.12, 0.12);
    }

    [Fact]
    public async Task Monotone_FlatAgainstVariedIntonation_FlagsOnlyTheFlatOneAndScoresItLessEnthusiastic()
    {
        using var flat = await Speak($"<speak><prosody range=\"x-low\">{Answer}</prosody></speak>", "-m");
        using var varied = await Speak($"<speak><prosody range=\"x-high\">{Answer}</prosody></speak>", "-m");

        var f = _analyzer.Analyze(flat.Level, new Transcript(Answer, [], "test"));
        var v = _analyzer.Analyze(varied.Level, new Transcript(Answer, [], "test"));

        output.WriteLine($"flat: {f.Delivery.Pitch.VariationSemitones} st, enthusiasm {f.Emotions.Enthusiasm}; varied: {v.Delivery.Pitch.VariationSemitones} st, enthusiasm {v.Emotions.Enthusiasm}");
        Assert.Contains("monotone", f.Delivery.Flags);
        Assert.DoesNotContain("monotone", v.Delivery.Flags);
        Assert.True(v.Delivery.Pitch.VariationSemitones > f.Delivery.Pitch.VariationSemitones);
        Assert.True(v.Emotions.Enthusiasm > f.Emotions.Enthusiasm);
    }

    [Fact]
    public async Task LongPauses_TwoSecondSilencesInsertedAtKnownPlaces_AreCountedExactly()
    {
        var parts = Answer.Split(". ", StringSplitOptions.RemoveEmptyEntries);
        var files = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = Path.Combine(_dir.FullName, $"part{i}.wav");
            TestData.Run("espeak-ng", "-w", part, parts[i]);
            files.Add(part);
            if (i < parts.Length - 1)
            {
                var gap = Path.Combine(_dir.FullName, $"gap{i}.wav");
                TestData.Run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", gap, "trim", "0", "2");
                files.Add(gap);
            }
        }

        var joined = Path.Combine(_dir.FullName, "joined.wav");
        TestData.Run("sox", [.. files, joined]);
        using var recording = await Normalizer().NormalizeAsync(joined, default);

        var analysis = _analyzer.Analyze(recording.Level, new Transcript(Answer, [], "test"));

        output.WriteLine(string.Join(", ", analysis.Acoustics.Pauses.Select(p => $"{p.Start:0.00}-{p.End:0.00}")));
        Assert.Equal(3, parts.Length);
        Assert.Equal(2, analysis.Delivery.LongPauses);
        Assert.All(analysis.Acoustics.Pauses.Where(p => p.Seconds > DeliveryAnalyzer.LongPauseSeconds), p => Assert.InRange(p.Seconds, 2.0, 2.6));
    }

    private async Task<NormalizedRecording> Speak(string text, string option)
    {
        var wav = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + ".wav");
        TestData.Run("espeak-ng", option, "-w", wav, text);
        return await Normalizer().NormalizeAsync(wav, default);
    }

    private FfmpegAudioNormalizer Normalizer() =>
        new(Options.Create(new AudioOptions { TempDirectory = _dir.FullName }), NullLogger<FfmpegAudioNormalizer>.Instance);

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
