using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Group rounds in Slack with the real host process killed (SIGKILL) while one of the round's platform calls is in
/// flight: the fake Slack takes the call (the message is posted and visible) and holds its answer, so the process dies
/// not knowing it posted. After a restart on the same database the channel shows exactly one acknowledgement, the member
/// exactly one private report and the round exactly one summary.
/// </summary>
public sealed class GroupDeliveryCrashTests : IAsyncLifetime, IDisposable
{
    private const string Channel = "C0001";
    private const string Facilitator = "UFAC0001";
    private const string Ana = "UAAA0001";
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;
    private int _ts;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private HostSettings Settings() => HostSettings.Sqlite(_folder.File("group-crash.db"), _folder.File("turns")).WithSlack(_slack);

    [Fact]
    public async Task HostKilledWhileTheMembersPrivateReportIsPosted_TheRestartFindsItAndAcknowledgesOnce()
    {
        var release = new TaskCompletionSource();
        string root;
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            root = await StartRoundAsync(first);
            _slack.Hold("chat.postMessage", release.Task, body => body["channel"]?.ToString() == Ana);
            await SendAsync(first, SignedEvent(InThread(CliRun.Answer, Ana, root)));
            await Until(() => _slack.VisibleIn(Ana).Count > 0, () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.postMessage");
        await using var second = await RunningHost.StartAsync(Settings());
        await Until(() => Acknowledgements(root).Count > 0, () => second.Output);
        await UntilIdleAsync(second);

        AssertOneReportAndOneAcknowledgement(root, second.Output);
        Assert.Contains("was cut off by a crash; found on Slack: True", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKilledWhileTheAcknowledgementIsPosted_TheRestartFindsItInsteadOfPostingAgain()
    {
        var release = new TaskCompletionSource();
        // No placeholders: the acknowledgement is a new message in the round's thread, the window a restart could repeat.
        var settings = Settings().With("Queue:PlaceholderHoldSeconds", "0");
        string root;
        await using (var first = await RunningHost.StartAsync(settings))
        {
            root = await StartRoundAsync(first);
            _slack.Hold("chat.postMessage", release.Task, body => body["text"]?.ToString() == GroupMessages.Acknowledgement(1));
            await SendAsync(first, SignedEvent(InThread(CliRun.Answer, Ana, root)));
            await Until(() => Acknowledgements(root).Count > 0, () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.postMessage");
        await using var second = await RunningHost.StartAsync(settings);
        await Until(() => second.Output.Contains("answered with a Report reply", StringComparison.Ordinal), () => second.Output);
        await UntilIdleAsync(second);

        AssertOneReportAndOneAcknowledgement(root, second.Output);
        Assert.Contains("was cut off by a crash; found on Slack: True", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKilledWhileTheSummaryIsPosted_TheRestartFindsItInsteadOfPostingAgain()
    {
        var release = new TaskCompletionSource();
        var settings = Settings().With("Queue:PlaceholderHoldSeconds", "0");
        string root;
        await using (var first = await RunningHost.StartAsync(settings))
        {
            root = await StartRoundAsync(first);
            await SendAsync(first, SignedEvent(InThread(CliRun.Answer, Ana, root)));
            await Until(() => Acknowledgements(root).Count > 0, () => first.Output);
            _slack.Hold("chat.postMessage", release.Task, IsSummary);
            await SendAsync(first, SignedEvent(InThread("wrap", Facilitator, root)));
            await Until(() => Summaries(root).Count > 0, () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.postMessage");
        await using var second = await RunningHost.StartAsync(settings);
        await Until(() => second.Output.Contains("answered with a GroupSummary reply", StringComparison.Ordinal), () => second.Output);
        await UntilIdleAsync(second);

        var summary = Assert.Single(Summaries(root));
        Assert.Contains("Answers", summary.Blocks!.ToJsonString(), StringComparison.Ordinal);
        AssertOneReportAndOneAcknowledgement(root, second.Output, alsoInThread: 1);
        Assert.Contains("was cut off by a crash; found on Slack: True", second.Output, StringComparison.Ordinal);
    }

    /// <summary>The facilitator starts a one-question round in the channel; returns the round card's ts (its thread).</summary>
    private async Task<string> StartRoundAsync(RunningHost host)
    {
        var command = Form(Command("group questions=1", user: Facilitator, channel: Channel, trigger: "trig-" + NextTs()));
        await SendAsync(host, SignedRequest("/slack/commands", command, "application/x-www-form-urlencoded"));
        SlackPosted? card = null;
        await Until(
            () => (card = _slack.VisibleIn(Channel).FirstOrDefault(m => m.ThreadTs is null && m.Blocks is { Count: > 0 } && !Placeholders.Contains(m.Text))) is not null,
            () => host.Output);
        // The round knows its thread once the card's post came back; an answer before that would not find the round.
        await Until(() => host.Output.Contains("answered with a GroupRound reply", StringComparison.Ordinal), () => host.Output);
        return card!.Ts;
    }

    /// <summary>Ana's report in her direct messages once, one acknowledgement in the thread, no placeholder anywhere.</summary>
    private void AssertOneReportAndOneAcknowledgement(string root, string output, int alsoInThread = 0)
    {
        var report = Assert.Single(_slack.VisibleIn(Ana));
        Assert.StartsWith("Overall ", report.Blocks![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(Acknowledgements(root));
        var thread = _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root).ToList();
        Assert.True(thread.Count == 1 + alsoInThread, $"the round's thread shows {thread.Count} messages: {string.Join(" | ", thread.Select(m => m.Text))}\n{output}");
        Assert.DoesNotContain(_slack.Visible, m => Placeholders.Contains(m.Text));
    }

    private List<SlackPosted> Acknowledgements(string root) =>
        [.. _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root && m.Text == GroupMessages.Acknowledgement(1))];

    private List<SlackPosted> Summaries(string root) =>
        [.. _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root && m.Text.StartsWith("Round wrapped up", StringComparison.Ordinal))];

    private static bool IsSummary(JsonObject body) => body["text"]?.ToString().StartsWith("Round wrapped up", StringComparison.Ordinal) == true;

    private JsonObject InThread(string text, string user, string root)
    {
        var ts = NextTs();
        return Message(text, user: user, channel: Channel, channelType: "channel", ts: ts, threadTs: root, eventId: "Ev-" + ts);
    }

    private string NextTs() => $"1710000000.{Interlocked.Increment(ref _ts):D6}";

    private static async Task SendAsync(RunningHost host, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    private static Task UntilIdleAsync(RunningHost host) => Poll.UntilIdleAsync(host, TimeSpan.FromMinutes(5));

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, output, TimeSpan.FromMinutes(5));
}
