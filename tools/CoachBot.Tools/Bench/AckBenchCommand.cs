using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench ack</c>: how fast the host acknowledges platform requests (Slack events, Teams activities) over
/// real HTTP on loopback, while its worker coaches the queued answers in the background. Slack allows 3 s and Teams
/// about 15 s; the target is well under a second.
/// </summary>
internal static class AckBenchCommand
{
    private const string Answer =
        "Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, then I " +
        "split the test suite and added caching. As a result builds went from 40 to 12 minutes.";

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var requests = new Option<int>("--requests") { Description = "Measured requests per platform.", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once (1 sends them one after another).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("ack", "Acknowledgement latency of Slack events and Teams activities over loopback HTTP.") { requests, concurrency, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(requests);
            var parallel = parse.GetValue(concurrency);
            if (count is < 1 or > 100_000)
            {
                throw new UsageException("--requests must be 1–100000.");
            }

            if (parallel is < 1 or > 1_000)
            {
                throw new UsageException("--concurrency must be 1–1000.");
            }

            var directory = Directory.CreateTempSubdirectory("coachbot-bench-ack-");
            var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            try
            {
                // Development, because the Teams side runs without an app id (local mode, loopback callers only), which
                // any other environment refuses outright; the settings below are all the bench reads.
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [], ContentRootPath = directory.FullName });
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Storage:DatabasePath"] = Path.Combine(directory.FullName, "bench.db"),
                    ["Slack:SigningSecret"] = secret,
                    ["Slack:BotToken"] = "xoxb-bench",
                    // Placeholders and replies go nowhere (a closed loopback port): this measures the acknowledgement only.
                    ["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api/",
                    ["Logging:LogLevel:Default"] = "None",
                    [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
                });
                builder.AddCoachBotHost();
                await using var app = builder.Build();
                app.MapCoachBot();
                await app.StartAsync(cancellationToken);
                var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel }) { BaseAddress = address };

                // A few unmeasured requests warm up the JIT, the connections and the database.
                await MeasureAsync(client, Math.Max(10, parallel), parallel, i => SlackEvent(secret, "warm" + i), cancellationToken);
                await MeasureAsync(client, Math.Max(10, parallel), parallel, i => TeamsActivity("warm" + i), cancellationToken);
                var slack = await MeasureAsync(client, count, parallel, i => SlackEvent(secret, i.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                var teams = await MeasureAsync(client, count, parallel, i => TeamsActivity(i.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                await app.StopAsync(CancellationToken.None);

                var result = new
                {
                    benchmark = "platform acknowledgement",
                    requests = count,
                    concurrency = parallel,
                    processors = Environment.ProcessorCount,
                    slack,
                    teams,
                };
                if (parse.GetValue(json))
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, Indented));
                }
                else
                {
                    await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Acknowledgement over loopback HTTP, {count} requests each, {parallel} in flight, {result.processors} cores, worker coaching in the background:\n" +
                        $"  Slack event:    {Describe(slack)}\n" +
                        $"  Teams activity: {Describe(teams)}"));
                }

                return CoachBotCli.Ok;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>Sends <paramref name="count"/> requests with <paramref name="parallel"/> in flight at once.</summary>
    private static async Task<Latency> MeasureAsync(HttpClient client, int count, int parallel, Func<int, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var samples = new double[count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var senders = Enumerable.Range(0, Math.Min(parallel, count)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var message = request(i);
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(message, cancellationToken);
                samples[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The host refused a benchmark request to {message.RequestUri}: HTTP {(int)response.StatusCode}.");
                }
            }
        }, cancellationToken));
        await Task.WhenAll(senders);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var sorted = samples.Order().ToList();
        return new Latency(
            Math.Round(BenchCommand.Percentile(sorted, 0.5), 2), Math.Round(BenchCommand.Percentile(sorted, 0.95), 2),
            Math.Round(BenchCommand.Percentile(sorted, 0.99), 2), Math.Round(sorted[^1], 2),
            sorted.Count(ms => ms >= 1_000), Math.Round(count / seconds, 1));
    }

    private sealed record Latency(double MedianMs, double P95Ms, double P99Ms, double MaxMs, int OverOneSecond, double RequestsPerSecond);

    private static string Describe(Latency l) => string.Create(CultureInfo.InvariantCulture,
        $"median {l.MedianMs} ms, p95 {l.P95Ms} ms, p99 {l.P99Ms} ms, max {l.MaxMs} ms, {l.OverOneSecond} took 1 s or more, {l.RequestsPerSecond} requests/s");

    private static HttpRequestMessage SlackEvent(string secret, string id)
    {
        var ts = "1700000000." + id.PadLeft(6, '0');
        var body = new JsonObject
        {
            ["type"] = "event_callback",
            ["team_id"] = "TBENCH",
            ["event_id"] = "EvBench" + id,
            ["event"] = new JsonObject
            {
                ["type"] = "message", ["channel_type"] = "im", ["channel"] = "DBENCH", ["user"] = "U" + id, ["text"] = Answer, ["ts"] = ts,
            },
        }.ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }

    private static HttpRequestMessage TeamsActivity(string id)
    {
        // Local development mode (no app id): the host accepts loopback requests without a token.
        var body = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "bench-" + id,
            ["channelId"] = "msteams",
            ["serviceUrl"] = "http://127.0.0.1:9/",
            ["from"] = new JsonObject { ["id"] = "29:user" + id, ["name"] = "Bench" },
            ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "CoachBot" },
            ["conversation"] = new JsonObject { ["id"] = "a:bench" + id, ["conversationType"] = "personal" },
            ["text"] = Answer,
        }.ToJsonString();
        return new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
