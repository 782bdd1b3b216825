using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Storage;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench knowledge</c>: ingest throughput and query latency (p50/p99 for BM25, vector and hybrid) of the
/// knowledge store at several corpus sizes, and the memory of the in-memory vector matrix, on a throw-away database.
/// Synthetic corpus, one chunk (~230 tokens) per document, fixed seed: <c>mixed</c> (default) is three sentences drawn from
/// the built-in articles plus filler words drawn by Zipf's law from a 50,000-word made-up vocabulary, like a knowledge base
/// of many topics; <c>topical</c> is article sentences only, the worst case for BM25 (every chunk shares one small
/// vocabulary, so a query's words match most chunks and all of them are scored).
/// </summary>
internal static partial class KnowledgeBench
{
    private static readonly string[] Queries =
    [
        "how do I stop saying um", "what salary should I ask for", "tell me about a time you failed", "I talk too fast when I am nervous",
        "finish the story with a measurable result", "we delivered the project as a team", "how to structure a system design answer",
        "calming down an angry customer", "negotiate a better offer", "how do I explain a gap in my CV", "my mind went blank",
        "questions to ask the interviewer at the end",
    ];

    public static Command Create(CliContext context)
    {
        var sizes = new Option<string>("--sizes") { Description = "Corpus sizes in chunks, comma-separated.", DefaultValueFactory = _ => "1000,10000,100000" };
        var queries = new Option<int>("--queries") { Description = "Measured queries per mode and size.", DefaultValueFactory = _ => 300 };
        var corpus = new Option<string>("--corpus") { Description = "mixed (article sentences among many other topics) or topical (article sentences only).", DefaultValueFactory = _ => "mixed" };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("knowledge", "Knowledge store: ingest throughput, query latency, vector memory.") { sizes, queries, corpus, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var counts = new List<int>();
            foreach (var part in parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 10 or > 1_000_000)
                {
                    throw new UsageException($"--sizes takes chunk counts from 10 to 1000000, comma-separated; '{part}' is not one.");
                }

                counts.Add(n);
            }

            var kind = parse.GetValue(corpus)!;
            if (kind is not ("mixed" or "topical"))
            {
                throw new UsageException($"Unknown corpus '{kind}'. Corpora: mixed, topical.");
            }

            var runs = parse.GetValue(queries);
            if (runs is < 1 or > 100_000)
            {
                throw new UsageException("--queries must be 1–100000.");
            }

            var sentences = ArticleSentences();
            if (sentences.Count == 0)
            {
                await context.Error.WriteLineAsync("The built-in articles were not found next to the program; the synthetic corpus is built from them.");
                return CoachBotCli.Refused;
            }

            var results = new List<object>();
            foreach (var size in counts)
            {
                var result = await MeasureAsync(context, size, runs, sentences, kind == "mixed", cancellationToken);
                if (result is null)
                {
                    return CoachBotCli.Refused;
                }

                results.Add(result);
                if (!parse.GetValue(json))
                {
                    await context.Output.WriteLineAsync(result.ToString());
                }
            }

            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { benchmark = "knowledge store", corpus = kind, processors = Environment.ProcessorCount, results }, ReportJson.Options));
            }

            return CoachBotCli.Ok;
        });
        return command;
    }

    private sealed record Latency(double P50Ms, double P99Ms)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms:0.###} ms, p99 {P99Ms:0.###} ms");
    }

    private sealed record SizeResult(int Chunks, double IngestSeconds, double ChunksPerSecond, long VectorMatrixBytes, string EmbeddingModel, Latency Bm25, Latency Vector, Latency Hybrid)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Chunks,7} chunks: ingest {IngestSeconds:0.0} s ({ChunksPerSecond:0} chunks/s), vector matrix {VectorMatrixBytes / 1048576.0:0.0} MiB | bm25 {Bm25} | vector {Vector} | hybrid {Hybrid}");
    }

    private static async Task<SizeResult?> MeasureAsync(CliContext context, int size, int runs, List<string> sentences, bool mixed, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("coachbot-bench-knowledge-");
        try
        {
            var bench = new CliContext(TextWriter.Null, context.Error, b =>
            {
                context.Configure?.Invoke(b);
                b.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DatabasePath)}"] = Path.Combine(directory.FullName, "bench.db");
                b.Configuration[$"{KnowledgeOptions.SectionName}:{nameof(KnowledgeOptions.IngestBuiltIn)}"] = "false";
            });
            await using (bench)
            {
                var store = bench.Services.GetRequiredService<IKnowledgeStore>();
                var random = new Random(size);
                var roles = CoachBot.Coaching.Questions.Roles.All;
                var categories = CoachBot.Coaching.Questions.Categories.All;
                var started = Stopwatch.GetTimestamp();
                for (var batch = 0; batch < size; batch += 1000)
                {
                    var documents = new List<KnowledgeDocument>();
                    for (var i = batch; i < Math.Min(size, batch + 1000); i++)
                    {
                        // About 170 words (~230 tokens): one chunk per document.
                        var text = new StringBuilder();
                        while (text.Length < (mixed ? 250 : 1000))
                        {
                            text.Append(sentences[random.Next(sentences.Count)]).Append(' ');
                        }

                        for (var w = 0; mixed && w < 130; w++)
                        {
                            text.Append(Filler.Next(random)).Append(w % 12 == 11 ? ". " : " ");
                        }

                        documents.Add(new KnowledgeDocument($"synthetic/{i}.md", $"Synthetic {i}: {sentences[random.Next(sentences.Count)][..20]}", text.ToString())
                        {
                            Roles = random.Next(3) == 0 ? [] : [roles[random.Next(roles.Count)]],
                            Categories = random.Next(2) == 0 ? [] : [categories[random.Next(categories.Count)]],
                        });
                    }

                    await store.IngestAsync(documents, cancellationToken);
                }

                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var stats = await store.GetStatsAsync(cancellationToken);
                if (stats.EmbeddingModel is null)
                {
                    await context.Error.WriteLineAsync($"No embedding model: {stats.EmbeddingUnavailableReason}. The vector and hybrid figures need one.");
                    return null;
                }

                var bm25 = await TimeAsync(store, KnowledgeSearchMode.Bm25, runs, cancellationToken);
                var vector = await TimeAsync(store, KnowledgeSearchMode.Vector, runs, cancellationToken);
                var hybrid = await TimeAsync(store, KnowledgeSearchMode.Hybrid, runs, cancellationToken);
                return new SizeResult(stats.Chunks, Math.Round(seconds, 2), Math.Round(stats.Chunks / seconds), stats.VectorMatrixBytes, stats.EmbeddingModel, bm25, vector, hybrid);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<Latency> TimeAsync(IKnowledgeStore store, KnowledgeSearchMode mode, int runs, CancellationToken cancellationToken)
    {
        var warmup = Math.Min(20, runs);
        var samples = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var query = new KnowledgeQuery(Queries[i % Queries.Length]) { Mode = mode, Top = 5 };
            var started = Stopwatch.GetTimestamp();
            await store.SearchAsync(query, cancellationToken);
            if (i >= warmup)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        samples.Sort();
        return new Latency(Math.Round(BenchCommand.Percentile(samples, 0.50), 3), Math.Round(BenchCommand.Percentile(samples, 0.99), 3));
    }

    /// <summary>Made-up words ("zxab", "zxac", …) drawn by Zipf's law (rank r with probability ∝ 1/r).</summary>
    private static class Filler
    {
        private const int Vocabulary = 50_000;
        private static readonly double[] Cumulative = Build();

        public static string Next(Random random)
        {
            var index = Array.BinarySearch(Cumulative, random.NextDouble());
            var rank = index < 0 ? ~index : index;
            var word = new StringBuilder("zx");
            for (var n = rank; ; n /= 26)
            {
                word.Append((char)('a' + (n % 26)));
                if (n < 26)
                {
                    break;
                }
            }

            return word.ToString();
        }

        private static double[] Build()
        {
            var cumulative = new double[Vocabulary];
            var sum = 0.0;
            for (var r = 0; r < Vocabulary; r++)
            {
                sum += 1.0 / (r + 1);
                cumulative[r] = sum;
            }

            for (var r = 0; r < Vocabulary; r++)
            {
                cumulative[r] /= sum;
            }

            return cumulative;
        }
    }

    private static List<string> ArticleSentences()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "knowledge");
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*.md")
            .SelectMany(f => SentenceEnd().Split(File.ReadAllText(f).Split("\n---\n", 2)[^1]))
            .Select(s => s.Replace('\n', ' ').Trim().TrimStart('#', '-', ' '))
            .Where(s => s.Length >= 40)];
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
