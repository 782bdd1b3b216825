namespace CoachBot.Coaching.Audio;

/// <summary>
/// A recording was refused. <see cref="Exception.Message"/> is written for the user: what is wrong and what to
/// send instead. <see cref="Detail"/> holds technical detail for logs only.
/// </summary>
public sealed class AudioRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioRejectedException()
    {
        Code = "audio_rejected";
    }

    /// <summary>Creates the exception with a user message.</summary>
    public AudioRejectedException(string message)
        : base(message)
    {
        Code = "audio_rejected";
    }

    /// <summary>Creates the exception with a user message and its cause.</summary>
    public AudioRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "audio_rejected";
    }

    /// <summary>Creates the exception with a stable code, a user message and log detail.</summary>
    public AudioRejectedException(string code, string message, string? detail)
        : base(message)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>A stable code: empty_file, too_large, not_audio, undecodable, no_audio_stream, too_long, no_speech, audio_tools_missing.</summary>
    public string Code { get; }

    /// <summary>Technical detail (ffmpeg's message), for logs.</summary>
    public string? Detail { get; }
}
