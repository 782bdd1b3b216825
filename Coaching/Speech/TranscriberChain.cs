using CoachBot.Coaching.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Speech;

/// <summary>Which transcribers to try, in order.</summary>
public sealed class SpeechOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Speech";

    /// <summary>The preferred order when none is configured; engines that are not installed are skipped.</summary>
    public static readonly IReadOnlyList<string> DefaultOrder = ["whisper.cpp", "whisper-api", "pocketsphinx"];

    /// <summary>Engine names in the order to try them; empty means <see cref="DefaultOrder"/>.</summary>
    public IList<string> Engines { get; } = [];
}

/// <summary>
/// Tries the configured engines in order. An engine that is unavailable, fails, or hears no words in audio that
/// holds speech hands over to the next; the transcript names the engine that produced it.
/// </summary>
public interface ITranscriberChain
{
    /// <summary>Transcribes with the first engine that can.</summary>
    /// <exception cref="AudioRejectedException">No engine could transcribe the recording (code <c>transcription_failed</c> or <c>no_words</c>).</exception>
    Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken);

    /// <summary>The engines in the order they are tried.</summary>
    IReadOnlyList<string> Order { get; }

    /// <summary>Each engine in order with why it cannot run here now (null when it can); see <see cref="ITranscriber.CannotRunBecause"/>.</summary>
    IReadOnlyList<(string Engine, string? CannotRunBecause)> Readiness() => [.. Order.Select(name => (name, (string?)null))];
}

internal sealed class TranscriberChain : ITranscriberChain
{
    private readonly IReadOnlyList<ITranscriber> _engines;
    private readonly ILogger<TranscriberChain> _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastReasons = new(StringComparer.OrdinalIgnoreCase);

    public TranscriberChain(IEnumerable<ITranscriber> engines, IOptions<SpeechOptions> options, ILogger<TranscriberChain> logger)
    {
        _logger = logger;
        var byName = engines.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        var configured = options.Value.Engines;
        if (configured.Count > 0)
        {
            var unknown = configured.Where(n => !byName.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new OptionsValidationException(SpeechOptions.SectionName, typeof(SpeechOptions),
                    [$"Speech:Engines names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which this build does not have. Available: {string.Join(", ", byName.Keys)}."]);
            }

            _engines = [.. configured.Select(n => byName[n])];
        }
        else
        {
            _engines = [.. SpeechOptions.DefaultOrder.Where(byName.ContainsKey).Select(n => byName[n])];
        }
    }

    public IReadOnlyList<string> Order => [.. _engines.Select(e => e.Name)];

    public IReadOnlyList<(string Engine, string? CannotRunBecause)> Readiness() => [.. _engines.Select(e => (e.Name, e.CannotRunBecause))];

    public async Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var heardNothing = 0;
        foreach (var engine in _engines)
        {
            try
            {
                var transcript = await engine.TranscribeAsync(audio, cancellationToken);
                if (transcript.Words.Count > 0 || !string.IsNullOrWhiteSpace(transcript.Text))
                {
                    return transcript;
                }

                heardNothing++;
                Log.TranscriberUnavailable(_logger, engine.Name, "it heard no words; trying the next engine");
            }
            catch (TranscriberUnavailableException ex)
            {
                // An engine stays unavailable for a while (a model download failing, a server down): say why once,
                // and again only when the reason changes, rather than on every voice answer.
                if (_lastReasons.TryGetValue(engine.Name, out var last) && last == ex.Message)
                {
                    Log.TranscriberStillUnavailable(_logger, engine.Name, ex.Message);
                }
                else
                {
                    _lastReasons[engine.Name] = ex.Message;
                    Log.TranscriberUnavailable(_logger, engine.Name, ex.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.TranscriberFailed(_logger, ex, engine.Name);
            }
        }

        throw heardNothing > 0
            ? new AudioRejectedException("no_words",
                "I couldn't make out any words in your recording. Speak a little closer to the microphone, or type your answer.", null)
            : new AudioRejectedException("transcription_failed",
                "I couldn't transcribe your recording right now: no speech recognizer is available. Please type your answer instead.",
                $"engines tried: {string.Join(", ", Order)}");
    }
}
