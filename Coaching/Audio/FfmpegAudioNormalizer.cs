using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Audio;

/// <summary>
/// Normalization with the ffmpeg and ffprobe programs. Hardened against crafted files: the container is
/// identified from the file's own bytes and forced (<c>-f</c>), only voice-note demuxers are allowed
/// (<c>-format_whitelist</c>) and only local files can be opened (<c>-protocol_whitelist file</c>), so a playlist
/// or reference file dressed up as a voice note can never make ffmpeg open another file or a network address.
/// </summary>
internal sealed class FfmpegAudioNormalizer(IOptions<AudioOptions> options, ILogger<FfmpegAudioNormalizer> logger) : IAudioNormalizer
{
    private const string Formats = "m4a, mp4, webm, ogg, mp3, wav, aac or flac";
    private const double MinimumSpeechSeconds = 0.3;
    private readonly AudioOptions _options = options.Value;

    public async Task<NormalizedRecording> NormalizeAsync(string inputPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        var file = new FileInfo(inputPath);
        if (!file.Exists)
        {
            throw new AudioRejectedException("missing_file", "The recording could not be found. Please send it again.", inputPath);
        }

        if (file.Length == 0)
        {
            throw new AudioRejectedException("empty_file", "The recording is empty (0 bytes). Please record your answer again.", null);
        }

        if (file.Length > _options.MaxSizeBytes)
        {
            throw new AudioRejectedException("too_large",
                $"The recording is {Megabytes(file.Length)}; the limit is {Megabytes(_options.MaxSizeBytes)}. Send a shorter recording (one to two minutes is ideal).", null);
        }

        var head = new byte[4096];
        int read;
        await using (var stream = file.OpenRead())
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }

        var container = ContainerSniffer.Sniff(head.AsSpan(0, read))
            ?? throw new AudioRejectedException("not_audio", ContainerSniffer.Refusal(head.AsSpan(0, read), Formats), null);

        var info = await ProbeAsync(file, container, cancellationToken);
        if (info.DurationSeconds > _options.MaxDurationSeconds)
        {
            throw new AudioRejectedException("too_long",
                $"The recording is {Minutes(info.DurationSeconds.Value)} long; I coach answers of up to {Minutes(_options.MaxDurationSeconds)}. Record a shorter answer: one to two minutes is what interviewers expect.", null);
        }

        var folder = CreatePrivateFolder();
        try
        {
            var recording = await ConvertAsync(file, container, info, folder, cancellationToken);
            return recording;
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    private async Task<RecordingInfo> ProbeAsync(FileInfo file, string container, CancellationToken cancellationToken)
    {
        var result = await RunAsync(_options.FfprobePath,
        [
            "-v", "warning", "-protocol_whitelist", "file", "-format_whitelist", ContainerSniffer.AllowedDemuxers, "-f", container,
            "-show_entries", "format=duration,size:stream=index,codec_type,codec_name,sample_rate,channels,duration",
            "-of", "json", "-i", file.FullName,
        ], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new AudioRejectedException("undecodable",
                "I couldn't read this recording: it seems to be damaged or cut off. Please record your answer again, or type it.",
                result.StandardError.Trim());
        }

        using var json = JsonDocument.Parse(result.StandardOutput);
        var audio = json.RootElement.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("codec_type", out var t) && t.GetString() == "audio")
            : default;
        if (audio.ValueKind != JsonValueKind.Object)
        {
            throw new AudioRejectedException("no_audio_stream",
                "This file has no sound track, so there is nothing to listen to. Send a voice note or an audio file, or type your answer.", null);
        }

        // A QuickTime reference movie keeps its sound in another file and only points to it; ffmpeg never opens that file
        // (drefs are off), so the track would decode to nothing and look silent.
        var index = audio.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        if (result.StandardError.Contains(string.Create(CultureInfo.InvariantCulture, $"Skipped opening external track: stream {index},"), StringComparison.Ordinal))
        {
            throw new AudioRejectedException("external_audio",
                "This MP4 holds no sound itself: its audio track points to a separate file on the computer it was made on. " +
                $"Export or share the recording as one self-contained file (m4a or mp4), or send a voice note or another audio file ({Formats}), or type your answer.",
                null);
        }

        var duration = Number(json.RootElement.TryGetProperty("format", out var format) ? format : default, "duration") ?? Number(audio, "duration");
        return new RecordingInfo(
            container,
            audio.TryGetProperty("codec_name", out var codec) ? codec.GetString() ?? "unknown" : "unknown",
            (int)(Number(audio, "sample_rate") ?? 0),
            audio.TryGetProperty("channels", out var channels) && channels.TryGetInt32(out var c) ? c : 0,
            duration,
            file.Length);
    }

    private async Task<NormalizedRecording> ConvertAsync(FileInfo file, string container, RecordingInfo info, DirectoryInfo folder, CancellationToken cancellationToken)
    {
        var speechPath = Path.Combine(folder.FullName, "speech.wav");
        var levelPath = Path.Combine(folder.FullName, "level.wav");
        var threshold = _options.SilenceThresholdDb.ToString("0.#", CultureInfo.InvariantCulture);
        var trim = $"silenceremove=start_periods=1:start_duration=0:start_threshold={threshold}dB:detection=peak";
        var graph =
            $"[0:a:0]aformat=sample_fmts=flt:sample_rates={NormalizedAudio.TargetSampleRate}:channel_layouts=mono," +
            $"{trim},areverse,{trim},areverse,asplit=2[level][speech];" +
            $"[speech]loudnorm=I={_options.TargetLoudness.ToString("0.#", CultureInfo.InvariantCulture)}:TP=-2:LRA=11," +
            $"aresample={NormalizedAudio.TargetSampleRate}[normalized]";

        var result = await RunAsync(_options.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-v", "error",
            "-protocol_whitelist", "file", "-format_whitelist", ContainerSniffer.AllowedDemuxers, "-f", container,
            "-i", file.FullName,
            "-t", (_options.MaxDurationSeconds + 1).ToString(CultureInfo.InvariantCulture),
            "-filter_complex", graph,
            "-map", "[level]", "-c:a", "pcm_s16le", "-ac", "1", "-ar", "16000", "-y", levelPath,
            "-map", "[normalized]", "-c:a", "pcm_s16le", "-ac", "1", "-ar", "16000", "-y", speechPath,
        ], cancellationToken);

        if (result.ExitCode != 0 || !File.Exists(levelPath))
        {
            throw new AudioRejectedException("undecodable",
                "I couldn't decode this recording: it seems to be damaged or cut off. Please record your answer again, or type it.",
                result.StandardError.Trim());
        }

        if (result.StandardError.Contains("partial file", StringComparison.Ordinal) ||
            result.StandardError.Contains("Error while decoding", StringComparison.Ordinal))
        {
            // ffmpeg decodes what it can of a cut-off upload and exits 0; coaching a third of an answer would mislead.
            throw new AudioRejectedException("undecodable",
                "This recording seems to be cut off or damaged, so I could only read part of it. Please record or upload your answer again.",
                result.StandardError.Trim());
        }

        var level = NormalizedAudio.ReadWav(levelPath);
        if (level.DurationSeconds < MinimumSpeechSeconds || !File.Exists(speechPath))
        {
            throw new AudioRejectedException("no_speech",
                "I couldn't hear anything in this recording: it is silent. Check that your microphone is on and not muted, then record again.", null);
        }

        if (info.DurationSeconds is null && level.DurationSeconds > _options.MaxDurationSeconds)
        {
            throw new AudioRejectedException("too_long",
                $"The recording is longer than {Minutes(_options.MaxDurationSeconds)}. Record a shorter answer: one to two minutes is what interviewers expect.", null);
        }

        var speech = NormalizedAudio.ReadWav(speechPath);
        var warnings = new List<string>();
        if (info.SampleRate is > 0 and < 16_000)
        {
            warnings.Add($"The recording is telephone quality ({info.SampleRate / 1000.0:0.#} kHz), so some words may be misheard. A phone's voice-memo app or a headset gives better results.");
        }

        var clipped = level.Samples.Count(s => MathF.Abs(s) >= 0.99f);
        if (clipped > level.Samples.Length / 1000)
        {
            warnings.Add("The recording is so loud that it distorts (clipping). Hold the microphone a little further away or lower the input volume.");
        }

        Log.AudioNormalized(logger, info.Container, info.Codec, info.SampleRate, level.DurationSeconds);
        return new NormalizedRecording(folder, speech, level, info, warnings);
    }

    private async Task<ProcessResult> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(program, arguments, TimeSpan.FromSeconds(_options.ProcessTimeoutSeconds), cancellationToken);
        }
        catch (FileNotFoundException ex)
        {
            throw new AudioRejectedException("audio_tools_missing",
                "Voice answers are not available right now because this CoachBot installation is missing its audio tools. Please type your answer; an administrator has been told.",
                ex.Message);
        }
        catch (TimeoutException ex)
        {
            throw new AudioRejectedException("timeout",
                "Reading this recording took too long. Please send a shorter recording, or type your answer.", ex.Message);
        }
    }

    private DirectoryInfo CreatePrivateFolder()
    {
        // Inside a turn, its files live in the turn's folder (removed when the turn ends, swept after a crash).
        if (TurnFolders.Current is { } turn)
        {
            return turn.CreateSubfolder("audio-");
        }

        var root = string.IsNullOrWhiteSpace(_options.TempDirectory) ? Path.GetTempPath() : _options.TempDirectory;
        var path = Path.Combine(root, "coachbot-audio-" + Guid.NewGuid().ToString("N")[..12]);
        // Owner-only: other local users must not read someone's recorded answer.
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) &&
        double.TryParse(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static string Megabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB");

    private static string Minutes(double seconds) =>
        seconds >= 90
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} minutes")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds:0} seconds");
}
