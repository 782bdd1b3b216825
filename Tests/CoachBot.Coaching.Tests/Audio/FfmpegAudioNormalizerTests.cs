using System.Net;
using System.Net.Sockets;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Audio;

public sealed class FfmpegAudioNormalizerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coachbot-audio-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string, string[]> RealUserFormats => new()
    {
        // Slack voice clip: AAC in MP4 (also labelled video/mp4 or video/webm by Slack; the label is not trusted).
        { "slack-clip.mp4", ["-c:a", "aac", "-b:a", "64k"] },
        { "browser.webm", ["-c:a", "libopus", "-b:a", "32k"] },
        { "memo.m4a", ["-c:a", "aac"] },
        { "answer.mp3", ["-c:a", "libmp3lame", "-q:a", "5"] },
        { "answer.wav", ["-c:a", "pcm_s16le", "-ar", "44100", "-ac", "2"] },
        { "voice.ogg", ["-c:a", "libopus"] },
        { "answer.aac", ["-c:a", "aac", "-f", "adts"] },
        { "answer.flac", ["-c:a", "flac"] },
    };

    [Theory]
    [MemberData(nameof(RealUserFormats))]
    public async Task Normalize_FormatsUsersSend_Gives16kMonoPcmOfTheSpeech(string name, string[] encoding)
    {
        var input = TestData.Encode(TestData.JfkWav, Path.Combine(_dir.FullName, name), encoding);

        using var recording = await Normalizer().NormalizeAsync(input, default);

        Assert.Equal(16_000, recording.Speech.SampleRate);
        Assert.InRange(recording.Speech.DurationSeconds, 9.0, 11.5);
        Assert.Equal(recording.Level.Samples.Length, recording.Speech.Samples.Length, 16_000 * 0.05);
        Assert.True(File.Exists(recording.Speech.WavPath));
        Assert.Empty(recording.Warnings);
    }

    [Fact]
    public async Task Normalize_Dispose_DeletesTheTemporaryFolder()
    {
        var recording = await Normalizer().NormalizeAsync(TestData.JfkWav, default);
        var folder = Path.GetDirectoryName(recording.Speech.WavPath)!;

        recording.Dispose();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Normalize_LeadingAndTrailingSilence_IsTrimmed()
    {
        var padded = Path.Combine(_dir.FullName, "padded.wav");
        TestData.Run("sox", TestData.JfkWav, padded, "pad", "3", "4");

        using var recording = await Normalizer().NormalizeAsync(padded, default);

        Assert.InRange(recording.Speech.DurationSeconds, 9.0, 11.5);
    }

    [Theory]
    [InlineData("empty.m4a", "", "empty_file")]
    [InlineData("notes.m4a", "These are my notes, not a recording.", "not_audio")]
    public async Task Normalize_NotARecording_IsRefusedWithAReason(string name, string content, string code)
    {
        var path = Path.Combine(_dir.FullName, name);
        await File.WriteAllTextAsync(path, content);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(path, default));

        Assert.Equal(code, ex.Code);
        Assert.Contains(code == "not_audio" ? "text file" : "empty", ex.Message, StringComparison.Ordinal);
        AssertNoTemporaryFolderLeft();
    }

    [Theory]
    [InlineData("+faststart")]
    [InlineData("+default_base_moof")]
    public async Task Normalize_TruncatedMp4_IsRefusedAsDamaged(string movflags)
    {
        // With the index first, ffmpeg can read the start; with the index last, nothing at all.
        var full = TestData.Encode(TestData.JfkWav, Path.Combine(_dir.FullName, "full.mp4"), "-c:a", "aac", "-movflags", movflags);
        var bytes = await File.ReadAllBytesAsync(full);
        var cut = Path.Combine(_dir.FullName, "cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 3)]);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(cut, default));

        Assert.Equal("undecodable", ex.Code);
        Assert.Contains("cut off", ex.Message, StringComparison.Ordinal);
        AssertNoTemporaryFolderLeft();
    }

    [Fact]
    public async Task Normalize_VideoWithoutSound_IsRefused()
    {
        var video = Path.Combine(_dir.FullName, "screen.mp4");
        TestData.Run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=64x64:d=2", "-c:v", "mpeg4", video);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(video, default));

        Assert.Equal("no_audio_stream", ex.Code);
    }

    [Fact]
    public async Task Normalize_LongerThanTheLimit_IsRefusedBeforeConverting()
    {
        var longFile = Path.Combine(_dir.FullName, "long.ogg");
        TestData.Run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=220:duration=1800:sample_rate=8000", "-c:a", "libopus", "-b:a", "8k", longFile);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(longFile, default));

        Assert.Equal("too_long", ex.Code);
        Assert.Contains("30 minutes", ex.Message, StringComparison.Ordinal);
        AssertNoTemporaryFolderLeft();
    }

    [Fact]
    public async Task Normalize_LargerThanTheLimit_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer(o => o.MaxSizeBytes = 10_000).NormalizeAsync(TestData.JfkWav, default));

        Assert.Equal("too_large", ex.Code);
    }

    [Fact]
    public async Task Normalize_PureSilence_SaysNothingWasHeard()
    {
        var silence = Path.Combine(_dir.FullName, "silence.wav");
        TestData.Run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", silence, "trim", "0", "5");

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(silence, default));

        Assert.Equal("no_speech", ex.Code);
        AssertNoTemporaryFolderLeft();
    }

    [Fact]
    public async Task Normalize_TelephoneAudio_WarnsAboutQuality()
    {
        var phone = TestData.Encode(TestData.JfkWav, Path.Combine(_dir.FullName, "phone.wav"), "-ar", "8000", "-c:a", "pcm_s16le");

        using var recording = await Normalizer().NormalizeAsync(phone, default);

        Assert.Contains(recording.Warnings, w => w.Contains("telephone quality", StringComparison.Ordinal));
        Assert.Equal(16_000, recording.Speech.SampleRate);
    }

    [Fact]
    public async Task Normalize_ClippingLoudAudio_WarnsAboutDistortion()
    {
        var loud = TestData.Encode(TestData.JfkWav, Path.Combine(_dir.FullName, "loud.wav"), "-af", "volume=30dB", "-c:a", "pcm_s16le");

        using var recording = await Normalizer().NormalizeAsync(loud, default);

        Assert.Contains(recording.Warnings, w => w.Contains("clipping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Normalize_PlaylistDisguisedAsVoiceNote_OpensNeitherALocalFileNorALoopbackAddress()
    {
        var fifo = Path.Combine(_dir.FullName, "other-user.wav");
        TestData.Run("mkfifo", fifo);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Path.Combine(_dir.FullName, "voice.m4a");
        await File.WriteAllTextAsync(fake,
            $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{fifo}\n#EXTINF:10.0,\nhttp://127.0.0.1:{port}/secret.ts\n#EXT-X-ENDLIST\n");

        // A writer on the FIFO gets through open() only if somebody opens it for reading.
        var opened = Task.Run(() => { using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write); });

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(fake, default));
        await Task.Delay(300);

        Assert.Equal("not_audio", ex.Code);
        Assert.Contains("playlist", ex.Message, StringComparison.Ordinal);
        Assert.False(opened.IsCompleted, "the FIFO was opened");
        Assert.False(listener.Pending(), "a connection reached the loopback listener");
        ReleaseFifo(fifo, opened);
    }

    [Fact]
    public async Task Normalize_PlaylistBehindAnMp4Header_IsRefusedByFfmpegItselfWithoutOpeningAnything()
    {
        // The first bytes claim MP4, so the sniffer lets it through; ffmpeg is forced to the MP4 demuxer and refuses it.
        var fifo = Path.Combine(_dir.FullName, "victim.wav");
        TestData.Run("mkfifo", fifo);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Path.Combine(_dir.FullName, "voice2.m4a");
        await File.WriteAllTextAsync(fake,
            $"\0\0\0\u0018ftypM4A \n#EXTM3U\n#EXTINF:10.0,\n{fifo}\n#EXTINF:10.0,\nhttp://127.0.0.1:{port}/x.ts\n#EXT-X-ENDLIST\n");
        var opened = Task.Run(() => { using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write); });

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(fake, default));
        await Task.Delay(300);

        Assert.Contains(ex.Code, new[] { "undecodable", "no_audio_stream" });
        Assert.False(opened.IsCompleted, "the FIFO was opened");
        Assert.False(listener.Pending(), "a connection reached the loopback listener");
        ReleaseFifo(fifo, opened);
    }

    [Fact]
    public async Task Normalize_FfmpegMissing_SaysVoiceIsUnavailable()
    {
        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() =>
            Normalizer(o => o.FfprobePath = "/nonexistent/ffprobe").NormalizeAsync(TestData.JfkWav, default));

        Assert.Equal("audio_tools_missing", ex.Code);
    }

    private static void ReleaseFifo(string fifo, Task writer)
    {
        // Unblock the writer task so the test leaves no thread behind.
        using var r = new FileStream(fifo, FileMode.Open, FileAccess.Read);
        writer.Wait(TimeSpan.FromSeconds(5));
    }

    private void AssertNoTemporaryFolderLeft() => Assert.Empty(Directory.EnumerateFileSystemEntries(TempRoot));

    private string TempRoot => Directory.CreateDirectory(Path.Combine(_dir.FullName, "tmp")).FullName;

    private FfmpegAudioNormalizer Normalizer(Action<AudioOptions>? configure = null)
    {
        var options = new AudioOptions { TempDirectory = TempRoot };
        configure?.Invoke(options);
        return new FfmpegAudioNormalizer(Options.Create(options), NullLogger<FfmpegAudioNormalizer>.Instance);
    }
}
