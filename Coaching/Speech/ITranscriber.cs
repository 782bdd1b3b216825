using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Speech;

/// <summary>A speech-to-text engine.</summary>
public interface ITranscriber
{
    /// <summary>The engine's name as reports show it: <c>whisper.cpp</c>, <c>whisper-api</c>, <c>pocketsphinx</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Why the engine cannot run here now (its library, model or server is missing), or null when it can. A cheap
    /// check that transcribes nothing: start-up uses it to say which engines will actually be tried.
    /// </summary>
    string? CannotRunBecause => null;

    /// <summary>Transcribes normalized audio.</summary>
    /// <exception cref="TranscriberUnavailableException">The engine is not installed or not configured here.</exception>
    Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken);
}

/// <summary>What an engine heard: the text, each word with its timing and confidence, and the engine.</summary>
/// <param name="Text">The transcript.</param>
/// <param name="Words">Words with start/end in seconds and confidence 0–1.</param>
/// <param name="Engine">The engine's name.</param>
public sealed record Transcript(string Text, IReadOnlyList<TimedWord> Words, string Engine);

/// <summary>The engine cannot run here (library, model or server missing); the chain moves on to the next one.</summary>
public sealed class TranscriberUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TranscriberUnavailableException()
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public TranscriberUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public TranscriberUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
