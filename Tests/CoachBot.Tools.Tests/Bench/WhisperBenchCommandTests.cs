using System.Text.Json;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Tools.Tests.Bench;

/// <summary><c>coachbot-tools bench whisper</c> with the real library, whisper-cli and the test model (figures are printed, not asserted).</summary>
public sealed class WhisperBenchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BenchWhisper_TestModelOnRealSpeech_PrintsBindingAndCliRealTimeFactors()
    {
        var (code, stdout, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "whisper", "--audio", TestData.JfkWav,
            "--model", Path.Combine(TestData.Shared, "testdata", "whisper", "for-tests-ggml-tiny.en.bin"), "--runs", "1", "--threads", "2", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(11.0, root.GetProperty("audioSeconds").GetDouble(), 1);
        Assert.True(root.GetProperty("bindingRealTimeFactor").GetDouble() > 0);
        Assert.True(root.GetProperty("cliRealTimeFactor").GetDouble() > 0);
        Assert.True(root.GetProperty("ratio").GetDouble() > 0);
    }

    [Fact]
    public async Task BenchWhisper_AudioNotWav_RefusesWithTheFfmpegCommand()
    {
        var notWav = _folder.File("answer.m4a");
        await File.WriteAllTextAsync(notWav, "not audio");

        var (code, _, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "whisper", "--audio", notWav);

        Assert.Equal(BenchRun.Refused, code);
        Assert.Contains("ffmpeg -i", stderr, StringComparison.Ordinal);
    }
}
