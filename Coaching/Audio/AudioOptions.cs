using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Audio;

/// <summary>Limits and tools for recorded answers.</summary>
public sealed class AudioOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audio";

    /// <summary>The ffmpeg program (a name on PATH or a full path).</summary>
    [Required(AllowEmptyStrings = false)]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe program.</summary>
    [Required(AllowEmptyStrings = false)]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Longest recording accepted, in seconds (default 10 minutes).</summary>
    [Range(5, 7_200)]
    public int MaxDurationSeconds { get; set; } = 600;

    /// <summary>Largest file accepted, in bytes (default 25 MB).</summary>
    [Range(1_024, 1_073_741_824)]
    public long MaxSizeBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>How long one ffmpeg or ffprobe run may take before it is killed.</summary>
    [Range(5, 3_600)]
    public int ProcessTimeoutSeconds { get; set; } = 120;

    /// <summary>Where private temporary folders for recordings are made; empty means the system's temporary folder.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>Loudness target of the normalized audio (integrated LUFS).</summary>
    [Range(-40, -5)]
    public double TargetLoudness { get; set; } = -20;

    /// <summary>Level below which leading and trailing audio counts as silence and is trimmed (dBFS).</summary>
    [Range(-90, -20)]
    public double SilenceThresholdDb { get; set; } = -50;
}
