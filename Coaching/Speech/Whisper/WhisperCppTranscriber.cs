using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CoachBot.Coaching.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whisper.net;
using Whisper.net.Logger;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// The <c>whisper.cpp</c> engine: whisper.cpp in this process through Whisper.net (its prebuilt linux-x64 natives ship
/// with the program; no compiler needed). One factory per process holds the model; transcriptions take turns on it
/// (whisper.cpp uses several threads for each one). Token timestamps and probabilities are on, so every word carries
/// its own start, end and probability.
/// </summary>
internal sealed class WhisperCppTranscriber(
    IOptions<WhisperOptions> options,
    WhisperModelStore models,
    TimeProvider time,
    ILogger<WhisperCppTranscriber> logger) : ITranscriber, IDisposable
{
    /// <summary>The engine's name in reports.</summary>
    public const string EngineName = "whisper.cpp";

    /// <summary>The Whisper.net version this build binds (its runtime package carries the matching whisper.cpp natives).</summary>
    public static string BindingVersion => typeof(WhisperFactory).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The only native runtime the build ships (see Directory.Build.targets).</summary>
    public const string NativeRuntime = "linux-x64";

    private const double SecondsPerTick = 0.01; // whisper.cpp token timestamps are in centiseconds

    // The lowest special token id (end of text) of the English-only models; multilingual models start one higher.
    private const int FirstSpecialToken = 50256;

    private static ILogger? s_nativeLogger;
    private static IDisposable? s_nativeLogHook;

    /// <summary>Audio shorter than this (one second) is not handed to whisper.cpp, which returns no text for it.</summary>
    private const int MinimumSamples = NormalizedAudio.TargetSampleRate;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperFactory? _factory;
    private string? _unavailableReason;
    private Task<string>? _download;
    private DateTimeOffset _unavailableUntil;
    private bool _disposed;

    public string Name => EngineName;

    /// <summary>True once the model is loaded (after the first transcription or <see cref="LoadAsync"/>).</summary>
    public bool IsLoaded => _factory is not null;

    /// <summary>The folder Whisper.net loads its native library from.</summary>
    public static string NativeFolder => Path.Combine(AppContext.BaseDirectory, "runtimes", NativeRuntime);

    public string? CannotRunBecause
    {
        get
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                return $"this build ships Whisper.net's {NativeRuntime} natives only";
            }

            if (!File.Exists(Path.Combine(NativeFolder, "libwhisper.so")))
            {
                return $"the Whisper.net native library is missing from {NativeFolder} (build the program again)";
            }

            if (File.Exists(models.ModelPath))
            {
                return null;
            }

            var url = options.Value.ModelUrl;
            return string.IsNullOrEmpty(url)
                ? $"no model at {models.ModelPath}, and Speech:Whisper:ModelUrl is empty so none is downloaded"
                : $"no model at {models.ModelPath} yet; it is downloaded from {url} when the first voice answer arrives (base.en: 148 MB), or copy a ggml model there";
        }
    }

    public async Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != NormalizedAudio.TargetSampleRate)
        {
            throw new ArgumentException($"whisper.cpp needs {NormalizedAudio.TargetSampleRate} Hz audio, not {audio.SampleRate} Hz.", nameof(audio));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadLockedAsync(cancellationToken);
            if (audio.Samples.Length < MinimumSamples)
            {
                // whisper.cpp transcribes nothing under a second ("input is too short"); the native call is not worth
                // the risk of an empty or near-empty buffer in its encoder.
                return new Transcript(string.Empty, [], EngineName);
            }

            var started = Stopwatch.GetTimestamp();
            var transcript = await RunAsync(audio.Samples, cancellationToken);
            Log.WhisperTranscribed(logger, EngineName, audio.DurationSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds, transcript.Words.Count);
            Log.TranscriptText(logger, EngineName, transcript.Text);
            return transcript;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the native library and the model now (downloading the model when missing) rather than on first use.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadLockedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_factory is not null)
        {
            return;
        }

        if (_unavailableReason is not null && time.GetUtcNow() < _unavailableUntil)
        {
            throw new TranscriberUnavailableException(_unavailableReason);
        }

        try
        {
            var modelPath = await ModelAsync(cancellationToken);
            HookNativeLog(logger);
            _factory = Load(modelPath);
            _unavailableReason = null;
            Log.WhisperLoaded(logger, BindingVersion, NativeFolder, modelPath);
        }
        catch (TranscriberUnavailableException ex)
        {
            // The transcriber chain logs the reason (once while it stays the same); remembered here so the next
            // answers hand over at once instead of trying again on every recording.
            _unavailableReason = ex.Message;
            _unavailableUntil = time.GetUtcNow().AddSeconds(options.Value.RetryUnavailableAfterSeconds);
            throw;
        }
    }

    private static WhisperFactory Load(string modelPath)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new TranscriberUnavailableException($"whisper.cpp: this build ships Whisper.net's {NativeRuntime} natives only.");
        }

        WhisperFactory? factory = null;
        try
        {
            // As whisper-cli runs by default (flash attention on); this build has only the CPU backend.
            factory = WhisperFactory.FromPath(modelPath, new WhisperFactoryOptions { UseGpu = false, UseFlashAttention = true });
            _ = factory.CreateBuilder(); // Whisper.net reports a model it could not load only when asked for a builder
            return factory;
        }
        catch (WhisperModelLoadException ex)
        {
            factory?.Dispose();
            throw new TranscriberUnavailableException(
                $"whisper.cpp could not load the model '{modelPath}' (not a ggml Whisper model, or damaged; delete it to download it again).", ex);
        }
#pragma warning disable CA1031 // Whisper.net reports a native library that cannot load as a bare Exception; the engine is then unavailable, not broken.
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
#pragma warning restore CA1031
        {
            factory?.Dispose();
            throw new TranscriberUnavailableException(
                $"whisper.cpp could not start from {NativeFolder}: {ex.Message} (the Whisper.net.Runtime natives ship with the build; build the program again)", ex);
        }
    }

    /// <summary>
    /// The model's path once it is on disk. A missing model is downloaded in the background, under the download's
    /// own time limit rather than a user's turn: until it is there the engine is unavailable, so the chain hands the
    /// recording to the next engine instead of keeping the user waiting.
    /// </summary>
    private async Task<string> ModelAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(models.ModelPath))
        {
            return await models.EnsureAsync(cancellationToken);
        }

        if (_download is null || (_download.IsCompleted && !_download.IsCompletedSuccessfully))
        {
            var failed = _download?.Exception?.GetBaseException();
            if (failed is not null && _download is not null)
            {
                // The last attempt failed: say why (the caller caches this as unavailable for a while), then allow a new try.
                _download = null;
                throw failed as TranscriberUnavailableException ?? new TranscriberUnavailableException(failed.Message, failed);
            }

            _download = Task.Run(() => models.EnsureAsync(CancellationToken.None), CancellationToken.None);
        }

        if (_download.IsCompletedSuccessfully)
        {
            return await _download;
        }

        // Give a fast failure (no network, bad URL) a moment to surface, so its reason is the one reported.
        await Task.WhenAny(_download, Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken));
        if (_download.IsCompletedSuccessfully)
        {
            return await _download;
        }

        if (_download.IsFaulted)
        {
            var reason = _download.Exception!.GetBaseException();
            _download = null;
            throw reason as TranscriberUnavailableException ?? new TranscriberUnavailableException(reason.Message, reason);
        }

        throw new TranscriberUnavailableException(
            $"the whisper model is still downloading to '{models.ModelPath}'; another engine transcribes until it is ready");
    }

    private async Task<Transcript> RunAsync(float[] samples, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.Value;
        var builder = _factory!.CreateBuilder()
            .WithLanguage(settings.Language)
            .WithThreads(settings.Threads)
            .WithTokenTimestamps()
            .WithProbabilities()
            .WithNoContext();
        builder = settings.BeamSize > 1
            ? builder.WithBeamSearchSamplingStrategy(b => b.WithBeamSize(settings.BeamSize))
            : builder.WithGreedySamplingStrategy(static _ => { });

        // Whisper.net runs whisper_full on its own long-running thread. Handing it the token would let its enumerator
        // throw at once while that thread still runs (or has not yet started), and the processor and its native
        // parameters would be freed under it: a segfault in libwhisper that takes the whole process down. So the
        // enumeration always runs to the end of the native call, and cancellation is asked for where whisper.cpp can
        // stop cleanly: before each encoder pass (a few seconds at most on a slow machine); it is thrown afterwards.
        builder = builder.WithEncoderBeginHandler(_ => !cancellationToken.IsCancellationRequested);
        await using var processor = builder.Build();
        var text = new StringBuilder();
        var words = new WhisperWordAssembler();
        await foreach (var segment in processor.ProcessAsync(samples, CancellationToken.None))
        {
            text.Append(segment.Text);
            var segmentStart = segment.Start.TotalSeconds;
            var segmentEnd = Math.Max(segmentStart, segment.End.TotalSeconds);
            foreach (var token in segment.Tokens)
            {
                if (IsSpecial(token))
                {
                    continue; // timestamps, start/end of text, language, task
                }

                // Token times are -1 when whisper.cpp could not place the token; fall back to the segment's span.
                var start = token.Start >= 0 ? Math.Clamp(token.Start * SecondsPerTick, segmentStart, segmentEnd) : segmentStart;
                var end = token.End >= 0 ? Math.Clamp(token.End * SecondsPerTick, start, segmentEnd) : segmentEnd;
                words.Add(token.Text ?? "", start, end, token.Probability);
            }

            words.Flush();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new Transcript(text.ToString().Trim(), words.Complete(), EngineName);
    }

    /// <summary>
    /// whisper.cpp's special tokens (ids from end-of-text up) carry names such as <c>[_BEG_]</c> or <c>[_TT_150]</c>
    /// instead of text; Whisper.net does not expose the model's end-of-text id, so both the id range and the name decide.
    /// </summary>
    internal static bool IsSpecial(WhisperToken token) =>
        token.Id >= FirstSpecialToken && token.Text is { } text && text.StartsWith("[_", StringComparison.Ordinal) && text.EndsWith(']');

    /// <summary>Routes whisper.cpp's own log lines (warnings and errors; the rest at Debug) to the application's log, once per process.</summary>
    private static void HookNativeLog(ILogger logger)
    {
        s_nativeLogger = logger;
        if (Interlocked.CompareExchange(ref s_nativeLogHook, null, null) is null)
        {
            var hook = LogProvider.AddLogger(static (level, message) =>
            {
                if (s_nativeLogger is not { } target || string.IsNullOrWhiteSpace(message))
                {
                    return;
                }

                var line = message.TrimEnd();
                if (level is WhisperLogLevel.Error or WhisperLogLevel.Warning)
                {
                    Log.WhisperNativeWarning(target, line);
                }
                else
                {
                    Log.WhisperNativeDebug(target, line);
                }
            });
            if (Interlocked.CompareExchange(ref s_nativeLogHook, hook, null) is not null)
            {
                hook.Dispose();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _gate.Wait(); // a transcription in progress finishes before its model is freed
        _factory?.Dispose();
        _factory = null;
        _disposed = true;
        _gate.Release();
        _gate.Dispose();
    }
}
