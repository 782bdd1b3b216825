using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Speech;

namespace CoachBot.Coaching.Pipeline;

/// <summary>Turns a recording into what coaching needs: the transcript and the delivery measures.</summary>
public interface IVoiceAnswers
{
    /// <summary>Normalizes, transcribes and analyses a local recording; temporary files are gone when it returns.</summary>
    /// <exception cref="AudioRejectedException">The recording was refused or could not be transcribed; the message says why.</exception>
    Task<VoiceAnswer> ListenAsync(string audioPath, CancellationToken cancellationToken);
}

/// <summary>A listened-to answer.</summary>
/// <param name="Transcript">What was said.</param>
/// <param name="Delivery">How it was said.</param>
/// <param name="Warnings">What the user should know about the recording.</param>
public sealed record VoiceAnswer(Transcript Transcript, DeliveryAnalysis Delivery, IReadOnlyList<string> Warnings);

internal sealed class VoiceAnswers(IAudioNormalizer normalizer, ITranscriberChain transcribers, IDeliveryAnalyzer analyzer) : IVoiceAnswers
{
    public async Task<VoiceAnswer> ListenAsync(string audioPath, CancellationToken cancellationToken)
    {
        using var recording = await normalizer.NormalizeAsync(audioPath, cancellationToken);
        var transcript = await transcribers.TranscribeAsync(recording.Speech, cancellationToken);
        var delivery = analyzer.Analyze(recording.Level, transcript);
        var warnings = recording.Warnings.ToList();
        if (delivery.PaceSource == "acoustic")
        {
            warnings.Add($"The transcript from {transcript.Engine} looked unreliable for counting words, so your pace was measured from the audio itself (syllables per minute).");
        }

        return new VoiceAnswer(transcript, delivery, warnings);
    }
}
