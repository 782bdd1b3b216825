using System.Globalization;
using CoachBot.Coaching.Speech;

namespace CoachBot.Coaching.Pipeline;

/// <summary>How far a transcript can be trusted: the engine's mean word confidence against a threshold calibrated per engine.</summary>
/// <param name="Confidence">Mean word confidence, 0–1.</param>
/// <param name="Reliable">Whether it can be quoted back as what the user said.</param>
public sealed record TranscriptQuality(double Confidence, bool Reliable)
{
    /// <summary>
    /// Below these, a transcript is not quoted as what the user said. PocketSphinx's word posteriors run high even when
    /// half the words are wrong, so its bar is higher (calibrated on real speech with known text: see the README).
    /// </summary>
    private static readonly Dictionary<string, double> Thresholds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pocketsphinx"] = 0.95,
        ["whisper.cpp"] = 0.60,
        ["whisper-api"] = 0.60,
    };

    private const double DefaultThreshold = 0.60;

    /// <summary>
    /// What an administrator sets to turn a Whisper engine on, worded for a chat user who has no README: the engines are
    /// listed in Speech:Engines already, what they lack is a model file or a server.
    /// </summary>
    public const string EnableWhisperAdvice =
        "ask whoever runs CoachBot to enable Whisper (a Whisper model at Speech:Whisper:ModelPath, or a Whisper server at " +
        "Speech:WhisperApi:BaseUrl; README section \"Whisper engines\")";

    /// <summary>The quality of <paramref name="transcript"/>.</summary>
    public static TranscriptQuality Of(Transcript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        if (transcript.Words.Count == 0)
        {
            return new TranscriptQuality(0, false);
        }

        var confidence = Math.Round(transcript.Words.Average(w => w.Confidence), 3);
        return new TranscriptQuality(confidence, confidence >= Thresholds.GetValueOrDefault(transcript.Engine, DefaultThreshold));
    }

    /// <summary>The card's first line for an unreliable transcript: who transcribed it, how sure it was, and how to get an accurate one.</summary>
    public static string Explain(string engine, double confidence) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The transcript from {engine} is unreliable (confidence {confidence:P0}), so the content scores are uncertain and your words are not quoted. Delivery is measured from the sound and stands. For an accurate transcript, type your answer, or {EnableWhisperAdvice}.");

    /// <summary>A strength without its "For example: “…”" quote of the transcript.</summary>
    public static string WithoutQuote(string strength)
    {
        ArgumentNullException.ThrowIfNull(strength);
        var i = strength.IndexOf(" For example: “", StringComparison.Ordinal);
        return i < 0 ? strength : strength[..i];
    }
}
