using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// A real host process and a fake Slack under a burst: 1,000 events from 100 people, sent 100 at a time, every one
/// delivered a second time as Slack's retry, with Slack rate-limiting some posts. Every event ends with exactly one
/// visible reply in its thread and no placeholder is left.
/// </summary>
public sealed class DeliveryBurstTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int People = 100;
    private const int EventsEach = 10;
    private const int Concurrency = 100;
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Burst_1000EventsAt100AtATimeWithRetriesAndRateLimits_OneReplyEachAndNoPlaceholderLeft()
    {
        var posts = 0;
        // Slack rate-limits one post in 25: the Web API client waits for Retry-After and posts again.
        _slack.Override("chat.postMessage", _ => Interlocked.Increment(ref posts) % 25 == 0 ? (429, "{\"ok\":false,\"error\":\"ratelimited\"}", "1") : null);
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("burst.db"),
            ["Slack:SigningSecret"] = Secret,
            ["Slack:BotToken"] = "xoxb-test",
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
        });
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

        // Each event twice: first as sent, then as Slack's retry of it (X-Slack-Retry-Num), all mixed together.
        var events = Enumerable.Range(0, People * EventsEach).Select(Event).ToList();
        var sends = events.Select(e => (Event: e, Retry: (int?)null)).Concat(events.Select(e => (Event: e, Retry: (int?)1)))
            .OrderBy(s => (s.Event.Number * 7919) % 2000 + (s.Retry is null ? 0 : 1)).ToList();
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(Concurrency);
        var refused = 0;
        await Task.WhenAll(sends.Select(async send =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.SendAsync(SignedEvent(send.Event.Payload, retryNum: send.Retry));
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref refused);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var acknowledged = clock.Elapsed;

        // Generous: on a loaded machine a thousand turns take minutes; nothing here is timed.
        var giveUp = DateTime.UtcNow.AddMinutes(15);
        while (await QueuedAsync(client) is var (pending, running, done) && (pending + running > 0 || done < events.Count))
        {
            Assert.True(DateTime.UtcNow < giveUp, $"gave up waiting: {pending} pending, {running} running, {done} done; host output:\n" + host.Output);
            await Task.Delay(500);
        }

        var delivered = clock.Elapsed;
        var visible = _slack.Visible;
        var perThread = visible.GroupBy(m => (m.Channel, m.ThreadTs)).ToDictionary(g => g.Key, g => g.Count());
        var lost = events.Count(e => !perThread.ContainsKey((e.Channel, e.Ts)));
        var duplicated = perThread.Values.Count(c => c > 1);
        var stale = visible.Count(m => Placeholders.Contains(m.Text));
        output.WriteLine(
            $"{events.Count} events, {sends.Count} requests at {Concurrency} at a time: acknowledged in {acknowledged.TotalSeconds:F1} s, all delivered after "
            + $"{delivered.TotalSeconds:F1} s; {_slack.CallsTo("chat.postMessage").Count} chat.postMessage calls ({posts / 25} answered 429), "
            + $"{_slack.CallsTo("chat.update").Count} chat.update, {_slack.CallsTo("conversations.replies").Count} look-ups; "
            + $"visible {visible.Count}, lost {lost}, duplicated {duplicated}, stale placeholders {stale}, refused {refused}");

        Assert.Equal(0, refused);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, stale);
        Assert.Equal(events.Count, visible.Count);
    }

    private static (int Number, string Channel, string Ts, JsonObject Payload) Event(int number)
    {
        var person = number % People;
        var channel = $"D{person:D4}";
        var ts = $"1700001000.{number:D6}";
        // Mostly commands, every tenth a typed answer, so both the quick path and the coaching path are in the burst.
        var text = number % 10 == 0 ? CliRun.Answer : "help";
        return (number, channel, ts, Message(text, user: $"U{person:D4}", channel: channel, ts: ts, eventId: $"Ev-burst-{number}"));
    }

    private static async Task<(int Pending, int Running, int Done)> QueuedAsync(HttpClient client)
    {
        var health = await client.GetFromJsonAsync<JsonObject>("/healthz");
        var queue = health!["queue"]!;
        return ((int)queue["pending"]!, (int)queue["running"]!, (int)queue["done"]! + (int)queue["failed"]!);
    }
}
