namespace CoachBot.Coaching.Audio;

/// <summary>
/// Identifies the container of a recording from its first bytes, and only the containers voice notes use.
/// The result is passed to ffmpeg as a forced input format, so ffmpeg never guesses: a playlist, a concat
/// list or any other format that opens further inputs is refused before ffmpeg runs.
/// </summary>
internal static class ContainerSniffer
{
    /// <summary>The ffmpeg demuxers CoachBot lets ffmpeg use for recordings.</summary>
    public const string AllowedDemuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,wav,mp3,aac,flac";

    /// <summary>The ffmpeg demuxer for the file's container, or null when it is not a voice-note container.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return "mov"; // MP4, M4A, 3GP, QuickTime: Slack clips, iPhone and Android voice memos.
        }

        if (head.Length >= 4 && head[..4].SequenceEqual(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }))
        {
            return "matroska"; // WebM and Matroska: browser MediaRecorder.
        }

        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8))
        {
            return "ogg";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return "wav";
        }

        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8))
        {
            return "flac";
        }

        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8))
        {
            return SniffAfterId3(head);
        }

        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            // An MPEG audio frame sync: layer bits 00 mean ADTS AAC, anything else MP3.
            return (head[1] & 0x06) == 0 ? "aac" : "mp3";
        }

        return null;
    }

    /// <summary>A short description of what the file looks like, for the message when it is refused.</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0)
        {
            return "an empty file";
        }

        if (head.StartsWith("#EXTM3U"u8))
        {
            return "a playlist, not a recording";
        }

        if (head.StartsWith("%PDF"u8))
        {
            return "a PDF document";
        }

        if (head.StartsWith("\x89PNG"u8) || head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }))
        {
            return "a picture";
        }

        var printable = 0;
        foreach (var b in head)
        {
            if (b is 9 or 10 or 13 || (b >= 32 && b < 127))
            {
                printable++;
            }
        }

        return printable > head.Length * 0.9 ? "a text file" : "a file of an unknown kind";
    }

    private static string SniffAfterId3(ReadOnlySpan<byte> head)
    {
        // ID3v2 tags precede MP3 (and sometimes ADTS AAC) frames; the tag size is a 28-bit syncsafe integer.
        if (head.Length >= 10)
        {
            var size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
            var frame = 10 + size;
            if (frame + 2 <= head.Length && head[frame] == 0xFF && (head[frame + 1] & 0xE0) == 0xE0 && (head[frame + 1] & 0x06) == 0)
            {
                return "aac";
            }
        }

        return "mp3";
    }
}
