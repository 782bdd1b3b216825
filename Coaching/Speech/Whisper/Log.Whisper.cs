using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching;

// The Whisper engines' log lines (event ids 3100–3199), in their own file of the assembly's Log class.
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Information, "whisper.cpp (Whisper.net {Version}) loaded from {LibraryPath} with model {ModelPath}")]
    public static partial void WhisperLoaded(ILogger logger, string version, string libraryPath, string modelPath);

    // Event 3101 (an engine is unavailable) is Log.TranscriberUnavailable, shared with the transcriber chain.

    [LoggerMessage(3102, LogLevel.Information, "{Engine} transcribed {AudioSeconds:F1} s of audio in {ElapsedSeconds:F2} s: {Words} words")]
    public static partial void WhisperTranscribed(ILogger logger, string engine, double audioSeconds, double elapsedSeconds, int words);

    [LoggerMessage(3103, LogLevel.Debug, "whisper.cpp: {Line}")]
    public static partial void WhisperNativeDebug(ILogger logger, string line);

    [LoggerMessage(3104, LogLevel.Warning, "whisper.cpp: {Line}")]
    public static partial void WhisperNativeWarning(ILogger logger, string line);

    [LoggerMessage(3105, LogLevel.Information, "Downloading the whisper model from {Url} to {Path}")]
    public static partial void WhisperModelDownloadStarted(ILogger logger, string url, string path);

    [LoggerMessage(3106, LogLevel.Information, "Whisper model download: {Bytes} of {TotalBytes} bytes ({Percent:F0}%)")]
    public static partial void WhisperModelDownloadProgress(ILogger logger, long bytes, long totalBytes, double percent);

    [LoggerMessage(3107, LogLevel.Information, "Whisper model saved to {Path}: {Bytes} bytes, SHA-256 {Sha256}, in {Seconds:F1} s")]
    public static partial void WhisperModelDownloaded(ILogger logger, string path, long bytes, string sha256, double seconds);

    [LoggerMessage(3108, LogLevel.Warning, "Could not delete the partial model download {Path}: {Reason}")]
    public static partial void WhisperModelCleanupFailed(ILogger logger, string path, string reason);

    [LoggerMessage(3109, LogLevel.Warning, "{Engine} request failed (attempt {Attempt}): {Reason}; trying again")]
    public static partial void WhisperApiRetry(ILogger logger, string engine, int attempt, string reason);

    [LoggerMessage(3110, LogLevel.Trace, "{Engine} transcript: {Text}")]
    public static partial void TranscriptText(ILogger logger, string engine, string text);
}
