using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.PocketSphinx;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench voice --audio &lt;file&gt;</c>: for a spoken answer of at least 60 s (a shorter file is looped),
/// the normalization time, each transcriber's real-time factor (seconds of work per second of audio), the in-process
/// PocketSphinx engine against Debian's <c>pocketsphinx_continuous</c> on the same audio, and the time to a full report.
/// Each figure is the median of the runs.
/// </summary>
internal static class VoiceBench
{
    public static Command Create(CliContext context)
    {
        var audio = new Option<FileInfo>("--audio") { Description = "A recording of speech; looped to at least 60 s.", Required = true };
        var runs = new Option<int>("--runs") { Description = "Runs per measure (the median is reported).", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("voice", "Time normalization, transcription and a full spoken-answer report.") { audio, runs, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(audio)!;
            var count = parse.GetValue(runs);
            if (!source.Exists || count is < 1 or > 50)
            {
                throw new UsageException(source.Exists ? "--runs must be 1–50." : $"No file at {source.FullName}");
            }

            var folder = Directory.CreateTempSubdirectory("coachbot-bench-voice-");
            try
            {
                var bench = new CliContext(TextWriter.Null, context.Error, b =>
                {
                    context.Configure?.Invoke(b);
                    b.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DatabasePath)}"] = Path.Combine(folder.FullName, "bench.db");
                });
                await using (bench)
                {
                    var result = await MeasureAsync(bench.Services, source.FullName, folder.FullName, count, cancellationToken);
                    await context.Output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(result, ReportJson.Options) : Describe(result));
                    return CoachBotCli.Ok;
                }
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });
        return command;
    }

    private static async Task<VoiceBenchResult> MeasureAsync(IServiceProvider services, string source, string folder, int runs, CancellationToken cancellationToken)
    {
        // A Slack-like clip: AAC in MP4, at least a minute long.
        var clip = Path.Combine(folder, "answer.mp4");
        await RunToolAsync("ffmpeg", ["-nostdin", "-v", "error", "-stream_loop", "-1", "-i", source, "-t", "60", "-c:a", "aac", "-b:a", "64k", clip], cancellationToken);

        var normalizer = services.GetRequiredService<IAudioNormalizer>();
        var normalize = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var once = await normalizer.NormalizeAsync(clip, cancellationToken);
            normalize.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        using var recording = await normalizer.NormalizeAsync(clip, cancellationToken);
        var seconds = recording.Speech.DurationSeconds;
        var engines = new List<EngineFigure>();
        foreach (var engine in services.GetServices<ITranscriber>())
        {
            try
            {
                var times = new List<double>();
                var words = 0;
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var transcript = await engine.TranscribeAsync(recording.Speech, cancellationToken);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    words = transcript.Words.Count;
                }

                engines.Add(new EngineFigure(engine.Name, BenchCommand.Median(times), BenchCommand.Median(times) / seconds, words, null));
            }
            catch (TranscriberUnavailableException ex)
            {
                engines.Add(new EngineFigure(engine.Name, null, null, 0, ex.Message));
            }
        }

        // The in-process engine and Debian's tool alternate run by run, so changing load on a shared machine
        // falls on both alike.
        double? continuous = null;
        double? binding = null;
        var model = services.GetRequiredService<IOptions<PocketSphinxOptions>>().Value.ModelDirectory;
        var pocketSphinx = services.GetServices<ITranscriber>().FirstOrDefault(e => e.Name == "pocketsphinx");
        if (pocketSphinx is not null)
        {
            try
            {
                var tool = new List<double>();
                var inProcess = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await pocketSphinx.TranscribeAsync(recording.Speech, cancellationToken);
                    inProcess.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);

                    started = Stopwatch.GetTimestamp();
                    await RunToolAsync("pocketsphinx_continuous",
                    [
                        "-infile", recording.Speech.WavPath, "-logfn", "/dev/null", "-hmm", Path.Combine(model, "en-us"),
                        "-lm", Path.Combine(model, "en-us.lm.bin"), "-dict", Path.Combine(model, "cmudict-en-us.dict"),
                    ], cancellationToken);
                    tool.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                }

                continuous = BenchCommand.Median(tool);
                binding = BenchCommand.Median(inProcess);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TranscriberUnavailableException)
            {
                await Console.Error.WriteLineAsync($"PocketSphinx comparison could not run: {ex.Message}");
            }
        }

        var pipeline = services.GetRequiredService<ICoachingPipeline>();
        var question = services.GetRequiredService<IQuestionBank>().Filter(Roles.General, Categories.Behavioral)[0];
        var total = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = await pipeline.CoachAsync(new AnswerRequest(new SessionKey("bench", $"voice{i}"), null) { QuestionId = question.Id, AudioPath = clip }, cancellationToken);
            total.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (outcome.Report is null)
            {
                throw new InvalidOperationException($"The benchmark recording was refused: {outcome.Error?.Message}");
            }
        }

        return new VoiceBenchResult(Math.Round(seconds, 1), runs, Math.Round(BenchCommand.Median(normalize), 3), engines,
            binding is null ? null : Math.Round(binding.Value, 3),
            continuous is null ? null : Math.Round(continuous.Value, 3),
            binding is null || continuous is null ? null : Math.Round(binding.Value / continuous.Value, 3),
            Math.Round(BenchCommand.Median(total), 3), Environment.ProcessorCount);
    }

    private static async Task RunToolAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        _ = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {await stderr}");
        }
    }

    private static string Describe(VoiceBenchResult r) => string.Join(Environment.NewLine,
    [
        string.Create(CultureInfo.InvariantCulture, $"spoken answer: {r.AudioSeconds} s, median of {r.Runs} runs, {r.Processors} cores"),
        string.Create(CultureInfo.InvariantCulture, $"normalization (ffmpeg): {r.NormalizeSeconds} s"),
        .. r.Engines.Select(e => e.Unavailable is null
            ? string.Create(CultureInfo.InvariantCulture, $"transcription {e.Engine}: {e.Seconds:0.000} s, real-time factor {e.RealTimeFactor:0.000}, {e.Words} words")
            : $"transcription {e.Engine}: unavailable ({e.Unavailable})"),
        r.ContinuousSeconds is null ? "pocketsphinx_continuous: not run" : string.Create(CultureInfo.InvariantCulture, $"PocketSphinx on the same audio, runs interleaved: in-process {r.InProcessSeconds} s, pocketsphinx_continuous {r.ContinuousSeconds} s; in-process / continuous = {r.PocketSphinxRatio}"),
        string.Create(CultureInfo.InvariantCulture, $"total time to report: {r.TotalSeconds} s"),
    ]);

    private sealed record EngineFigure(string Engine, double? Seconds, double? RealTimeFactor, int Words, string? Unavailable);

    private sealed record VoiceBenchResult(double AudioSeconds, int Runs, double NormalizeSeconds, IReadOnlyList<EngineFigure> Engines,
        double? InProcessSeconds, double? ContinuousSeconds, double? PocketSphinxRatio, double TotalSeconds, int Processors);
}
