using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using Npgsql;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Three real host processes (<c>dotnet coachbot.dll</c>, <c>Storage:Provider=Postgres</c>) on one PostgreSQL database
/// and one fake Slack Web API on 127.0.0.1, as several instances behind one load balancer: signed Slack events from a
/// hundred people are spread across the three, some delivered again as Slack's retries and some twice at once to two
/// instances, and one instance is killed with SIGKILL in the middle and started again under a new name (as a replaced
/// container would be), so the turns it had claimed are taken over by whichever instance finds their lease expired. Every event ends
/// with exactly one visible reply in its thread, every answer with one report card, nothing lost, no placeholder left,
/// and the database holds one attempt per answer and one turn per event.
/// </summary>
public sealed class ThreeInstancesTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Instances = 3;
    private const int People = 100;
    private const int EventsEach = 10;
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];

    private static readonly string[] TypedAnswers =
    [
        CliRun.Answer,
        "In my previous role I noticed our onboarding took three weeks. I wrote a checklist, paired every new hire with a buddy "
            + "and measured time to first commit. As a result onboarding dropped to eight days and I shared the template with two teams.",
        "Last year our checkout service failed under peak load. I profiled the slow queries, added an index and a cache, and "
            + "wrote a load test we run before every release. Errors fell from four percent to almost zero and I taught the team the method.",
    ];

    private readonly TempFolder _folder = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Uri?[] _addresses = new Uri?[Instances];
    private readonly StringBuilder _killedOutput = new();
    private FakeSlack _slack = null!;
    private int _acknowledged;
    private int _rerouted;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private sealed record Planned(int Number, string Channel, string Ts, bool IsAnswer, JsonObject Payload, bool Retried, bool Duplicated);

    [PostgresFact]
    public async Task ThreeInstances_1000EventsWithRetriesAndDuplicates_OneKilledAndRestarted_OneReplyEachAndEveryAnswerCoachedOnce()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var events = Plan();
        var answers = events.Where(e => e.IsAnswer).ToList();
        var hosts = new RunningHost?[Instances];
        var clock = Stopwatch.StartNew();
        try
        {
            // Started one after another: the first applies the migrations and seeds the knowledge, the others find both done.
            for (var i = 0; i < Instances; i++)
            {
                hosts[i] = await StartAsync(storage, i);
            }

            var started = clock.Elapsed;
            var sending = Task.WhenAll(events.GroupBy(e => e.Channel).Select(person => SendInOrderAsync([.. person])));

            // SIGKILL the second instance once half the events are acknowledged: turns it claimed die with it.
            await Until(() => Volatile.Read(ref _acknowledged) >= events.Count / 2 || sending.IsCompleted, () => Outputs(hosts));
            var killedAt = $"{(clock.Elapsed - started).TotalSeconds:F0} s after {Volatile.Read(ref _acknowledged)} events acknowledged, "
                + $"{_slack.Visible.Count(m => !Placeholders.Contains(m.Text))} replies visible";
            _addresses[1] = null;
            var text = hosts[1]!.Output;
            await hosts[1]!.DisposeAsync();
            hosts[1] = null;
            lock (_killedOutput)
            {
                _killedOutput.AppendLine(text).AppendLine("======== instance-1 killed (SIGKILL) ========");
            }

            // Down while the other two take a share of the events (a load balancer sends them elsewhere), then back.
            var target = Volatile.Read(ref _acknowledged) + (events.Count / 10);
            await Until(() => Volatile.Read(ref _acknowledged) >= target || sending.IsCompleted, () => Outputs(hosts));
            hosts[1] = await StartAsync(storage, 1, "instance-1-restarted");

            await sending.WaitAsync(TimeSpan.FromMinutes(15));
            var acknowledged = clock.Elapsed - started;

            // Generous: on a loaded machine hundreds of answers take minutes to coach; nothing here is timed.
            var giveUp = DateTime.UtcNow.AddMinutes(15);
            while (!(Settled(events) && await UnfinishedAsync(storage) == 0))
            {
                Assert.True(DateTime.UtcNow < giveUp, $"gave up waiting: {Summary(events)}\n{Outputs(hosts)}");
                await Task.Delay(500);
            }

            var settled = clock.Elapsed - started;
            var shown = _slack.Visible;
            var perThread = shown.GroupBy(m => (m.Channel, m.ThreadTs)).ToDictionary(g => g.Key, g => g.ToList());
            var lost = events.Where(e => !perThread.ContainsKey((e.Channel, e.Ts))).ToList();
            var duplicated = events.Where(e => perThread.TryGetValue((e.Channel, e.Ts), out var m) && m.Count > 1).ToList();
            var stale = shown.Where(m => Placeholders.Contains(m.Text)).ToList();
            var elsewhere = shown.Where(m => !perThread.ContainsKey((m.Channel, m.ThreadTs)) || !events.Any(e => e.Channel == m.Channel && e.Ts == m.ThreadTs)).ToList();
            var uncoached = answers.Where(e => !(perThread.TryGetValue((e.Channel, e.Ts), out var m) && m.Count == 1 && IsCard(m[0].Blocks))).ToList();

            // The database: one turn per event (retries and duplicates never queued again), all done; one attempt per answer.
            var turns = await TurnsAsync(storage);
            var attempts = await AttemptKeysAsync(storage);
            var answerKeys = answers.Select(e => $"{e.Channel}:{e.Ts}").ToHashSet(StringComparer.Ordinal);
            var wrongAttempts = attempts.GroupBy(k => k).Where(g => g.Count() > 1 || !answerKeys.Contains(g.Key)).Select(g => $"{g.Key} x{g.Count()}")
                .Concat(answerKeys.Except(attempts).Select(k => $"{k} none")).ToList();
            var claimedAgain = turns.Values.Count(t => t.Attempts > 1);

            // The fake's calls: a report card is sent (posted, or written over the placeholder) once per answer; a second
            // send of it only for a turn claimed again after the kill (its stored result re-delivered, not coached again).
            var threadOf = shown.ToDictionary(m => (m.Channel, m.Ts), m => m.ThreadTs);
            var cardSends = _slack.CallsTo("chat.postMessage").Concat(_slack.CallsTo("chat.update"))
                .Where(c => IsCard(c.Body["blocks"] as JsonArray))
                .Select(c => (Channel: c.Body["channel"]!.ToString(),
                    Thread: c.Method == "chat.update" ? threadOf.GetValueOrDefault((c.Body["channel"]!.ToString(), c.Body["ts"]!.ToString())) : c.Body["thread_ts"]?.ToString()))
                .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            var cardSentTwice = answers.Where(e => cardSends.GetValueOrDefault((e.Channel, e.Ts)) > 1
                && turns.GetValueOrDefault($"{e.Channel}:{e.Ts}").Attempts <= 1).ToList();

            var summary = $"{events.Count} events ({answers.Count} answers, {events.Count(e => e.Retried)} retried, {events.Count(e => e.Duplicated)} sent twice at once) "
                + $"to {Instances} instances on PostgreSQL, instance-1 killed {killedAt} and restarted as instance-1-restarted; all acknowledged after {acknowledged.TotalSeconds:F0} s "
                + $"({_rerouted} deliveries taken by another instance than the one picked), settled after {settled.TotalSeconds:F0} s (start-up {started.TotalSeconds:F0} s before); "
                + $"load average {LoadAverage()}; {_slack.CallsTo("chat.postMessage").Count} chat.postMessage, {_slack.CallsTo("chat.update").Count} chat.update, "
                + $"{_slack.CallsTo("conversations.history").Count + _slack.CallsTo("conversations.replies").Count} look-ups; {turns.Count} turns "
                + $"({claimedAgain} claimed again after the kill, {turns.Values.Count(t => t.Status != "done")} not done), {attempts.Count} attempts; "
                + $"visible {shown.Count}, lost {lost.Count}, duplicated {duplicated.Count}, answers without one card {uncoached.Count}, "
                + $"cards sent twice {cardSentTwice.Count}, stale placeholders {stale.Count}, elsewhere {elsewhere.Count}";
            output.WriteLine(summary);
            var detail = summary
                + "\nlost: " + string.Join(", ", lost.Take(20).Select(e => $"{e.Channel}/{e.Ts}"))
                + "\nduplicated: " + string.Join(", ", duplicated.Take(20).Select(e => $"{e.Channel}/{e.Ts}"))
                + "\nuncoached: " + string.Join(", ", uncoached.Take(20).Select(e => $"{e.Channel}/{e.Ts}"))
                + "\nattempts: " + string.Join("; ", wrongAttempts.Take(20))
                + "\nhost output (last 30,000 characters):\n" + Tail(Outputs(hosts), 30_000);

            Assert.True(lost.Count == 0, detail);
            Assert.True(duplicated.Count == 0, detail);
            Assert.True(stale.Count == 0, detail);
            Assert.True(elsewhere.Count == 0, detail);
            Assert.True(uncoached.Count == 0, detail);
            Assert.True(cardSentTwice.Count == 0, detail);
            Assert.True(wrongAttempts.Count == 0, detail);
            Assert.True(turns.Count == events.Count, detail);
            Assert.True(turns.Values.All(t => t.Status == "done"), detail);
            Assert.Equal(answers.Count, attempts.Count);
        }
        finally
        {
            foreach (var host in hosts)
            {
                if (host is not null)
                {
                    await host.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// Each person starts a practice session and then sends nine messages: three answers, six "help". One event in five
    /// is delivered again after its acknowledgement as Slack's retry (<c>X-Slack-Retry-Num</c>) to another instance; one
    /// in ten is sent to two instances at the same moment.
    /// </summary>
    private static List<Planned> Plan()
    {
        var events = new List<Planned>();
        for (var person = 0; person < People; person++)
        {
            var channel = $"D{person + 1:D4}";
            var user = $"U{person + 1:D4}";
            for (var n = 0; n < EventsEach; n++)
            {
                var number = (person * EventsEach) + n;
                var ts = $"17000{person + 1:D3}00.{n + 1:D6}";
                var isAnswer = n is 2 or 5 or 8;
                var text = n == 0 ? "start software-engineer" : isAnswer ? TypedAnswers[(person + n) % TypedAnswers.Length] : "help";
                var payload = Message(text, user: user, channel: channel, ts: ts, eventId: $"Ev-{channel}-{n}");
                events.Add(new(number, channel, ts, isAnswer, payload, Retried: number % 5 == 1, Duplicated: number % 10 == 3));
            }
        }

        return events;
    }

    /// <summary>
    /// Sends one person's events in order, each to the instance its number picks, until one acknowledges it: a request to
    /// an instance that is down goes to the next, as a load balancer's health check does, with <c>X-Slack-Retry-Num</c>.
    /// </summary>
    private async Task SendInOrderAsync(IReadOnlyList<Planned> events)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        foreach (var e in events)
        {
            if (e.Duplicated)
            {
                // The same delivery reaching two instances at once: one turn, one reply.
                await Task.WhenAll(DeliverAsync(client, e, e.Number), DeliverAsync(client, e, e.Number + 1));
            }
            else
            {
                await DeliverAsync(client, e, e.Number);
            }

            Interlocked.Increment(ref _acknowledged);
            if (e.Retried)
            {
                await DeliverAsync(client, e, e.Number + 2, firstRetry: 1);
            }
        }
    }

    private async Task DeliverAsync(HttpClient client, Planned e, int pick, int? firstRetry = null)
    {
        var retry = firstRetry;
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 5_000, $"{e.Channel}/{e.Ts} was never acknowledged");
            if (_addresses[(pick + attempt) % Instances] is { } address)
            {
                try
                {
                    using var request = SignedEvent(e.Payload, retryNum: retry);
                    request.RequestUri = new Uri(address, "slack/events");
                    using var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        if (attempt > 0)
                        {
                            Interlocked.Increment(ref _rerouted);
                        }

                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The instance died with the request in flight, or is not up again yet.
                }

                retry = (retry ?? 0) + 1;
            }

            await Task.Delay(attempt % Instances == Instances - 1 ? 250 : 0);
        }
    }

    private async Task<RunningHost> StartAsync(TestStorage storage, int index, string? name = null)
    {
        name ??= $"instance-{index}";
        var host = await RunningHost.StartAsync(HostSettings
            // Three pools under the test server's max_connections (300).
            .Postgres(storage.PostgresConnectionString + ";Maximum Pool Size=40", name, _signingKey, _folder.File("unused.db"), _folder.File($"turns-{index}"))
            .WithSlack(_slack)
            // The killed instance's claims expire within a minute (renewed every 20 s while a turn is coached), so another
            // instance takes them over inside the test's time; its turn folders are swept by the slot's next instance.
            .With("Queue:LeaseSeconds", "60"));
        _addresses[index] = host.BaseAddress;
        return host;
    }

    /// <summary>Every event has a reply in its thread that is not a placeholder.</summary>
    private bool Settled(IReadOnlyList<Planned> events)
    {
        var replied = _slack.Visible.Where(m => !Placeholders.Contains(m.Text)).Select(m => (m.Channel, m.ThreadTs)).ToHashSet();
        return events.All(e => replied.Contains((e.Channel, e.Ts)));
    }

    private string Summary(IReadOnlyList<Planned> events)
    {
        var replied = _slack.Visible.Where(m => !Placeholders.Contains(m.Text)).Select(m => (m.Channel, m.ThreadTs)).ToHashSet();
        return $"{events.Count(e => replied.Contains((e.Channel, e.Ts)))} of {events.Count} replied, {Volatile.Read(ref _acknowledged)} acknowledged";
    }

    private static bool IsCard(JsonArray? blocks) =>
        blocks is [var first, ..] && first?["text"]?["text"]?.ToString().StartsWith("Overall ", StringComparison.Ordinal) == true;

    private static async Task<long> UnfinishedAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM turns WHERE status IN ('pending', 'running')", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The queue's turns by "channel:ts" (the key is slack:team:channel:ts): how often each was claimed, and its status.</summary>
    private static async Task<Dictionary<string, (int Attempts, string Status)>> TurnsAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key, attempts, status FROM turns", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var turns = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            turns[key[(key.IndexOf(':', "slack:".Length) + 1)..]] = (reader.GetInt32(1), reader.GetString(2));
        }

        return turns;
    }

    /// <summary>The stored attempts' keys as "channel:ts" (an attempt carries its turn's key).</summary>
    private static async Task<List<string>> AttemptKeysAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key FROM attempts", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            var key = reader.IsDBNull(0) ? "(none)" : reader.GetString(0);
            keys.Add(key.StartsWith("slack:", StringComparison.Ordinal) ? key[(key.IndexOf(':', "slack:".Length) + 1)..] : key);
        }

        return keys;
    }

    private string Outputs(RunningHost?[] hosts)
    {
        lock (_killedOutput)
        {
            return _killedOutput + string.Join("\n", hosts.Select((h, i) => $"======== instance-{i} ========\n" + h?.Output));
        }
    }

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, () => Tail(output(), 30_000), TimeSpan.FromMinutes(15), everyMilliseconds: 100);

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
