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

    /// <summary>
    /// The message for a file that is not a recording CoachBot reads: what the file is, judged from its first bytes, and
    /// what to send instead. <paramref name="formats"/> lists the formats that are read.
    /// </summary>
    public static string Refusal(ReadOnlySpan<byte> head, string formats)
    {
        var sendAudio = $"Send your answer as a voice note or an audio file ({formats}), or type it.";
        var convert = $"Save or convert it as m4a (a phone's voice-memo app does this) or as one of {formats}, or type your answer.";
        if (head.Length == 0)
        {
            return "This file is empty (0 bytes), so there is no recording in it. Record your answer again, or type it.";
        }

        if (head.StartsWith("#EXTM3U"u8) || head.StartsWith("[playlist]"u8) || head.StartsWith("[Playlist]"u8))
        {
            return $"This file is a playlist: a list of links to other files, with no sound of its own. {sendAudio}";
        }

        if (head.StartsWith("%PDF"u8))
        {
            return $"This file is a PDF document. To answer in writing, paste your answer as a message; to answer out loud, send a voice note or an audio file ({formats}).";
        }

        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) || head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) || head.StartsWith("GIF8"u8) || IsRiff(head, "WEBP"u8))
        {
            return $"This file is a picture. {sendAudio}";
        }

        if (head.StartsWith("PK\x03\x04"u8))
        {
            return $"This file is a ZIP archive (Word, Excel and PowerPoint documents are ZIP archives too). Send the recording itself as a voice note or an audio file ({formats}), or paste your answer as a message.";
        }

        if (head.StartsWith("#!AMR"u8))
        {
            return $"This file is an AMR voice recording, an old phone format I can't read. {convert}";
        }

        if (head.StartsWith("caff"u8))
        {
            return $"This file is a Core Audio (CAF) recording, a format I can't read. {convert}";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("FORM"u8) && (head[8..12].SequenceEqual("AIFF"u8) || head[8..12].SequenceEqual("AIFC"u8)))
        {
            return $"This file is an AIFF recording, a format I can't read. {convert}";
        }

        if (head.StartsWith(new byte[] { 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11 }))
        {
            return $"This file is a Windows Media (WMA or WMV) recording, a format I can't read. {convert}";
        }

        if (IsRiff(head, "AVI "u8))
        {
            return $"This file is an AVI video, a format I can't read. Send the video as mp4, or just its sound ({formats}), or type your answer.";
        }

        if (head.StartsWith("MThd"u8))
        {
            return $"This file is a MIDI file: musical notes, not a recording of a voice. {sendAudio}";
        }

        var printable = 0;
        foreach (var b in head)
        {
            if (b is 9 or 10 or 13 || (b >= 32 && b < 127))
            {
                printable++;
            }
        }

        return printable > head.Length * 0.9
            ? $"This file is a text file, not a recording. To type your answer, paste the text as a message; to answer out loud, send a voice note or an audio file ({formats})."
            : $"I can't tell what kind of file this is: it does not start like any audio format I read ({formats}). Send your answer as a voice note or a file in one of those formats, or type it.";
    }

    private static bool IsRiff(ReadOnlySpan<byte> head, ReadOnlySpan<byte> form) =>
        head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual(form);

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
