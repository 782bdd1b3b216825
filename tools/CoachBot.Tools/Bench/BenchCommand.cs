using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CoachBot.Coaching;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench text</c>: the latency of one text coaching turn (scoring, advice, SQLite writes and the
/// next-question choice) on a throw-away database, reported as median, p95 and max over many runs.
/// </summary>
internal static class BenchCommand
{
    // A realistic ~220-word behavioral answer.
    private const string Answer =
        "Last year at my previous company I was the on-call lead when our checkout service started timing out during a holiday sale. " +
        "My job was to restore checkout within the hour and find the cause. I pulled the traces in Grafana and saw that a new " +
        "recommendation call added 900 ms to every request. I decided to switch the call off behind a feature flag, then I wrote a " +
        "short incident note so support could tell customers what was happening. After that I worked with the recommendations team " +
        "to add a 150 ms timeout and a cache, and I set up an alert on p95 latency. As a result checkout errors dropped from 12% to " +
        "under 0.5% within twenty minutes, and we kept about 40,000 dollars of orders that evening. I learned to put timeouts on every " +
        "new dependency before launch, and since then I have added that check to our release review, which has caught two similar issues.";

    /// <summary>The benchmark answer, with every sentence made unique to run <paramref name="run"/>.</summary>
    private static string Distinct(int run) =>
        string.Join(' ', Answer.Split(". ").Select((sentence, k) => string.Create(CultureInfo.InvariantCulture, $"{sentence.TrimEnd('.')} (note {run}-{k}).")));

    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Measured runs.", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured runs first.", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var text = new Command("text", "Latency of a text coaching turn.") { iterations, warmup, json };
        text.SetAction(async (parse, cancellationToken) =>
        {
            var runs = parse.GetValue(iterations);
            var warm = parse.GetValue(warmup);
            if (runs is < 1 or > 100_000 || warm is < 0 or > 100_000)
            {
                throw new UsageException("--iterations must be 1–100000 and --warmup 0–100000.");
            }

            var directory = Directory.CreateTempSubdirectory("coachbot-bench-");
            try
            {
                var bench = new CliContext(TextWriter.Null, context.Error, b =>
                {
                    context.Configure?.Invoke(b);
                    b.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DatabasePath)}"] = Path.Combine(directory.FullName, "bench.db");
                });
                await using (bench)
                {
                    var pipeline = bench.Services.GetRequiredService<ICoachingPipeline>();
                    var question = bench.Services.GetRequiredService<IQuestionBank>().Filter(Roles.General, Categories.Behavioral)[0];
                    var samples = new List<double>(runs);
                    for (var i = 0; i < warm + runs; i++)
                    {
                        // Every sentence differs from run to run, so the sentence model embeds a new answer each time
                        // (a repeated text would come from its cache).
                        var request = new AnswerRequest(new SessionKey("bench", $"user{i % 50}"), Distinct(i)) { QuestionId = question.Id };
                        var started = Stopwatch.GetTimestamp();
                        var outcome = await pipeline.CoachAsync(request, cancellationToken);
                        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        if (outcome.Report is null)
                        {
                            await context.Error.WriteLineAsync($"The benchmark answer was refused: {outcome.Error?.Message}");
                            return CoachBotCli.Refused;
                        }

                        if (i >= warm)
                        {
                            samples.Add(elapsed);
                        }
                    }

                    samples.Sort();
                    var result = new
                    {
                        benchmark = "text coaching turn",
                        iterations = runs,
                        medianMs = Math.Round(Percentile(samples, 0.5), 3),
                        p95Ms = Math.Round(Percentile(samples, 0.95), 3),
                        minMs = Math.Round(samples[0], 3),
                        maxMs = Math.Round(samples[^1], 3),
                        processors = Environment.ProcessorCount,
                        workingSetMb = Environment.WorkingSet / (1024 * 1024),
                    };
                    await context.Output.WriteLineAsync(parse.GetValue(json)
                        ? JsonSerializer.Serialize(result, ReportJson.Options)
                        : string.Create(CultureInfo.InvariantCulture,
                            $"text coaching turn: median {result.medianMs} ms, p95 {result.p95Ms} ms, min {result.minMs} ms, max {result.maxMs} ms over {runs} runs ({result.processors} cores); process working set {result.workingSetMb} MB with the sentence model loaded"));
                    return CoachBotCli.Ok;
                }
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        });
        return new Command("bench", "Measure performance.") { text, VoiceBench.Create(context), WhisperBenchCommand.Create(context), LlmBenchCommand.Create(context), KnowledgeBench.Create(context), AckBenchCommand.Create(context), ScaleBenchCommand.Create(context) };
    }

    /// <summary>The median of unsorted samples (the mean of the middle two for an even count).</summary>
    internal static double Median(IEnumerable<double> samples) => Percentile([.. samples.Order()], 0.5);

    /// <summary>The <paramref name="p"/> quantile of sorted samples, interpolated between neighbours.</summary>
    internal static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
