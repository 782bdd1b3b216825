using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.Cli;
using CoachBot.Bot.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench scale</c>: acknowledgement latency and coached turns per second for one, two and three
/// instances on PostgreSQL and one on SQLite. Each instance is a complete host (its own services, worker, Kestrel on a
/// loopback port, <c>Queue:InstanceId</c>) in this process; signed Slack answers are spread across them round robin and
/// their replies go to a small Slack Web API on loopback that counts the report cards.
/// </summary>
internal static class ScaleBenchCommand
{
    private static readonly string[] Answers =
    [
        "Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, then I " +
            "split the test suite and added caching. As a result builds went from 40 to 12 minutes.",
        "In my previous role I noticed our onboarding took three weeks. I wrote a checklist, paired every new hire with a buddy " +
            "and measured time to first commit. As a result onboarding dropped to eight days and I shared the template with two teams.",
    ];

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var answers = new Option<int>("--answers") { Description = "Measured answers per configuration.", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once, across the instances.", DefaultValueFactory = _ => 16 };
        var instances = new Option<string>("--instances") { Description = "Instance counts to run on PostgreSQL, comma-separated.", DefaultValueFactory = _ => "1,2,3" };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string whose user may create databases (default: COACHBOT_BENCH_POSTGRES); without one only SQLite runs." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("scale", "Acknowledgement latency and coached turns per second for 1-3 instances on PostgreSQL and one on SQLite.")
        {
            answers, concurrency, instances, postgres, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(answers);
            var parallel = parse.GetValue(concurrency);
            if (count is < 1 or > 10_000)
            {
                throw new UsageException("--answers must be 1–10000.");
            }

            if (parallel is < 1 or > 1_000)
            {
                throw new UsageException("--concurrency must be 1–1000.");
            }

            var counts = new List<int>();
            foreach (var part in (parse.GetValue(instances) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 8)
                {
                    throw new UsageException($"--instances takes counts from 1 to 8 separated by commas, for example 1,2,3; '{part}' is not one.");
                }

                counts.Add(n);
            }

            var connection = parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable("COACHBOT_BENCH_POSTGRES");
            var rows = new List<Row>();
            await using var slack = await CardCounter.StartAsync(cancellationToken);
            rows.Add(await RunAsync(slack, null, 1, count, parallel, context, cancellationToken));
            if (string.IsNullOrWhiteSpace(connection))
            {
                await context.Error.WriteLineAsync("No PostgreSQL connection string (--postgres or COACHBOT_BENCH_POSTGRES): only SQLite was measured.");
            }
            else
            {
                foreach (var n in counts)
                {
                    rows.Add(await RunAsync(slack, connection, n, count, parallel, context, cancellationToken));
                }
            }

            var result = new { benchmark = "instances", answers = count, concurrency = parallel, processors = Environment.ProcessorCount, rows };
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, Indented));
            }
            else
            {
                var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                    $"{count} typed Slack answers per row, {parallel} requests in flight, {result.processors} cores, instances in one process:\n"));
                foreach (var row in rows)
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $"  {row.Provider,-8} x{row.Instances}: acknowledgement p50 {row.AckP50Ms} ms, p99 {row.AckP99Ms} ms; {row.CoachedPerSecond} coached turns/s ({row.Seconds} s)\n");
                }

                await context.Output.WriteAsync(text.ToString());
            }

            return CoachBotCli.Ok;
        });
        return command;
    }

    private sealed record Row(string Provider, int Instances, double AckP50Ms, double AckP99Ms, double CoachedPerSecond, double Seconds);

    private static async Task<Row> RunAsync(CardCounter slack, string? postgres, int instances, int count, int parallel, CliContext context, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("coachbot-bench-scale-");
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var database = "coachbot_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        string? connection = null;
        var hosts = new List<WebApplication>();
        try
        {
            if (postgres is not null)
            {
                await AdminAsync(postgres, $"CREATE DATABASE {database}", cancellationToken);
                connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database, MaxPoolSize = 30 }.ConnectionString;
            }

            await context.Error.WriteLineAsync($"Starting {instances} instance(s) on {(postgres is null ? "SQLite" : "PostgreSQL")}…");
            for (var i = 0; i < instances; i++)
            {
                hosts.Add(await StartHostAsync(directory.FullName, slack, secret, signingKey, connection, i, cancellationToken));
            }

            var addresses = hosts.Select(h => new Uri(h.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())).ToList();
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel }) { Timeout = TimeSpan.FromMinutes(2) };

            // Unmeasured: a few answers per instance warm up the JIT, the connections, the models and the database.
            var prefix = $"{(postgres is null ? "S" : "P")}{instances}";
            var warm = 3 * instances;
            await SendAsync(client, addresses, secret, prefix + "W", warm, parallel, start: true, cancellationToken);
            await slack.WaitForAsync(prefix + "W", warm, cards: false, cancellationToken);
            await SendAsync(client, addresses, secret, prefix + "W", warm, parallel, start: false, cancellationToken);
            await slack.WaitForAsync(prefix + "W", warm, cards: true, cancellationToken);

            // Each measured person has a practice session first (a first message is answered with a question, not coached).
            await SendAsync(client, addresses, secret, prefix + "M", count, parallel, start: true, cancellationToken);
            await slack.WaitForAsync(prefix + "M", count, cards: false, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var latencies = await SendAsync(client, addresses, secret, prefix + "M", count, parallel, start: false, cancellationToken);
            await slack.WaitForAsync(prefix + "M", count, cards: true, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var sorted = latencies.Order().ToList();
            return new Row(postgres is null ? "sqlite" : "postgres", instances,
                Math.Round(BenchCommand.Percentile(sorted, 0.5), 2), Math.Round(BenchCommand.Percentile(sorted, 0.99), 2),
                Math.Round(count / seconds, 2), Math.Round(seconds, 1));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync(CancellationToken.None);
                await host.DisposeAsync();
            }

            if (connection is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await AdminAsync(postgres!, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }

            directory.Delete(recursive: true);
        }
    }

    private static async Task<WebApplication> StartHostAsync(string directory, CardCounter slack, string secret, string signingKey, string? connection, int index, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(directory, "instance-" + index.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [], ContentRootPath = folder });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = Path.Combine(directory, "bench.db"),
            ["Audio:TempDirectory"] = Path.Combine(folder, "turns"),
            ["Queue:InstanceId"] = "bench-" + index.ToString(CultureInfo.InvariantCulture),
            ["Slack:SigningSecret"] = secret,
            ["Slack:BotToken"] = "xoxb-bench",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "None",
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
        };
        if (connection is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = connection;
            settings["Recordings:SigningKey"] = signingKey;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoachBotHost();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapCoachBot();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Sends <paramref name="count"/> answers, each from its own person, round robin across the instances.</summary>
    private static async Task<double[]> SendAsync(HttpClient client, List<Uri> addresses, string secret, string prefix, int count, int parallel, bool start, CancellationToken cancellationToken)
    {
        var samples = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var request = SlackEvent(secret, prefix, i, start);
                request.RequestUri = new Uri(addresses[i % addresses.Count], "slack/events");
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request, cancellationToken);
                samples[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The host refused a benchmark event: HTTP {(int)response.StatusCode}.");
                }
            }
        }, cancellationToken)));
        return samples;
    }

    private static HttpRequestMessage SlackEvent(string secret, string prefix, int i, bool start)
    {
        var id = i.ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["type"] = "event_callback",
            ["team_id"] = "TBENCH",
            ["event_id"] = $"EvScale{prefix}{id}{(start ? "s" : "a")}",
            ["event"] = new JsonObject
            {
                ["type"] = "message", ["channel_type"] = "im", ["channel"] = $"D{prefix}{id}", ["user"] = $"U{prefix}{id}",
                ["text"] = start ? "start software-engineer" : Answers[i % Answers.Length], ["ts"] = (start ? "1700000000." : "1700000001.") + id.PadLeft(6, '0'),
                ["team"] = "TBENCH",
            },
        }.ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }

    private static async Task AdminAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A Slack Web API on loopback that answers every method "ok" and notes each conversation a report card
    /// ("Overall …") was posted or written to.
    /// </summary>
    private sealed class CardCounter : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
        private readonly ConcurrentDictionary<string, byte> _carded = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _replied = new(StringComparer.Ordinal);
        private long _ts;

        private CardCounter(WebApplication app) => _app = app;

        public Uri ApiBaseUrl { get; private set; } = null!;

        public static async Task<CardCounter> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var counter = new CardCounter(app);
            app.MapPost("/api/{method}", (HttpRequest request, string method) => counter.AnswerAsync(request, method));
            await app.StartAsync(cancellationToken);
            counter.ApiBaseUrl = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/api/");
            return counter;
        }

        public async Task WaitForAsync(string prefix, int count, bool cards, CancellationToken cancellationToken)
        {
            var seen = cards ? _carded : _replied;
            // Generous: the bench measures, it does not judge; a loaded machine may take minutes.
            var giveUp = Stopwatch.GetTimestamp();
            while (seen.Keys.Count(k => k.StartsWith("D" + prefix, StringComparison.Ordinal)) < count)
            {
                if (Stopwatch.GetElapsedTime(giveUp) > TimeSpan.FromMinutes(20))
                {
                    throw new TimeoutException($"Only {seen.Keys.Count(k => k.StartsWith("D" + prefix, StringComparison.Ordinal))} of {count} people were {(cards ? "coached" : "answered")} within 20 minutes.");
                }

                await Task.Delay(20, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        internal async Task<IResult> AnswerAsync(HttpRequest request, string method)
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            string? channel = null;
            string? text = null;
            try
            {
                var node = JsonNode.Parse(body);
                channel = node?["channel"]?.ToString();
                text = node?["text"]?.ToString();
            }
            catch (JsonException)
            {
                // A form-encoded call: nothing to count.
            }

            if (channel is not null && method is "chat.postMessage" or "chat.update" && !Placeholders.Contains(text))
            {
                _replied.TryAdd(channel, 0);
                if (body.Contains("Overall ", StringComparison.Ordinal))
                {
                    _carded.TryAdd(channel, 0);
                }
            }

            var ts = "1800000000." + Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject
            {
                ["ok"] = true, ["channel"] = channel ?? "DBENCH", ["ts"] = ts, ["message"] = new JsonObject { ["ts"] = ts },
                ["messages"] = new JsonArray(), ["has_more"] = false, ["user_id"] = "UBOT", ["bot_id"] = "BBOT",
            });
        }
    }
}
