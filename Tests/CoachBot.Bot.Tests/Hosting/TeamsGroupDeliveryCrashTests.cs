using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Group rounds in a Teams channel with the real host process killed (SIGKILL) while one of the round's connector calls
/// is in flight: the fake Bot Framework takes the call (the message is posted or replaced and visible) and holds its
/// answer, so the process dies not knowing. After a restart on the same database: a message the bot had already posted
/// and was updating (the acknowledgement replacing the answer's placeholder) is updated again, never doubled. A POST cut
/// off before its activity id came back is looked up in Microsoft Graph (the fake's Graph lists what its connector
/// stored): the deadline summary in the round's thread is found and updated, once; with Graph refusing (no consent)
/// it is posted again, as is a member's report in their personal chat, which Graph cannot list for the bot (README,
/// "Exactly one card"). Without a crash, a post whose connector answer is lost (a 502 or a dropped connection after
/// the message was stored) is looked up the same way before it is posted again.
/// </summary>
public sealed class TeamsGroupDeliveryCrashTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "00000000-0000-0000-0000-0000000000b1";
    private const string Bot = "28:" + AppId;
    private const string ChannelId = "19:practice@thread.tacv2";
    private const string Facilitator = "29:fac";
    private const string Ana = "29:ana";
    private const string TeamGroup = "6a1f0c2e-0000-4000-8000-0000000000a1";
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
    private readonly TempFolder _folder = new();
    private FakeBotFramework _teams = null!;

    public async Task InitializeAsync()
    {
        _teams = await FakeBotFramework.StartAsync();
        foreach (var (id, name) in new[] { (Facilitator, "Fay"), (Ana, "Ana"), (Bot, "CoachBot") })
        {
            _teams.Roster[id] = name;
        }

        // The team's Microsoft Entra group, which the connector's team details name (Graph's team id).
        _teams.TeamGroups[ChannelId] = TeamGroup;
    }

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private HostSettings Settings() => HostSettings.Sqlite(_folder.File("teams-group-crash.db"), _folder.File("turns")).WithTeams(_teams, AppId);

    [Fact]
    public async Task HostKilledWhileTheAcknowledgementReplacesThePlaceholder_TheRestartUpdatesTheSameMessage()
    {
        var (root, restarted) = await AnswerThroughACrashAsync(root => c => c.Method == "PUT" && InThread(c, root), root => Acknowledgements(root).Count > 0);
        await using var second = restarted;

        Assert.Single(ReportsTo(Ana));
        AssertOneAcknowledgementAndNoPlaceholder(root, second.Output);
        Assert.DoesNotContain("was cut off by a crash", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKilledWhileTheAnswersPlaceholderIsPosted_TheRestartFindsItInGraph_AndTurnsItIntoTheAcknowledgement()
    {
        // The placeholder's POST is taken (the message is visible) and its answer held: the process dies not knowing its id.
        var (root, restarted) = await AnswerThroughACrashAsync(
            root => c => c.Method == "POST" && InThread(c, root) && c.Json is JsonObject json && Placeholders.Contains(FakeBotFramework.VisibleText(json)),
            root => _teams.MessagesIn(Thread(root)).Any(m => Placeholders.Contains(FakeBotFramework.VisibleText(m))));
        await using var second = restarted;

        // The placeholder is a one-line card carrying its slot's key: found among the thread's replies and replaced by the
        // acknowledgement, so the thread shows one message for the answer, not a "Reading your answer…" left beside it.
        Assert.Single(ReportsTo(Ana));
        AssertOneAcknowledgementAndNoPlaceholder(root, second.Output);
        Assert.Contains("(main) was cut off by a crash; found in Microsoft Graph", second.Output, StringComparison.Ordinal);
        Assert.All(_teams.GraphCalls, c => Assert.StartsWith($"/graph/v1.0/teams/{TeamGroup}/channels/{Uri.EscapeDataString(ChannelId)}/messages/{root}/replies", c.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostKilledWhileTheMembersPrivateReportIsPosted_TheRestartPostsItAgain_OneAcknowledgement()
    {
        var (root, restarted) = await AnswerThroughACrashAsync(
            _ => c => c.Method == "POST" && _teams.PersonalChats.Keys.Any(chat => c.Path == $"/v3/conversations/{Uri.EscapeDataString(chat)}/activities"),
            _ => ReportsTo(Ana).Count > 0);
        await using var second = restarted;

        // The window still open: the report's POST never came back, and Graph lists a bot's personal chat only with the
        // tenant-wide Chat.Read.All, so the restart sends it again into the same 1:1 chat. Two identical reports, nothing lost.
        var reports = ReportsTo(Ana);
        Assert.Equal(2, reports.Count);
        Assert.True(JsonNode.DeepEquals(reports[0], reports[1]), "the repeated report differs from the first");
        Assert.Contains("(private) was cut off by a crash and cannot be looked up, so it is posted again: it went to a personal chat", second.Output, StringComparison.Ordinal);
        Assert.Empty(_teams.GraphCalls);
        // The acknowledgement replaced the answer's placeholder, whose id was stored before the crash: shown once.
        AssertOneAcknowledgementAndNoPlaceholder(root, second.Output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostKilledWhileTheDeadlineSummaryIsPosted_TheRestartFindsItInGraph_OrPostsItAgainWithoutConsent(bool consented)
    {
        // Without the team owner's consent to ChannelMessage.Read.Group, Graph answers 403.
        _teams.GraphRefusal = consented ? null : 403;
        var release = new TaskCompletionSource();
        // The deadline is checked every second; two minutes leave a loaded machine time to coach the answer before it.
        var settings = Settings().With("Groups:CheckSeconds", "1");
        string root;
        await using (var first = await RunningHost.StartAsync(settings))
        {
            root = await StartRoundAsync(first, "group start questions=1 deadline=2m");
            _teams.Hold(c => c.Method == "POST" && InThread(c, root) && IsSummary(c.Json as JsonObject), release.Task);
            await SendAsync(first, ChannelMessage("m-ana", CliRun.Answer, Ana, "Ana", root));
            await Until(() => Acknowledgements(root).Count > 0, () => first.Output);
            // The deadline passes with the host running: the scheduler queues the summary, whose post is held.
            await Until(() => Summaries(root).Count > 0, () => first.Output);
        }

        release.SetResult();
        _teams.Unhold();
        await using var second = await RunningHost.StartAsync(settings);
        await Until(() => second.Output.Contains("on teams answered with a GroupSummary reply", StringComparison.Ordinal), () => second.Output);
        await UntilIdleAsync(second);

        // A summary has no placeholder to replace: its POST cut off by the crash is looked up in the thread's replies.
        var summaries = Summaries(root);
        Assert.Contains("Thanks for taking part, <at>Ana</at>", (string?)summaries[0]["text"], StringComparison.Ordinal);
        Assert.NotEmpty(_teams.GraphCalls);
        Assert.All(_teams.GraphCalls, c => Assert.StartsWith($"/graph/v1.0/teams/{TeamGroup}/channels/{Uri.EscapeDataString(ChannelId)}/messages/{root}/replies", c.Path, StringComparison.Ordinal));
        if (consented)
        {
            // Found by the key in its card and the bot's app id, and updated: one summary.
            Assert.Single(summaries);
            Assert.Contains("(main) was cut off by a crash; found in Microsoft Graph", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot be looked up", second.Output, StringComparison.Ordinal);
            Assert.Single(_teams.ConnectorCalls, c => c.Method == "PUT" && InThread(c, root) && IsSummary(c.Json as JsonObject));
        }
        else
        {
            // Graph refused: the summary is posted again (two identical copies), and the log says what to grant.
            Assert.Equal(2, summaries.Count);
            Assert.True(JsonNode.DeepEquals(summaries[0], summaries[1]), "the repeated summary differs from the first");
            Assert.Contains("(main) was cut off by a crash and cannot be looked up, so it is posted again: the Graph look-up failed: Graph refused the look-up (403): grant resource-specific consent ChannelMessage.Read.Group",
                second.Output, StringComparison.Ordinal);
        }

        Assert.Single(ReportsTo(Ana));
        AssertOneAcknowledgementAndNoPlaceholder(root, second.Output, alsoInThread: consented ? 1 : 2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostKilledWhileTheRoundsCardIsPosted_TheRestartFindsItInGraph_OrPostsItAgainWithoutConsent(bool consented)
    {
        _teams.GraphRefusal = consented ? null : 403;
        var release = new TaskCompletionSource();
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            // The new channel post that starts the round's thread is taken (visible in the channel) and its answer held.
            _teams.Hold(c => c.Method == "POST" && c.Path == "/v3/conversations", release.Task);
            await SendAsync(first, ChannelMessage("m-start", "<at>CoachBot</at> group start questions=1", Facilitator, "Fay", root: null, mention: true));
            await Until(() => !_teams.ChannelPosts.IsEmpty, () => first.Output);
        }

        release.SetResult();
        _teams.Unhold();
        await using var second = await RunningHost.StartAsync(Settings());
        await Until(() => second.Output.Contains("answered with a GroupRound reply", StringComparison.Ordinal), () => second.Output);
        await UntilIdleAsync(second);

        Assert.NotEmpty(_teams.GraphCalls);
        Assert.All(_teams.GraphCalls, c => Assert.StartsWith($"/graph/v1.0/teams/{TeamGroup}/channels/{Uri.EscapeDataString(ChannelId)}/messages?", c.Path, StringComparison.Ordinal));
        if (!consented)
        {
            // Graph refused: a second card starts a second thread, and the log says what to grant.
            Assert.Equal(2, _teams.ChannelPosts.Count);
            Assert.Contains("(round) was cut off by a crash and cannot be looked up, so it is posted again: the Graph look-up failed: Graph refused the look-up (403): grant resource-specific consent ChannelMessage.Read.Group",
                second.Output, StringComparison.Ordinal);
            return;
        }

        // Found among the channel's posts by the key in its card: one card, and the round is attached to its thread, so an
        // answer there is coached and acknowledged in it.
        var root = Assert.Single(_teams.ChannelPosts.Keys);
        Assert.Contains("(round) was cut off by a crash; found in Microsoft Graph", second.Output, StringComparison.Ordinal);
        await SendAsync(second, ChannelMessage("m-ana", CliRun.Answer, Ana, "Ana", root));
        await Until(() => Acknowledgements(root).Count > 0 && ReportsTo(Ana).Count > 0, () => second.Output);
        await UntilIdleAsync(second);
        Assert.Single(ReportsTo(Ana));
        AssertOneAcknowledgementAndNoPlaceholder(root, second.Output);
    }

    [Fact]
    public async Task RoundCardAndAnswerPlaceholderDeliveredThenTheirAnswersLost_OneThreadAndOneAcknowledgement()
    {
        await using var host = await RunningHost.StartAsync(Settings());
        // The channel post starting the round's thread is stored, then the connection drops: looked up among the channel's posts.
        _teams.FailuresAfterPosting.Enqueue(FakeBotFramework.DropConnection);
        var root = await StartRoundAsync(host, "group start questions=1");
        Assert.Contains("(round) was cut off by a connection lost after sending; found in Microsoft Graph", host.Output, StringComparison.Ordinal);

        // The answer's placeholder in the thread is stored, then answered 502: looked up among the thread's replies and
        // replaced by the acknowledgement.
        _teams.FailuresAfterPosting.Enqueue(502);
        await SendAsync(host, ChannelMessage("m-ana", CliRun.Answer, Ana, "Ana", root));
        await Until(() => host.Output.Contains("on teams answered with a Report reply", StringComparison.Ordinal), () => host.Output);
        await UntilIdleAsync(host);

        Assert.Empty(_teams.FailuresAfterPosting);
        Assert.Contains("(main) was cut off by the connector's 502 answer; found in Microsoft Graph", host.Output, StringComparison.Ordinal);
        Assert.Single(ReportsTo(Ana));
        AssertOneAcknowledgementAndNoPlaceholder(root, host.Output);
    }

    /// <summary>
    /// Starts a round, holds the connector call <paramref name="held"/> picks while Ana answers, kills the host once
    /// <paramref name="landed"/> shows the call was taken, and restarts it on the same database; returns the round's root
    /// and the restarted host (the caller disposes it) once Ana's answer is coached again and all is idle.
    /// </summary>
    private async Task<(string Root, RunningHost Second)> AnswerThroughACrashAsync(Func<string, Func<RecordedCall, bool>> held, Func<string, bool> landed)
    {
        var release = new TaskCompletionSource();
        string root;
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            root = await StartRoundAsync(first, "group start questions=1");
            _teams.Hold(held(root), release.Task);
            await SendAsync(first, ChannelMessage("m-ana", CliRun.Answer, Ana, "Ana", root));
            await Until(() => landed(root), () => first.Output);
        }

        release.SetResult();
        _teams.Unhold();
        var second = await RunningHost.StartAsync(Settings());
        try
        {
            await Until(() => second.Output.Contains("on teams answered with a Report reply", StringComparison.Ordinal), () => second.Output);
            await UntilIdleAsync(second);
            return (root, second);
        }
        catch
        {
            await second.DisposeAsync();
            throw;
        }
    }

    /// <summary>The facilitator starts a round in the channel; returns the round card's message id (its thread's root).</summary>
    private async Task<string> StartRoundAsync(RunningHost host, string command)
    {
        await SendAsync(host, ChannelMessage("m-start", "<at>CoachBot</at> " + command, Facilitator, "Fay", root: null, mention: true));
        // The round knows its thread once the card's post came back; an answer before that would not find the round.
        await Until(() => host.Output.Contains("answered with a GroupRound reply", StringComparison.Ordinal), () => host.Output);
        return Assert.Single(_teams.ChannelPosts.Keys);
    }

    /// <summary>One "✓ 1 answer so far" in the round's thread, nothing else there but <paramref name="alsoInThread"/> messages, no placeholder anywhere.</summary>
    private void AssertOneAcknowledgementAndNoPlaceholder(string root, string output, int alsoInThread = 0)
    {
        Assert.Single(Acknowledgements(root));
        var thread = _teams.MessagesIn(Thread(root));
        Assert.True(thread.Count == 1 + alsoInThread, $"the round's thread shows {thread.Count} messages: {string.Join(" | ", thread.Select(FakeBotFramework.VisibleText))}\n{output}");
        Assert.DoesNotContain(_teams.Messages.Values, m => Placeholders.Contains(FakeBotFramework.VisibleText(m)));
    }

    private List<JsonObject> Acknowledgements(string root) =>
        [.. _teams.MessagesIn(Thread(root)).Where(m => FakeBotFramework.VisibleText(m) == GroupMessages.Acknowledgement(1))];

    private List<JsonObject> Summaries(string root) => [.. _teams.MessagesIn(Thread(root)).Where(IsSummary)];

    /// <summary>The report cards shown in the member's 1:1 chat(s) with the bot.</summary>
    private List<JsonObject> ReportsTo(string member) =>
        [.. _teams.PersonalChats.Where(p => p.Value == member).SelectMany(p => _teams.MessagesIn(p.Key))
            .Where(m => m["attachments"] is JsonArray { Count: > 0 } && m.ToJsonString().Contains("Overall", StringComparison.Ordinal))];

    private static bool IsSummary(JsonObject? activity) =>
        activity?["attachments"] is JsonArray { Count: > 0 } && activity.ToJsonString().Contains("round summary", StringComparison.Ordinal);

    private static string Thread(string root) => $"{ChannelId};messageid={root}";

    private static bool InThread(RecordedCall call, string root) =>
        call.Path.StartsWith($"/v3/conversations/{Uri.EscapeDataString(Thread(root))}/activities", StringComparison.Ordinal);

    private JsonObject ChannelMessage(string id, string text, string user, string name, string? root, bool mention = false)
    {
        var message = _teams.Message(id, text, AppId, "channel", $"{ChannelId};messageid={root ?? id}");
        message["from"] = new JsonObject { ["id"] = user, ["name"] = name, ["aadObjectId"] = "aad-" + user };
        message["conversation"]!["isGroup"] = true;
        message["channelData"] = new JsonObject
        {
            ["teamsChannelId"] = ChannelId,
            ["channel"] = new JsonObject { ["id"] = ChannelId },
            ["team"] = new JsonObject { ["id"] = ChannelId },
            ["tenant"] = new JsonObject { ["id"] = "tenant-1" },
        };
        if (mention)
        {
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = Bot, ["name"] = "CoachBot" }, ["text"] = "<at>CoachBot</at>" });
        }

        return message;
    }

    private async Task SendAsync(RunningHost host, JsonObject activity)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await _teams.SendActivityAsync(client, activity, AppId);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    private static Task UntilIdleAsync(RunningHost host) => Poll.UntilIdleAsync(host, TimeSpan.FromMinutes(5));

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, output, TimeSpan.FromMinutes(5));
}
