using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching;

/// <summary>Every log line of the coaching core. Answer text and transcripts are logged at Trace only.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Coached an answer to {QuestionId}: overall {Overall}, advice by {AdviceSource}, new attempt {Recorded}")]
    public static partial void AnswerCoached(ILogger logger, string questionId, int overall, string adviceSource, bool recorded);

    [LoggerMessage(1001, LogLevel.Information, "Question bank loaded: {Count} questions from {Directories}")]
    public static partial void QuestionBankLoaded(ILogger logger, int count, string directories);

    [LoggerMessage(1002, LogLevel.Information, "Database ready at {Path} (schema version {Version})")]
    public static partial void DatabaseReady(ILogger logger, string path, int version);

    [LoggerMessage(1003, LogLevel.Trace, "Answer text for {QuestionId}: {Text}")]
    public static partial void AnswerText(ILogger logger, string questionId, string text);

    [LoggerMessage(1100, LogLevel.Information, "Normalized a {Container}/{Codec} recording at {SampleRate} Hz: {Seconds:0.0} s after trimming")]
    public static partial void AudioNormalized(ILogger logger, string container, string codec, int sampleRate, double seconds);

    [LoggerMessage(1101, LogLevel.Warning, "Recording refused ({Code}): {Detail}")]
    public static partial void AudioRefused(ILogger logger, string code, string? detail);

    [LoggerMessage(1102, LogLevel.Warning, "Transcriber {Engine} could not be used: {Reason}")]
    public static partial void TranscriberUnavailable(ILogger logger, string engine, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "Transcriber {Engine} failed")]
    public static partial void TranscriberFailed(ILogger logger, Exception exception, string engine);

    [LoggerMessage(1104, LogLevel.Information, "Transcriber {Engine} heard {Words} words in {Seconds:0.0} s of audio")]
    public static partial void Transcribed(ILogger logger, string engine, int words, double seconds);

    [LoggerMessage(1105, LogLevel.Information, "Transcribers, in order: {Order}")]
    public static partial void TranscriberOrder(ILogger logger, string order);
}
