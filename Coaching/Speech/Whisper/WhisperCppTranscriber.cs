using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// The <c>whisper.cpp</c> engine: whisper.cpp in this process through <see cref="WhisperLibrary"/>. One context per
/// process holds the model; transcriptions take turns on it (whisper.cpp uses several threads for each one).
/// Token timestamps are on, so every word carries its own start, end and probability.
/// </summary>
internal sealed class WhisperCppTranscriber(
    IOptions<WhisperOptions> options,
    WhisperModelStore models,
    TimeProvider time,
    ILogger<WhisperCppTranscriber> logger) : ITranscriber, IDisposable
{
    /// <summary>The engine's name in reports.</summary>
    public const string EngineName = "whisper.cpp";

    private const double SecondsPerTick = 0.01; // whisper.cpp timestamps are in centiseconds

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperLibrary? _library;
    private nint _context;
    private string? _unavailableReason;
    private Task<string>? _download;
    private DateTimeOffset _unavailableUntil;
    private bool _disposed;

    public string Name => EngineName;

    /// <summary>The loaded library (after the first successful transcription or <see cref="LoadAsync"/>).</summary>
    public WhisperLibrary? Library => _library;

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
            var started = Stopwatch.GetTimestamp();

            // whisper_full blocks for as long as inference takes; keep it off the caller's thread.
            var transcript = await Task.Run(() => Run(audio.Samples, cancellationToken), cancellationToken);
            Log.WhisperTranscribed(logger, EngineName, audio.DurationSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds, transcript.Words.Count);
            Log.TranscriptText(logger, EngineName, transcript.Text);
            return transcript;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the library and the model now (downloading the model when missing) rather than on first use.</summary>
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
        if (_context != 0)
        {
            return;
        }

        if (_unavailableReason is not null && time.GetUtcNow() < _unavailableUntil)
        {
            throw new TranscriberUnavailableException(_unavailableReason);
        }

        try
        {
            var settings = options.Value;
            WhisperLibrary.SetLogger(logger);
            var library = WhisperLibrary.Load(ResolveLibraryFolder(settings.LibraryPath));
            var modelPath = await ModelAsync(cancellationToken);
            // The library's defaults, as whisper-cli uses them (flash attention on); this build has only the CPU backend.
            var contextParams = library.ContextDefaultParams();
            var context = library.InitFromFile(modelPath, contextParams);
            if (context == 0)
            {
                throw new TranscriberUnavailableException(
                    $"whisper.cpp could not load the model '{modelPath}' (not a ggml Whisper model, or damaged; delete it to download it again).");
            }

            _library = library;
            _context = context;
            _unavailableReason = null;
            Log.WhisperLoaded(logger, library.Version, library.Path, modelPath);
        }
        catch (TranscriberUnavailableException ex)
        {
            _unavailableReason = ex.Message;
            _unavailableUntil = time.GetUtcNow().AddSeconds(options.Value.RetryUnavailableAfterSeconds);
            Log.TranscriberUnavailable(logger, EngineName, ex.Message);
            throw;
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

    /// <summary>The folder to load libwhisper from: the configured one, else beside the program, else the script's build folder.</summary>
    internal static string ResolveLibraryFolder(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var file = WhisperLibrary.PlatformFiles[^1];
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, file)))
        {
            return AppContext.BaseDirectory;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, ".cache", "whisper", "build", "bin");
                if (File.Exists(Path.Combine(candidate, file)))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), ".cache", "whisper", "build", "bin");
    }

    private unsafe Transcript Run(float[] samples, CancellationToken cancellationToken)
    {
        var library = _library!;
        var settings = options.Value;
        var parameters = library.FullDefaultParams(settings.BeamSize > 1 ? WhisperSamplingStrategy.BeamSearch : WhisperSamplingStrategy.Greedy);
        parameters.BeamSearchBeamSize = settings.BeamSize;
        parameters.NThreads = settings.Threads;
        parameters.TokenTimestamps = 1;
        parameters.PrintProgress = 0;
        parameters.PrintRealtime = 0;
        parameters.PrintTimestamps = 0;
        parameters.PrintSpecial = 0;
        parameters.NoContext = 1;
        parameters.Translate = 0;
        parameters.DetectLanguage = 0;
        parameters.SuppressNst = 1; // no "[music]"-style non-speech tokens in a spoken answer

        var language = Marshal.StringToCoTaskMemUTF8(settings.Language);
        var token = GCHandle.Alloc(new CancellationBox(cancellationToken));
        try
        {
            parameters.Language = language;
            parameters.AbortCallback = (nint)(delegate* unmanaged[Cdecl]<nint, byte>)&ShouldAbort;
            parameters.AbortCallbackUserData = GCHandle.ToIntPtr(token);
            var status = library.Full(_context, parameters, samples);
            cancellationToken.ThrowIfCancellationRequested();
            if (status != 0)
            {
                throw new InvalidOperationException($"whisper.cpp failed to transcribe (whisper_full returned {status}).");
            }

            return Collect(library);
        }
        finally
        {
            token.Free();
            Marshal.FreeCoTaskMem(language);
        }
    }

    private Transcript Collect(WhisperLibrary library)
    {
        var text = new StringBuilder();
        var words = new WhisperWordAssembler();
        var endOfText = library.EndOfTextToken(_context);
        var segments = library.SegmentCount(_context);
        for (var s = 0; s < segments; s++)
        {
            text.Append(library.SegmentText(_context, s));
            var segmentStart = library.SegmentStart(_context, s) * SecondsPerTick;
            var segmentEnd = Math.Max(segmentStart, library.SegmentEnd(_context, s) * SecondsPerTick);
            var tokens = library.TokenCount(_context, s);
            for (var t = 0; t < tokens; t++)
            {
                var data = library.TokenData(_context, s, t);
                if (data.Id >= endOfText)
                {
                    continue; // special tokens: timestamps, start/end of text, language, task
                }

                // Token times are -1 when whisper.cpp could not place the token; fall back to the segment's span.
                var start = data.T0 >= 0 ? Math.Clamp(data.T0 * SecondsPerTick, segmentStart, segmentEnd) : segmentStart;
                var end = data.T1 >= 0 ? Math.Clamp(data.T1 * SecondsPerTick, start, segmentEnd) : segmentEnd;
                words.Add(library.TokenBytes(_context, s, t), start, end, data.P);
            }

            words.Flush();
        }

        return new Transcript(text.ToString().Trim(), words.Complete(), EngineName);
    }

    // whisper.cpp 1.9.1 asks after each encoder and decoder pass (not inside one), so a cancelled transcription stops
    // at the end of the pass that is running: up to a few seconds on a slow machine.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ShouldAbort(nint userData) =>
        GCHandle.FromIntPtr(userData).Target is CancellationBox { Token.IsCancellationRequested: true } ? (byte)1 : (byte)0;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _gate.Wait(); // a transcription in progress finishes before its model is freed
        if (_context != 0)
        {
            _library!.Free(_context);
            _context = 0;
        }

        _disposed = true;
        _gate.Release();
        _gate.Dispose();
    }

    private sealed record CancellationBox(CancellationToken Token);
}
