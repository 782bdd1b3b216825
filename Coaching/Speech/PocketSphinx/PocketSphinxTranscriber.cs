using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Speech.PocketSphinx;

/// <summary>PocketSphinx settings.</summary>
public sealed class PocketSphinxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Speech:PocketSphinx";

    /// <summary>The folder holding the acoustic model (<c>en-us/</c>), the language model and the dictionary.</summary>
    public string ModelDirectory { get; set; } = "/usr/share/pocketsphinx/model/en-us";
}

/// <summary>
/// Offline recognition with PocketSphinx, called in-process. Audio is fed in blocks and split into utterances
/// where PocketSphinx's voice activity detector hears silence (as <c>pocketsphinx_continuous</c> does); word
/// timings come from the segment iterator (100 frames a second) and confidence from the word posteriors.
/// Each recording gets a fresh decoder (its adaptation must not leak between users); one recording at a time.
/// </summary>
internal sealed partial class PocketSphinxTranscriber(IOptions<PocketSphinxOptions> options, ILogger<PocketSphinxTranscriber> logger) : ITranscriber, IDisposable
{
    private const int FramesPerSecond = 100;
    private const int BlockSamples = 2048;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IntPtr _config;
    private bool _ready;
    private string? _unavailable;

    public string Name => "pocketsphinx";

    public string? CannotRunBecause
    {
        get
        {
            var dir = options.Value.ModelDirectory;
            if (!Directory.Exists(Path.Combine(dir, "en-us")) || !File.Exists(Path.Combine(dir, "en-us.lm.bin")) || !File.Exists(Path.Combine(dir, "cmudict-en-us.dict")))
            {
                return $"the PocketSphinx English model is not in '{dir}' (Debian package pocketsphinx-en-us)";
            }

            if (!NativeLibrary.TryLoad(PocketSphinxNative.PocketSphinx, typeof(PocketSphinxTranscriber).Assembly, null, out var library))
            {
                return "the PocketSphinx library is not installed (Debian packages libpocketsphinx3 and pocketsphinx-en-us)";
            }

            NativeLibrary.Free(library);
            return null;
        }
    }

    public async Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != NormalizedAudio.TargetSampleRate)
        {
            throw new ArgumentException($"PocketSphinx needs {NormalizedAudio.TargetSampleRate} Hz audio.", nameof(audio));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureDecoder();
            var pcm = audio.ToPcm16();
            var words = await Task.Run(() => Decode(pcm, cancellationToken), cancellationToken);
            Log.Transcribed(logger, Name, words.Count, audio.DurationSeconds);
            return new Transcript(string.Join(' ', words.Select(w => w.Word)), words, Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_config != IntPtr.Zero)
        {
            _ = PocketSphinxNative.FreeConfig(_config);
            _config = IntPtr.Zero;
        }

        _gate.Dispose();
    }

    private void EnsureDecoder()
    {
        if (_ready)
        {
            return;
        }

        if (_unavailable is not null)
        {
            throw new TranscriberUnavailableException(_unavailable);
        }

        var dir = options.Value.ModelDirectory;
        var hmm = Path.Combine(dir, "en-us");
        var lm = Path.Combine(dir, "en-us.lm.bin");
        var dict = Path.Combine(dir, "cmudict-en-us.dict");
        if (!Directory.Exists(hmm) || !File.Exists(lm) || !File.Exists(dict))
        {
            _unavailable = $"the PocketSphinx English model is not in '{dir}' (Debian package pocketsphinx-en-us)";
            throw new TranscriberUnavailableException(_unavailable);
        }

        string[] args = ["-hmm", hmm, "-lm", lm, "-dict", dict, "-logfn", "/dev/null", "-samprate", "16000"];
        var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            _config = PocketSphinxNative.ParseArguments(IntPtr.Zero, PocketSphinxNative.Args(), argv.Length, argv, 1);
            if (_config == IntPtr.Zero)
            {
                throw new TranscriberUnavailableException("PocketSphinx refused its configuration");
            }

            _ready = true;
        }
        catch (DllNotFoundException ex)
        {
            _unavailable = "the PocketSphinx library is not installed (Debian packages libpocketsphinx3 and pocketsphinx-en-us)";
            throw new TranscriberUnavailableException(_unavailable, ex);
        }
        finally
        {
            foreach (var p in argv)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    private unsafe List<TimedWord> Decode(short[] pcm, CancellationToken cancellationToken)
    {
        // A fresh decoder per recording: PocketSphinx adapts its cepstral mean to what it heard, so a shared
        // decoder would let one user's recording change how the next user's is recognized.
        var decoder = PocketSphinxNative.Init(_config);
        if (decoder == IntPtr.Zero)
        {
            throw new TranscriberUnavailableException($"PocketSphinx could not load its model from '{options.Value.ModelDirectory}'");
        }

        try
        {
            return Decode(decoder, pcm, cancellationToken);
        }
        finally
        {
            _ = PocketSphinxNative.Free(decoder);
        }
    }

    private static unsafe List<TimedWord> Decode(IntPtr decoder, short[] pcm, CancellationToken cancellationToken)
    {
        var words = new List<TimedWord>();
        var inUtterance = false;
        fixed (short* start = pcm)
        {
            var position = 0;
            var wasSpeech = false;
            while (position < pcm.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!inUtterance)
                {
                    Check(PocketSphinxNative.StartUtterance(decoder), "ps_start_utt");
                    inUtterance = true;
                    wasSpeech = false;
                }

                var count = Math.Min(BlockSamples, pcm.Length - position);
                Check(PocketSphinxNative.ProcessRaw(decoder, start + position, (nuint)count, 0, 0), "ps_process_raw");
                position += count;

                var speech = PocketSphinxNative.InSpeech(decoder) != 0;
                if (wasSpeech && !speech)
                {
                    // Silence after speech: close this utterance and collect its words.
                    Check(PocketSphinxNative.EndUtterance(decoder), "ps_end_utt");
                    inUtterance = false;
                    Collect(decoder, words);
                }

                wasSpeech = speech;
            }
        }

        if (inUtterance)
        {
            Check(PocketSphinxNative.EndUtterance(decoder), "ps_end_utt");
            Collect(decoder, words);
        }

        return words;
    }

    private static void Collect(IntPtr decoder, List<TimedWord> words)
    {
        // Frame numbers count from the decoder's creation, across utterances, so with a fresh decoder per
        // recording they are already times from the start of the recording.
        var logMath = PocketSphinxNative.LogMath(decoder);
        for (var seg = PocketSphinxNative.SegmentIterator(decoder); seg != IntPtr.Zero; seg = PocketSphinxNative.SegmentNext(seg))
        {
            var raw = Marshal.PtrToStringUTF8(PocketSphinxNative.SegmentWord(seg)) ?? string.Empty;
            var word = AlternatePronunciation().Replace(raw, string.Empty);
            if (word.Length == 0 || word[0] is '<' or '[' || word == "++garbage++")
            {
                continue;
            }

            PocketSphinxNative.SegmentFrames(seg, out var first, out var last);
            var posterior = PocketSphinxNative.SegmentProbability(seg, out _, out _, out _);
            var confidence = Math.Clamp(PocketSphinxNative.LogMathExp(logMath, posterior), 0, 1);
            words.Add(new TimedWord(word, Math.Round((double)first / FramesPerSecond, 2),
                Math.Round((double)(last + 1) / FramesPerSecond, 2), Math.Round(confidence, 3)));
        }
    }

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"PocketSphinx {call} failed ({result}).");
        }
    }

    // The dictionary marks alternate pronunciations as word(2).
    [GeneratedRegex(@"\(\d+\)$", RegexOptions.CultureInvariant)]
    private static partial Regex AlternatePronunciation();
}
