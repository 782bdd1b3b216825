using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.Whisper;
using Microsoft.Extensions.Options;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench whisper --audio &lt;wav&gt;</c>: the in-process whisper.cpp engine (Whisper.net) against whisper.cpp's
/// own <c>whisper-cli</c> (built from source by scripts/build-whisper.sh, which scripts/test.sh runs) on the same model, audio, threads and decoding settings (greedy, token timestamps, non-speech
/// tokens suppressed). Reports each one's real-time factor (processing seconds per second of audio, median of the runs)
/// and their ratio. The engine is warmed up first, so its model load is not counted (the first call, load included, is
/// shown too); for whisper-cli the figure is
/// its own reported total minus its model load, and its whole process time is shown beside it. Runs alternate between the
/// two; the median and the best run of each are reported.
/// </summary>
internal static partial class WhisperBenchCommand
{
    public static Command Create(CliContext context)
    {
        var audio = new Option<FileInfo>("--audio") { Description = "A 16 kHz mono 16-bit WAV file.", Required = true };
        var model = new Option<FileInfo>("--model") { Description = "The ggml model (default: Speech:Whisper:ModelPath)." };
        var cli = new Option<FileInfo>("--cli") { Description = "whisper-cli (default: .cache/whisper/build/bin/whisper-cli above the working directory)." };
        var runs = new Option<int>("--runs") { Description = "Measured runs of each.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both.", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4) };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("whisper", "Real-time factor of the whisper.cpp engine (Whisper.net) vs whisper-cli.") { audio, model, cli, runs, threads, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(runs);
            var threadCount = parse.GetValue(threads);
            if (count is < 1 or > 100 || threadCount is < 1 or > 64)
            {
                throw new UsageException("--runs must be 1–100 and --threads 1–64.");
            }

            var wav = parse.GetValue(audio)!;
            if (!wav.Exists)
            {
                await context.Error.WriteLineAsync($"No file at {wav.FullName}");
                return CoachBotCli.Refused;
            }

            NormalizedAudio samples;
            try
            {
                samples = NormalizedAudio.ReadWav(wav.FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                await context.Error.WriteLineAsync(
                    $"{ex.Message} Convert it first: ffmpeg -i '{wav.Name}' -ar 16000 -ac 1 -c:a pcm_s16le answer.wav");
                return CoachBotCli.Refused;
            }

            var modelPath = parse.GetValue(model)?.FullName;
            await using var bench = new CliContext(TextWriter.Null, context.Error, b =>
            {
                context.Configure?.Invoke(b);
                b.Configuration[$"{WhisperOptions.SectionName}:{nameof(WhisperOptions.Threads)}"] = threadCount.ToString(CultureInfo.InvariantCulture);
                b.Configuration[$"{WhisperOptions.SectionName}:{nameof(WhisperOptions.BeamSize)}"] = "1";
                if (modelPath is not null)
                {
                    b.Configuration[$"{WhisperOptions.SectionName}:{nameof(WhisperOptions.ModelPath)}"] = modelPath;
                }
            });
            var engine = bench.Services.GetServices<ITranscriber>().Single(t => t.Name == "whisper.cpp");
            modelPath ??= Path.GetFullPath(bench.Services.GetRequiredService<IOptions<WhisperOptions>>().Value.ModelPath);
            var cliPath = parse.GetValue(cli)?.FullName ?? FindCli();
            if (cliPath is null || !File.Exists(cliPath))
            {
                await context.Error.WriteLineAsync("whisper-cli (the reference) was not found: run bash scripts/build-whisper.sh (scripts/test.sh does) or pass --cli.");
                return CoachBotCli.Refused;
            }

            Transcript transcript;
            var firstStarted = Stopwatch.GetTimestamp();
            try
            {
                transcript = await engine.TranscribeAsync(samples, cancellationToken); // warm-up: loads the library and model
            }
            catch (TranscriberUnavailableException ex)
            {
                await context.Error.WriteLineAsync($"The whisper.cpp engine is unavailable: {ex.Message}");
                return CoachBotCli.Refused;
            }

            var firstCall = Stopwatch.GetElapsedTime(firstStarted).TotalSeconds;

            // Interleaved, so a neighbour's load on a shared machine falls on both alike.
            var binding = new List<double>();
            var cliCompute = new List<double>();
            var cliProcess = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                transcript = await engine.TranscribeAsync(samples, cancellationToken);
                binding.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);

                var (process, total, load) = await RunCliAsync(cliPath, modelPath, wav.FullName, threadCount, cancellationToken);
                cliProcess.Add(process);
                cliCompute.Add(total - load);
            }

            var seconds = samples.DurationSeconds;
            var result = new
            {
                benchmark = "whisper.cpp through Whisper.net vs whisper-cli",
                audio = wav.Name,
                audioSeconds = Math.Round(seconds, 2),
                model = Path.GetFileName(modelPath),
                threads = threadCount,
                runs = count,
                bindingSeconds = Math.Round(BenchCommand.Median(binding), 3),
                bindingRealTimeFactor = Math.Round(BenchCommand.Median(binding) / seconds, 4),
                bindingFirstCallSeconds = Math.Round(firstCall, 3),
                cliSeconds = Math.Round(BenchCommand.Median(cliCompute), 3),
                cliRealTimeFactor = Math.Round(BenchCommand.Median(cliCompute) / seconds, 4),
                cliProcessSeconds = Math.Round(BenchCommand.Median(cliProcess), 3),
                ratio = Math.Round(BenchCommand.Median(binding) / BenchCommand.Median(cliCompute), 3),
                bindingBestSeconds = Math.Round(binding.Min(), 3),
                cliBestSeconds = Math.Round(cliCompute.Min(), 3),
                bestRatio = Math.Round(binding.Min() / cliCompute.Min(), 3),
                words = transcript.Words.Count,
                processors = Environment.ProcessorCount,
            };
            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(result, ReportJson.Options)
                : string.Create(CultureInfo.InvariantCulture,
                    $"whisper.cpp on {result.audio} ({result.audioSeconds} s, {result.model}, {threadCount} threads, median of {count}): " +
                    $"binding {result.bindingSeconds} s (RTF {result.bindingRealTimeFactor}; first call with model load {result.bindingFirstCallSeconds} s), whisper-cli {result.cliSeconds} s (RTF {result.cliRealTimeFactor}; " +
                    $"whole process {result.cliProcessSeconds} s), ratio {result.ratio}; best runs {result.bindingBestSeconds} s vs {result.cliBestSeconds} s, " +
                    $"ratio {result.bestRatio}; {result.words} words"));
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static async Task<(double Process, double Total, double Load)> RunCliAsync(
        string cli, string model, string wav, int threads, CancellationToken cancellationToken)
    {
        var output = Directory.CreateTempSubdirectory("coachbot-bench-whisper-");
        try
        {
            var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "-m", model, "-f", wav, "-t", threads.ToString(CultureInfo.InvariantCulture), "-l", "en",
                "-bs", "1", "-sns", "-ojf", "-of", Path.Combine(output.FullName, "out"),
            })
            {
                start.ArgumentList.Add(argument);
            }

            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var log = await stderr + await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"whisper-cli failed ({process.ExitCode}): {log[^Math.Min(log.Length, 500)..]}");
            }

            return (elapsed, Timing(log, "total time"), Timing(log, "load time"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static double Timing(string log, string name)
    {
        var match = TimingLine().Matches(log).FirstOrDefault(m => m.Groups["name"].Value == name)
            ?? throw new InvalidOperationException($"whisper-cli printed no '{name}'.");
        return double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000;
    }

    [GeneratedRegex(@"whisper_print_timings:\s+(?<name>[a-z ]+?)\s+=\s+(?<ms>[0-9.]+) ms")]
    private static partial Regex TimingLine();

    private static string? FindCli()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, ".cache", "whisper", "build", "bin", "whisper-cli");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
