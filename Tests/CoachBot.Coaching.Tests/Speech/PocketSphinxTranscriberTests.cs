using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.PocketSphinx;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech;

public sealed partial class PocketSphinxTranscriberTests(ITestOutputHelper output) : IDisposable
{
    private const string Librivox = "/usr/share/pocketsphinx/test/data/librivox";
    private readonly PocketSphinxTranscriber _engine = new(Options.Create(new PocketSphinxOptions()), NullLogger<PocketSphinxTranscriber>.Instance);

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Transcribe_RealRecordedSpeech_StaysWithinTheWordErrorBound()
    {
        var references = File.ReadAllLines(Path.Combine(Librivox, "transcription"))
            .Select(line => ReferenceLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["text"].Value);
        int errors = 0, total = 0, toolErrors = 0;
        foreach (var (id, reference) in references)
        {
            var wav = Path.Combine(Librivox, id + ".wav");
            var transcript = await _engine.TranscribeAsync(NormalizedAudio.ReadWav(wav), default);
            var tool = await Tool(wav);
            var (e, n) = WordErrorRate.Compute(reference, transcript.Text);
            errors += e;
            total += n;
            toolErrors += WordErrorRate.Compute(reference, tool).Errors;
            output.WriteLine($"{id}: {e}/{n} | {transcript.Text} | tool: {tool}");
        }

        var wer = (double)errors / total;
        var toolWer = (double)toolErrors / total;
        Figures.Report(output, "pocketsphinx word error rate (librivox, 5 clips)",
            string.Create(CultureInfo.InvariantCulture, $"{wer:P1} ({errors} errors / {total} words); Debian's pocketsphinx_continuous on the same clips: {toolWer:P1}"));
        Assert.Equal(5, references.Count);
        // The binding must hear as well as the reference tool, and generic PocketSphinx stays under 45% here.
        Assert.True(wer <= toolWer + 0.05, $"binding {wer:P1} vs pocketsphinx_continuous {toolWer:P1}");
        Assert.True(wer < 0.45, $"WER {wer:P1}");
    }

    [Fact]
    public async Task Transcribe_Jfk_ReportsTheFigureAndTimesWordsInOrder()
    {
        var first = await _engine.TranscribeAsync(NormalizedAudio.ReadWav(TestData.JfkWav), default);
        var transcript = await _engine.TranscribeAsync(NormalizedAudio.ReadWav(TestData.JfkWav), default);

        // A second recording is timed from its own start and recognized as if it were the first.
        Assert.Equal(first.Words, transcript.Words);
        var (e, n) = WordErrorRate.Compute("and so my fellow americans ask not what your country can do for you ask what you can do for your country", transcript.Text);
        Figures.Report(output, "pocketsphinx word error rate (jfk.wav)", string.Create(CultureInfo.InvariantCulture, $"{(double)e / n:P1} ({e}/{n})"));
        output.WriteLine(string.Join(" ", transcript.Words.Select(w => $"{w.Word}[{w.Start}-{w.End}]")));
        Assert.Equal("pocketsphinx", transcript.Engine);
        Assert.NotEmpty(transcript.Words);
        Assert.All(transcript.Words, w => Assert.True(w.End > w.Start && w.Confidence is >= 0 and <= 1));
        Assert.True(transcript.Words.Zip(transcript.Words.Skip(1)).All(p => p.First.Start <= p.Second.Start));
        Assert.InRange(transcript.Words[^1].End, 8, 11.1);
        Assert.True((double)e / n < 0.8);
    }

    /// <summary>
    /// The transcript-quality threshold against real speech with known text: a transcript whose word error rate is above
    /// 25% must never be judged reliable (the card would quote it as what the user said).
    /// </summary>
    [Fact]
    public async Task Quality_RealSpeechWithKnownText_NoBadTranscriptPassesAsReliable()
    {
        var clips = File.ReadAllLines(Path.Combine(Librivox, "transcription"))
            .Select(line => ReferenceLine().Match(line)).Where(m => m.Success)
            .Select(m => (Wav: Path.Combine(Librivox, m.Groups["id"].Value + ".wav"), Text: m.Groups["text"].Value))
            .Append((Wav: TestData.JfkWav, Text: "and so my fellow americans ask not what your country can do for you ask what you can do for your country"))
            .ToList();
        var reliableBad = new List<string>();
        foreach (var (wav, text) in clips)
        {
            var transcript = await _engine.TranscribeAsync(NormalizedAudio.ReadWav(wav), default);
            var (e, n) = WordErrorRate.Compute(text, transcript.Text);
            var quality = CoachBot.Coaching.Pipeline.TranscriptQuality.Of(transcript);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(wav)}: WER {(double)e / n:P0}, confidence {quality.Confidence:0.000}, reliable {quality.Reliable}"));
            if ((double)e / n > 0.25 && quality.Reliable)
            {
                reliableBad.Add(Path.GetFileName(wav));
            }
        }

        Assert.Empty(reliableBad);
    }

    [Fact]
    public async Task Transcribe_ModelMissing_IsUnavailableWithTheReason()
    {
        using var engine = new PocketSphinxTranscriber(Options.Create(new PocketSphinxOptions { ModelDirectory = "/nonexistent" }), NullLogger<PocketSphinxTranscriber>.Instance);

        var ex = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => engine.TranscribeAsync(NormalizedAudio.ReadWav(TestData.JfkWav), default));

        Assert.Contains("pocketsphinx-en-us", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> Tool(string wav)
    {
        var start = new System.Diagnostics.ProcessStartInfo("pocketsphinx_continuous") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-infile", wav, "-logfn", "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        _ = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Replace('\n', ' ');
    }

    [GeneratedRegex(@"^<s>\s*(?<text>.*?)\s*</s>\s*\((?<id>[^)]+)\)")]
    private static partial Regex ReferenceLine();
}
