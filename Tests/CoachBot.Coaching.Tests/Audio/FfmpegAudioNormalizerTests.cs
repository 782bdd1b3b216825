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

    public static TheoryData<string, byte[], string> NotRecordings => new()
    {
        { "playlist.m4a", "#EXTM3U\n#EXTINF:10.0,\nanswer.m4a\n"u8.ToArray(), "This file is a playlist" },
        { "scan.m4a", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n"u8.ToArray(), "This file is a PDF document" },
        { "photo.m4a", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52], "This file is a picture" },
        { "memo.amr", "#!AMR\n\u0004"u8.ToArray(), "This file is an AMR voice recording" },
        { "notes.docx", [0x50, 0x4B, 0x03, 0x04, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0], "This file is a ZIP archive" },
        { "noise.bin", [0x00, 0x13, 0x97, 0xFE, 0x42, 0x01, 0x00, 0xC3, 0x7A, 0x11, 0x00, 0x9D, 0xE0, 0x05, 0x88, 0x02], "I can't tell what kind of file this is" },
    };

    [Theory]
    [MemberData(nameof(NotRecordings))]
    public async Task Normalize_FileThatIsNotARecording_SaysWhatItIsAndWhatToSendInstead(string name, byte[] content, string start)
    {
        var path = Path.Combine(_dir.FullName, name);
        await File.WriteAllBytesAsync(path, content);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(path, default));

        Assert.Equal("not_audio", ex.Code);
        Assert.StartsWith(start, ex.Message, StringComparison.Ordinal);
        Assert.Contains("m4a", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a recording I can read", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown kind", ex.Message, StringComparison.Ordinal);
        AssertNoTemporaryFolderLeft();
    }

    [Fact]
    public async Task Normalize_Mp4WhoseSoundIsInAnotherFile_SaysSoRatherThanSilent()
    {
        // A QuickTime reference movie: its audio track's data reference is an alias to a file on another computer.
        var m4a = TestData.Encode(TestData.JfkWav, Path.Combine(_dir.FullName, "self-contained.m4a"), "-c:a", "aac");
        var reference = Path.Combine(_dir.FullName, "reference.mov");
        await File.WriteAllBytesAsync(reference, PointToExternalFile(await File.ReadAllBytesAsync(m4a), "/Volumes/Recordings/answer.m4a"));

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Normalizer().NormalizeAsync(reference, default));

        Assert.Equal("external_audio", ex.Code);
        Assert.Contains("separate file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("silent", ex.Message, StringComparison.Ordinal);
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

    /// <summary>
    /// Replaces the audio track's data reference (moov/trak/mdia/minf/dinf/dref, a self-contained <c>url </c> entry in
    /// what ffmpeg writes) with a Mac alias to <paramref name="path"/>, fixing the sizes of the boxes around it. The
    /// index comes after the media data in ffmpeg's default layout, so no chunk offset moves.
    /// </summary>
    private static byte[] PointToExternalFile(byte[] mp4, string path)
    {
        var chain = new List<(int Offset, int Size)>();
        int start = 0, end = mp4.Length;
        foreach (var name in new[] { "moov", "trak", "mdia", "minf", "dinf", "dref" })
        {
            var offset = start;
            while (offset < end && System.Text.Encoding.ASCII.GetString(mp4, offset + 4, 4) != name)
            {
                offset += System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(mp4.AsSpan(offset));
            }

            Assert.True(offset < end, $"no {name} box");
            var size = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(mp4.AsSpan(offset));
            chain.Add((offset, size));
            (start, end) = (offset + 8, offset + size);
        }

        var pathBytes = System.Text.Encoding.ASCII.GetBytes(path.Length % 2 == 0 ? path : path + "\0");
        using var alias = new MemoryStream();
        alias.Write(new byte[150]); // volume, file name, levels: all empty; the absolute path record follows
        alias.Write([0, 2, (byte)(pathBytes.Length >> 8), (byte)pathBytes.Length]);
        alias.Write(pathBytes);
        alias.Write([0xFF, 0xFF, 0, 0]);
        var entry = Box("alis", [0, 0, 0, 0, .. alias.ToArray()]);
        var dref = Box("dref", [0, 0, 0, 0, 0, 0, 0, 1, .. entry]);
        var (drefOffset, drefSize) = chain[^1];
        var patched = mp4[..drefOffset].Concat(dref).Concat(mp4[(drefOffset + drefSize)..]).ToArray();
        foreach (var (offset, size) in chain.SkipLast(1))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(patched.AsSpan(offset), size + dref.Length - drefSize);
        }

        return patched;

        static byte[] Box(string type, byte[] payload)
        {
            var box = new byte[8 + payload.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(box, box.Length);
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
            payload.CopyTo(box, 8);
            return box;
        }
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
