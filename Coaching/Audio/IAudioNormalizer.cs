namespace CoachBot.Coaching.Audio;

/// <summary>Checks a recording and turns it into 16 kHz mono PCM for transcription and analysis.</summary>
public interface IAudioNormalizer
{
    /// <summary>
    /// Probes <paramref name="inputPath"/>, refuses what cannot or should not be coached, and normalizes the rest.
    /// The caller disposes the result, which deletes its temporary files.
    /// </summary>
    /// <exception cref="AudioRejectedException">The recording was refused; the message tells the user why.</exception>
    Task<NormalizedRecording> NormalizeAsync(string inputPath, CancellationToken cancellationToken);
}

/// <summary>
/// A normalized recording and the private temporary folder that holds it (deleted on dispose).
/// Both signals are trimmed identically, so times line up: <see cref="Speech"/> is loudness-normalized for the
/// transcribers; <see cref="Level"/> keeps the speaker's own level for energy, pitch and loudness measures.
/// </summary>
public sealed class NormalizedRecording : IDisposable
{
    private readonly DirectoryInfo _folder;

    internal NormalizedRecording(DirectoryInfo folder, NormalizedAudio speech, NormalizedAudio level, RecordingInfo info, IReadOnlyList<string> warnings)
    {
        _folder = folder;
        Speech = speech;
        Level = level;
        Info = info;
        Warnings = warnings;
    }

    /// <summary>Loudness-normalized audio for transcription.</summary>
    public NormalizedAudio Speech { get; }

    /// <summary>Audio at the speaker's own level, for delivery measures.</summary>
    public NormalizedAudio Level { get; }

    /// <summary>What the probe found about the original file.</summary>
    public RecordingInfo Info { get; }

    /// <summary>Things the user should know (telephone quality, clipping).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try
        {
            _folder.Refresh();
            if (_folder.Exists)
            {
                _folder.Delete(recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the folder is private and under the system temp directory.
        }
    }
}

/// <summary>The original file as probed.</summary>
/// <param name="Container">The ffmpeg demuxer used.</param>
/// <param name="Codec">The audio codec.</param>
/// <param name="SampleRate">The original sample rate.</param>
/// <param name="Channels">The original channel count.</param>
/// <param name="DurationSeconds">The original duration, when the container states it.</param>
/// <param name="SizeBytes">The file size.</param>
public sealed record RecordingInfo(string Container, string Codec, int SampleRate, int Channels, double? DurationSeconds, long SizeBytes);
