using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>
/// The in-process engine end to end: Whisper.net with the linux-x64 natives the build ships, the real-format test model
/// (placeholder weights: it runs the whole network and hears nothing), real speech from ../shared.
/// </summary>
public sealed class WhisperCppTranscriberTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coachbot-whisper-");

    [Fact]
    public void JfkWav_ReadAsNormalizedAudio_Is16kHzMono()
    {
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

        Assert.Equal(NormalizedAudio.TargetSampleRate, audio.SampleRate);
        Assert.InRange(audio.DurationSeconds, 10.9, 11.1);
    }

    [Fact]
    public async Task TranscribeAsync_TestModelOnRealSpeech_CompletesWithWellFormedTranscript()
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

        var transcript = await transcriber.TranscribeAsync(audio, CancellationToken.None);

        Assert.Equal("whisper.cpp", transcript.Engine);
        Assert.True(transcriber.IsLoaded);
        AssertWellFormed(transcript, audio.DurationSeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_600)] // 0.1 s
    public async Task TranscribeAsync_EmptyOrVeryShortAudio_ReturnsAnEmptyTranscript(int samples)
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

        var transcript = await transcriber.TranscribeAsync(audio with { Samples = new float[samples] }, CancellationToken.None);

        Assert.Equal("whisper.cpp", transcript.Engine);
        Assert.Empty(transcript.Words);
    }

    [Fact]
    public async Task TranscribeAsync_TwoCallersAtOnce_BothComplete()
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);
        var shortAudio = audio with { Samples = audio.Samples[..(3 * NormalizedAudio.TargetSampleRate)] };

        var results = await Task.WhenAll(
            transcriber.TranscribeAsync(shortAudio, CancellationToken.None),
            transcriber.TranscribeAsync(shortAudio, CancellationToken.None));

        Assert.All(results, transcript => AssertWellFormed(transcript, shortAudio.DurationSeconds));
    }

    [Fact]
    public void CannotRunBecause_ModelPresent_IsNullBecauseTheNativesShipWithTheBuild()
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);

        Assert.Null(((ITranscriber)transcriber).CannotRunBecause);
        Assert.True(File.Exists(Path.Combine(WhisperCppTranscriber.NativeFolder, "libwhisper.so")));
    }

    [Fact]
    public void CannotRunBecause_ModelMissing_NamesThePathAndWhereItWouldComeFrom()
    {
        var missing = Path.Combine(_directory.FullName, "ggml-missing.bin");
        using var models = Models(missing);
        using var offline = Transcriber(models);
        using var downloading = new WhisperCppTranscriber(
            Options.Create(new WhisperOptions { ModelPath = missing, ModelUrl = "https://models.example/ggml-base.en.bin" }),
            models, TimeProvider.System, NullLogger<WhisperCppTranscriber>.Instance);

        Assert.Contains(missing, ((ITranscriber)offline).CannotRunBecause, StringComparison.Ordinal);
        Assert.Contains("ModelUrl is empty", ((ITranscriber)offline).CannotRunBecause, StringComparison.Ordinal);
        Assert.Contains("https://models.example/ggml-base.en.bin", ((ITranscriber)downloading).CannotRunBecause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50363, "[_BEG_]", true)]
    [InlineData(50414, "[_TT_50]", true)]
    [InlineData(50256, "[_EOT_]", true)]
    [InlineData(1012, " Hello", false)]
    [InlineData(50256, " regular", false)] // a multilingual model's last text token has this id
    public void IsSpecial_ByIdAndName_KeepsOnlyTextTokens(int id, string text, bool special)
    {
        Assert.Equal(special, WhisperCppTranscriber.IsSpecial(new global::Whisper.net.WhisperToken { Id = id, Text = text }));
    }

    [Fact]
    public async Task TranscribeAsync_ModelMissingAndDownloadOff_ThrowsUnavailableNamingThePath()
    {
        var missing = Path.Combine(_directory.FullName, "ggml-missing.bin");
        using var models = Models(missing);
        using var transcriber = Transcriber(models);

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() =>
            transcriber.TranscribeAsync(NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav), CancellationToken.None));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_ModelFileIsNotAModel_ThrowsUnavailableSayingItCouldNotLoad()
    {
        var bogus = Path.Combine(_directory.FullName, "ggml-bogus.bin");
        await File.WriteAllBytesAsync(bogus, new byte[4096]);
        using var models = Models(bogus);
        using var transcriber = Transcriber(models);

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() =>
            transcriber.TranscribeAsync(NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav), CancellationToken.None));

        Assert.Contains("could not load the model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_AfterUnavailable_AnswersAtOnceUntilTheRetryTime()
    {
        var later = Path.Combine(_directory.FullName, "ggml-later.bin");
        var clock = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var models = Models(later);
        using var transcriber = Transcriber(models, time: clock);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);
        await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(audio, CancellationToken.None));
        File.Copy(WhisperTestFiles.TestModel, later);

        // The model is there now, but the engine said "unavailable" a moment ago and keeps saying so for a while.
        await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(audio, CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(6));
        var transcript = await transcriber.TranscribeAsync(audio with { Samples = audio.Samples[..16_000] }, CancellationToken.None);

        Assert.Equal("whisper.cpp", transcript.Engine);
    }

    [Fact]
    public async Task TranscribeAsync_CancelledBeforehand_ThrowsOperationCanceled()
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            transcriber.TranscribeAsync(NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav), cancelled.Token));
    }

    [Fact]
    public async Task TranscribeAsync_CancelledWhileRunning_ThrowsOperationCanceledAndTheEngineStaysUsable()
    {
        using var models = Models(WhisperTestFiles.TestModel);
        using var transcriber = Transcriber(models);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);
        // Ten minutes: twenty 30-s encoder windows, so the run is still going when the token fires, even on an idle machine.
        var minute = audio with { Samples = [.. Enumerable.Repeat(audio.Samples, 55).SelectMany(s => s)] };
        await transcriber.LoadAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Cancellation reaches whisper_full through Whisper.net's abort callback, asked after each encoder/decoder pass.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transcriber.TranscribeAsync(minute, cancel.Token));
        var transcript = await transcriber.TranscribeAsync(audio with { Samples = audio.Samples[..16_000] }, CancellationToken.None);

        Assert.Equal("whisper.cpp", transcript.Engine);
    }

    [Fact]
    public async Task TranscribeAsync_ModelStillDownloading_IsUnavailableAtOnceThenWorksWhenItArrives()
    {
        var model = await File.ReadAllBytesAsync(WhisperTestFiles.TestModel);
        var release = new TaskCompletionSource();
        await using var host = await LoopbackHttpServer.StartAsync(async context =>
        {
            // A slow model host: the body arrives only when the test lets it.
            await release.Task;
            context.Response.ContentLength = model.Length;
            await context.Response.Body.WriteAsync(model);
        });
        var target = Path.Combine(_directory.FullName, "downloaded", "ggml-test.bin");
        var settings = new WhisperOptions
        {
            ModelPath = target, ModelUrl = new Uri(host.BaseAddress, "/model.bin").ToString(), ModelSha256 = null,
            Threads = 2, RetryUnavailableAfterSeconds = 0,
        };
        using var models = new WhisperModelStore(Options.Create(settings), TimeProvider.System, NullLogger<WhisperModelStore>.Instance);
        using var transcriber = new WhisperCppTranscriber(Options.Create(settings), models, TimeProvider.System, NullLogger<WhisperCppTranscriber>.Instance);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

        var waiting = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(audio, CancellationToken.None));
        Assert.Contains("still downloading", waiting.Message, StringComparison.Ordinal);

        release.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(target) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var transcript = await transcriber.TranscribeAsync(audio, CancellationToken.None);
        Assert.Equal("whisper.cpp", transcript.Engine);
    }

    internal static void AssertWellFormed(Transcript transcript, double duration)
    {
        Assert.NotNull(transcript.Text);
        Assert.Equal(transcript.Text.Trim(), transcript.Text);
        foreach (var word in transcript.Words)
        {
            Assert.False(string.IsNullOrWhiteSpace(word.Word));
            Assert.InRange(word.Start, 0, duration + 0.5);
            Assert.InRange(word.End, word.Start, duration + 0.5);
            Assert.InRange(word.Confidence, 0, 1);
        }

        // Every word of the list is in the text (the placeholder model hears nothing, so both are usually empty).
        Assert.All(transcript.Words, word => Assert.Contains(word.Word, transcript.Text, StringComparison.Ordinal));
    }

    private static WhisperModelStore Models(string modelPath) =>
        new(Options.Create(new WhisperOptions { ModelPath = modelPath, ModelUrl = "" }), TimeProvider.System, NullLogger<WhisperModelStore>.Instance);

    private static WhisperCppTranscriber Transcriber(WhisperModelStore models, TimeProvider? time = null) =>
        new(Options.Create(new WhisperOptions { ModelUrl = "", Threads = 2 }),
            models, time ?? TimeProvider.System, NullLogger<WhisperCppTranscriber>.Instance);

    public void Dispose() => _directory.Delete(recursive: true);
}
