using System.Diagnostics;
using System.Globalization;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Delivery;

/// <summary>Pitch on real speech, checked against an independent tracker (aubio's YIN, Debian package aubio-tools).</summary>
public class PitchAgreementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pitch_RealSpeech_MedianAgreesWithAubioWithin10Percent()
    {
        var ours = AcousticAnalysis.Analyze(NormalizedAudio.ReadWav(TestData.JfkWav).Samples, 16_000).PitchHz.Order().ToArray();
        var theirs = await Aubio(TestData.JfkWav);

        var oursMedian = ours[ours.Length / 2];
        var theirMedian = theirs[theirs.Length / 2];
        Figures.Report(output, "pitch on jfk.wav (median)", string.Create(CultureInfo.InvariantCulture,
            $"{oursMedian:0.0} Hz over {ours.Length} frames; aubio yin {theirMedian:0.0} Hz over {theirs.Length} frames"));
        Assert.InRange(oursMedian, theirMedian * 0.9, theirMedian * 1.1);
    }

    private static async Task<double[]> Aubio(string wav)
    {
        var start = new ProcessStartInfo("aubiopitch") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-i", wav, "-p", "yin", "-u", "Hz" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        _ = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .Where(hz => hz is > 60 and < 400)
            .Order()];
    }
}
