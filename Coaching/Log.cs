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
}
