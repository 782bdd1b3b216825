using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Several people practise in Slack, typing some answers and sending voice notes for others, while the real host process
/// (<c>dotnet coachbot.dll</c>) is killed with SIGKILL at random moments and started again on the same SQLite file and
/// the same turn-file folder. Slack's side is a fake Web API on 127.0.0.1 that serves the recordings; an event the host
/// never acknowledged is sent again, as Slack retries it. At the end every event has exactly one visible reply in its
/// thread, no "Reading your answer…" is left, and the turn-file folder holds nothing.
/// </summary>
/// <remarks>
/// The moments are drawn from a seeded random generator (the seed is printed, and <c>COACHBOT_CRASH_SEED</c> replays
/// one): each kill comes after a random number of further Web API calls plus a random delay, so it lands while
/// placeholders are posted, recordings download, ffmpeg runs, cards are posted or updated, or requests are acknowledged.
/// </remarks>
public sealed class RandomCrashTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int People = 6;
    private const int AnswersEach = 13;
    private const int Kills = 5;
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
    private readonly StringBuilder _hostOutput = new();
    private FakeSlack _slack = null!;
    private volatile Uri? _address;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private string Turns => _folder.File("turns");

    private HostSettings Settings() => HostSettings.Sqlite(_folder.File("crash.db"), Turns)
        .WithSlack(_slack)
        // The voice clips are served by the fake Slack on 127.0.0.1.
        .With("Slack:AdditionalFileHosts:0", "127.0.0.1")
        // More attempts than kills: a turn coached through three kills in a row is otherwise given up with an apology
        // (Queue:MaxAttempts 3, the guard against a turn that kills the process itself, TurnWorkerTests); here every
        // kill is the test's, and every answer must end coached.
        .With("Queue:MaxAttempts", (Kills + 1).ToString(CultureInfo.InvariantCulture))
        // The offline engine that needs no model download: every voice note is really decoded and transcribed.
        .With("Speech:Engines:0", "pocketsphinx");

    [Fact]
    public async Task RandomKills_TypedAnswersAndVoiceNotesFromSixPeople_OneReplyEachNoPlaceholderAndNoFileLeft()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("COACHBOT_CRASH_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);

        // A Slack voice clip (AAC in MP4) of the first six seconds of the shared JFK recording: real speech, short
        // enough that dozens of them are coached within minutes on two shared cores.
        var clip = TestData.Encode(TestData.JfkWav, _folder.File("audio_message.mp4"), "-t", "6", "-c:a", "aac", "-b:a", "64k", "-f", "mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var events = Plan(random, bytes);
        var voice = events.Count(e => e.Voice);
        // The kills' moments, drawn up front so the seed alone decides them.
        var kills = Enumerable.Range(0, Kills).Select(_ => (Calls: random.Next(3, 40), DelayMs: random.Next(0, 1500))).ToList();

        var clock = Stopwatch.StartNew();
        var host = await StartHostAsync();
        var senders = events.GroupBy(e => e.Channel).Select(person => SendInOrderAsync([.. person])).ToList();
        var sending = Task.WhenAll(senders);
        var killLog = new List<string>();
        try
        {
            foreach (var (calls, delayMs) in kills)
            {
                var target = _slack.Calls.Count + calls;
                await Until(() => _slack.Calls.Count >= target || (sending.IsCompleted && Settled(events)), seed);
                if (sending.IsCompleted && Settled(events))
                {
                    killLog.Add("(work finished before this kill)");
                    break;
                }

                await Task.Delay(delayMs);
                killLog.Add($"{clock.Elapsed.TotalSeconds:F0} s after {_slack.Calls.Count} Web API calls ({Visible(events)} of {events.Count} replied)");
                await KillAsync(host);
                host = await StartHostAsync();
            }

            await sending.WaitAsync(TimeSpan.FromMinutes(10));

            // Generous: after the last restart the remaining voice notes are coached on a loaded machine; nothing is timed.
            var giveUp = DateTime.UtcNow.AddMinutes(10);
            while (DateTime.UtcNow < giveUp && !(Settled(events) && await IdleAsync() && !Directory.EnumerateFiles(Turns, "*", SearchOption.AllDirectories).Any()))
            {
                await Task.Delay(500);
            }

            var took = clock.Elapsed;
            var shown = _slack.Visible;
            var perThread = shown.GroupBy(m => (m.Channel, m.ThreadTs)).ToDictionary(g => g.Key, g => g.ToList());
            var lost = events.Where(e => !perThread.ContainsKey((e.Channel, e.Ts))).ToList();
            var duplicated = events.Where(e => perThread.TryGetValue((e.Channel, e.Ts), out var m) && m.Count > 1).ToList();
            var stale = shown.Where(m => Placeholders.Contains(m.Text)).ToList();
            var elsewhere = shown.Where(m => !events.Any(e => e.Channel == m.Channel && e.Ts == m.ThreadTs)).ToList();
            var files = Directory.Exists(Turns) ? Directory.EnumerateFiles(Turns, "*", SearchOption.AllDirectories).ToList() : [];
            var reports = shown.Count(m => m.Blocks is [var first, ..] && first!["text"]?["text"]?.ToString().StartsWith("Overall ", StringComparison.Ordinal) == true);
            // An apology ("Sorry, I could not coach that answer (it was interrupted too many times…)") is one reply but
            // no coaching: the answer was lost to the crashes.
            var failed = shown.Where(m => m.Text.StartsWith("Sorry, I could not coach", StringComparison.Ordinal)).ToList();
            // The killed processes' turn folders (a recording half downloaded, ffmpeg's output) the restarts swept.
            var swept = System.Text.RegularExpressions.Regex.Matches(HostOutput(host), @"Removed (\d+) turn folders left behind")
                .Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            var summary =
                $"seed {seed}: {events.Count} events ({voice} voice notes) from {People} people, {killLog.Count(k => !k.StartsWith('('))} kills "
                + $"[{string.Join("; ", killLog)}], settled after {took.TotalSeconds:F0} s; load average {LoadAverage()}; "
                + $"{_slack.CallsTo("chat.postMessage").Count} chat.postMessage, {_slack.CallsTo("chat.update").Count} chat.update, "
                + $"{_slack.CallsTo("conversations.history").Count + _slack.CallsTo("conversations.replies").Count} look-ups; "
                + $"visible {shown.Count} ({reports} report cards, {failed.Count} apologies), lost {lost.Count}, duplicated {duplicated.Count}, stale placeholders {stale.Count}, "
                + $"elsewhere {elsewhere.Count}, turn folders swept at restarts {swept}, files left {files.Count}";
            output.WriteLine(summary);
            var detail = summary
                + "\nlost: " + string.Join(", ", lost.Select(e => $"{e.Channel}/{e.Ts}{(e.Voice ? " (voice)" : string.Empty)}"))
                + "\nduplicated: " + string.Join(", ", duplicated.Select(e => $"{e.Channel}/{e.Ts}"))
                + "\nfiles: " + string.Join(", ", files)
                + "\nfailed: " + string.Join(" | ", failed.Select(m => m.Text))
                + "\nhost output (last 30,000 characters):\n" + Tail(HostOutput(host), 30_000);

            Assert.True(lost.Count == 0, detail);
            Assert.True(duplicated.Count == 0, detail);
            Assert.True(stale.Count == 0, detail);
            Assert.True(elsewhere.Count == 0, detail);
            Assert.True(files.Count == 0, detail);
            Assert.True(failed.Count == 0, detail);
            Assert.True(killLog.Count(k => !k.StartsWith('(')) >= 3, "fewer than three kills landed before the work finished: " + detail);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private sealed record Planned(string Channel, string User, string Ts, bool Voice, JsonObject Payload, int GapMs);

    /// <summary>Each person starts a practice session, then answers: about one answer in three a voice note.</summary>
    private List<Planned> Plan(Random random, byte[] clip)
    {
        var events = new List<Planned>();
        for (var person = 0; person < People; person++)
        {
            var channel = $"D{person + 1:D4}";
            var user = $"U{person + 1:D4}";
            for (var n = 0; n <= AnswersEach; n++)
            {
                var ts = $"17000{person + 1:D2}000.{n + 1:D6}";
                var eventId = $"Ev-{channel}-{n}";
                var gap = random.Next(0, 2500);
                if (n == 0)
                {
                    events.Add(new(channel, user, ts, false, Message("start software-engineer", user: user, channel: channel, ts: ts, eventId: eventId), gap));
                }
                else if (random.Next(3) == 0)
                {
                    var name = $"F{person + 1:D2}{n:D3}";
                    var url = _slack.AddFile($"{name}/audio_message.mp4", clip);
                    var payload = VoiceClip(url, clip.Length, ts: ts, eventId: eventId, user: user, channel: channel);
                    payload["event"]!["files"]![0]!["id"] = name;
                    events.Add(new(channel, user, ts, true, payload, gap));
                }
                else
                {
                    var text = TypedAnswers[random.Next(TypedAnswers.Length)];
                    events.Add(new(channel, user, ts, false, Message(text, user: user, channel: channel, ts: ts, eventId: eventId), gap));
                }
            }
        }

        return events;
    }

    /// <summary>
    /// Sends one person's events in order, each until the host acknowledges it: a request the killed host never answered
    /// is sent again to the restarted one with <c>X-Slack-Retry-Num</c>, as Slack does.
    /// </summary>
    private async Task SendInOrderAsync(IReadOnlyList<Planned> events)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        foreach (var e in events)
        {
            await Task.Delay(e.GapMs);
            for (var attempt = 0; ; attempt++)
            {
                Assert.True(attempt < 2_000, $"{e.Channel}/{e.Ts} was never acknowledged");
                if (_address is not { } address)
                {
                    await Task.Delay(200);
                    continue;
                }

                try
                {
                    using var request = SignedEvent(e.Payload, retryNum: attempt == 0 ? null : attempt);
                    request.RequestUri = new Uri(address, "slack/events");
                    using var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The host died with the request in flight, or is not up again yet.
                }

                await Task.Delay(250);
            }
        }
    }

    private async Task<RunningHost> StartHostAsync()
    {
        var host = await RunningHost.StartAsync(Settings());
        _address = host.BaseAddress;
        return host;
    }

    /// <summary>SIGKILL (no clean-up code runs); the output is kept for the failure message.</summary>
    private async Task KillAsync(RunningHost host)
    {
        _address = null;
        var text = host.Output;
        await host.DisposeAsync();
        lock (_hostOutput)
        {
            _hostOutput.AppendLine(text).AppendLine("======== killed (SIGKILL) ========");
        }
    }

    private string HostOutput(RunningHost current)
    {
        lock (_hostOutput)
        {
            return _hostOutput + current.Output;
        }
    }

    /// <summary>Every event has a reply in its thread that is not a placeholder.</summary>
    private bool Settled(IReadOnlyList<Planned> events)
    {
        var replied = _slack.Visible.Where(m => !Placeholders.Contains(m.Text)).Select(m => (m.Channel, m.ThreadTs)).ToHashSet();
        return events.All(e => replied.Contains((e.Channel, e.Ts)));
    }

    private int Visible(IReadOnlyList<Planned> events)
    {
        var replied = _slack.Visible.Where(m => !Placeholders.Contains(m.Text)).Select(m => (m.Channel, m.ThreadTs)).ToHashSet();
        return events.Count(e => replied.Contains((e.Channel, e.Ts)));
    }

    private async Task<bool> IdleAsync()
    {
        if (_address is not { } address)
        {
            return false;
        }

        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
            var queue = (await client.GetFromJsonAsync<JsonObject>("/healthz"))!["queue"]!;
            return (int)queue["pending"]! + (int)queue["running"]! == 0;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    private static async Task Until(Func<bool> condition, int seed)
    {
        // Generous: a restart and its model load take minutes on a loaded machine; nothing here is timed.
        var giveUp = DateTime.UtcNow.AddMinutes(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"seed {seed}: the host made no Web API calls for 10 minutes");
            await Task.Delay(20);
        }
    }
}
