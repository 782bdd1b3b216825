using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// A real host process killed (SIGKILL) while one of its platform calls is in flight: the fake platform takes the call
/// (the message is posted or replaced and visible) and holds the answer, so the process dies not knowing what happened.
/// After a restart on the same database the user sees exactly one card for the answer and no placeholder. The same
/// window without a crash: the fake connector stores a Teams post and then answers 502 or drops the connection, and the
/// bot looks before posting again.
/// </summary>
public sealed class DeliveryCrashTests : IAsyncLifetime, IDisposable
{
    private const string AnswerTs = "1700000002.000002";
    private const string AppId = "00000000-0000-0000-0000-0000000000b1";
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;
    private FakeBotFramework _teams = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _teams = await FakeBotFramework.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _teams.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    private HostSettings Settings() => HostSettings.Sqlite(_folder.File("crash.db"), _folder.File("turns")).WithSlack(_slack).WithTeams(_teams, AppId);

    [Fact]
    public async Task Slack_HostKilledWhileThePlaceholderIsPosted_TheRestartReplacesItWithTheOneCard()
    {
        var release = new TaskCompletionSource();
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            await StartSlackAsync(first);
            _slack.Hold("chat.postMessage", release.Task, body => body["text"]?.ToString() == "Reading your answer…");
            await SendSlackAsync(first, SignedEvent(Message(CliRun.Answer, ts: AnswerTs, eventId: "Ev-answer")));
            await Until(() => _slack.VisibleIn("D0001").Any(m => m.Text == "Reading your answer…"), () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.postMessage");
        await using var second = await RunningHost.StartAsync(Settings());
        await AssertOneSlackCardAsync(second);
        Assert.Contains("was cut off by a crash; found on Slack: True", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slack_HostKilledWhileTheCardIsPostedWithoutPlaceholder_TheRestartFindsItInsteadOfPostingAgain()
    {
        var release = new TaskCompletionSource();
        // No placeholders at all: every reply is a new message, the window the issue measured two cards in.
        var settings = Settings().With("Queue:PlaceholderHoldSeconds", "0");
        await using (var first = await RunningHost.StartAsync(settings))
        {
            await StartSlackAsync(first);
            _slack.Hold("chat.postMessage", release.Task, body => body["thread_ts"]?.ToString() == AnswerTs);
            await SendSlackAsync(first, SignedEvent(Message(CliRun.Answer, ts: AnswerTs, eventId: "Ev-answer")));
            await Until(() => _slack.VisibleIn("D0001").Any(m => m.ThreadTs == AnswerTs), () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.postMessage");
        await using var second = await RunningHost.StartAsync(settings);
        await AssertOneSlackCardAsync(second);
        Assert.Contains("was cut off by a crash; found on Slack: True", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slack_HostKilledWhileThePlaceholderIsUpdated_TheRestartUpdatesTheSameMessage()
    {
        var release = new TaskCompletionSource();
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            await StartSlackAsync(first);
            var updates = _slack.CallsTo("chat.update").Count;
            _slack.Hold("chat.update", release.Task);
            await SendSlackAsync(first, SignedEvent(Message(CliRun.Answer, ts: AnswerTs, eventId: "Ev-answer")));
            await Until(() => _slack.CallsTo("chat.update").Count > updates, () => first.Output);
        }

        release.SetResult();
        _slack.Unhold("chat.update");
        await using var second = await RunningHost.StartAsync(Settings());
        await AssertOneSlackCardAsync(second);
    }

    [Fact]
    public async Task Teams_HostKilledWhileThePlaceholderIsUpdated_TheRestartUpdatesTheSameMessage()
    {
        var release = new TaskCompletionSource();
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            await SendTeamsAsync(first, _teams.Message("m-start", "start general", AppId));
            await Until(() => _teams.MessagesIn("a:personal-1").Any(m => m["attachments"] is JsonArray { Count: > 0 }), () => first.Output);
            _teams.Hold(c => c.Method == "PUT", release.Task);
            await SendTeamsAsync(first, _teams.Message("m-answer", CliRun.Answer, AppId));
            await Until(() => _teams.ConnectorCalls.Any(c => c.Method == "PUT"), () => first.Output);
        }

        release.SetResult();
        _teams.Unhold();
        await using var second = await RunningHost.StartAsync(Settings());
        await Until(() => second.Output.Contains("on teams answered with a Report reply", StringComparison.Ordinal), () => second.Output);

        var shown = _teams.MessagesIn("a:personal-1");
        Assert.DoesNotContain(shown, m => Placeholders.Contains((string?)m["text"]));
        // The question card and the one report card.
        Assert.Equal(2, shown.Count(m => m["attachments"] is JsonArray { Count: > 0 }));
        Assert.Equal(2, shown.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Teams_HostKilledWhileTheCardIsPostedInAGroupChat_TheRestartFindsItInGraph_OrPostsItAgainWithoutConsent(bool consented)
    {
        const string chat = "19:practice-group@thread.v2";
        // Without the chat owner's consent to ChatMessage.Read.Chat, Graph answers 403.
        _teams.GraphRefusal = consented ? null : 403;
        var release = new TaskCompletionSource();
        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            // A command gets no placeholder: its question card is a new message, the window a crash could double.
            _teams.Hold(c => c.Method == "POST" && c.Path.StartsWith($"/v3/conversations/{Uri.EscapeDataString(chat)}/activities", StringComparison.Ordinal)
                && c.Json?["attachments"] is JsonArray { Count: > 0 }, release.Task);
            await SendTeamsAsync(first, GroupChatMessage("m-start", "<at>CoachBot</at> start general", chat));
            await Until(() => Cards(chat).Count > 0, () => first.Output);
        }

        release.SetResult();
        _teams.Unhold();
        await using var second = await RunningHost.StartAsync(Settings());
        await Until(() => second.Output.Contains("on teams answered with a", StringComparison.Ordinal), () => second.Output);
        await Poll.UntilIdleAsync(second, TimeSpan.FromMinutes(5));

        Assert.NotEmpty(_teams.GraphCalls);
        Assert.All(_teams.GraphCalls, c => Assert.StartsWith($"/graph/v1.0/chats/{Uri.EscapeDataString(chat)}/messages?", c.Path, StringComparison.Ordinal));
        if (consented)
        {
            Assert.Single(Cards(chat));
            Assert.Contains("(main) was cut off by a crash; found in Microsoft Graph", second.Output, StringComparison.Ordinal);
        }
        else
        {
            var cards = Cards(chat);
            Assert.Equal(2, cards.Count);
            Assert.True(JsonNode.DeepEquals(cards[0], cards[1]), "the repeated card differs from the first");
            Assert.Contains("cannot be looked up, so it is posted again: the Graph look-up failed: Graph refused the look-up (403): grant resource-specific consent ChatMessage.Read.Chat",
                second.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_teams.MessagesIn(chat), m => Placeholders.Contains(FakeBotFramework.VisibleText(m)));
    }

    [Theory]
    [InlineData(true, 502)]
    [InlineData(true, FakeBotFramework.DropConnection)]
    [InlineData(false, 502)]
    public async Task Teams_GroupChatCardDeliveredThenItsAnswerLost_FoundInGraph_OrPostedAgainWithoutConsent(bool consented, int failure)
    {
        const string chat = "19:practice-group@thread.v2";
        _teams.GraphRefusal = consented ? null : 403;
        // The command's question card (no placeholder) is stored and visible; the connector's answer is a 502 or nothing.
        _teams.FailuresAfterPosting.Enqueue(failure);
        await using var host = await RunningHost.StartAsync(Settings());
        await SendTeamsAsync(host, GroupChatMessage("m-start", "<at>CoachBot</at> start general", chat));
        await Until(() => host.Output.Contains("on teams answered with a", StringComparison.Ordinal), () => host.Output);
        await Poll.UntilIdleAsync(host, TimeSpan.FromMinutes(5));

        Assert.Empty(_teams.FailuresAfterPosting);
        var cause = failure == FakeBotFramework.DropConnection ? "by a connection lost after sending" : "by the connector's 502 answer";
        if (consented)
        {
            Assert.Single(Cards(chat));
            Assert.Contains($"(main) was cut off {cause}; found in Microsoft Graph", host.Output, StringComparison.Ordinal);
        }
        else
        {
            var cards = Cards(chat);
            Assert.Equal(2, cards.Count);
            Assert.True(JsonNode.DeepEquals(cards[0], cards[1]), "the repeated card differs from the first");
            Assert.Contains($"(main) was cut off {cause} and cannot be looked up, so it is posted again: the Graph look-up failed: Graph refused the look-up (403): grant resource-specific consent ChatMessage.Read.Chat",
                host.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(502)]
    [InlineData(FakeBotFramework.DropConnection)]
    public async Task Teams_PersonalChatCardDeliveredThenItsAnswerLost_TheRetryStillDeliversIt(int failure)
    {
        _teams.FailuresAfterPosting.Enqueue(failure);
        await using var host = await RunningHost.StartAsync(Settings());
        await SendTeamsAsync(host, _teams.Message("m-start", "start general", AppId));
        await Until(() => host.Output.Contains("on teams answered with a", StringComparison.Ordinal), () => host.Output);
        await Poll.UntilIdleAsync(host, TimeSpan.FromMinutes(5));

        // Graph cannot list a bot's personal chat: the connector's retry may show the card twice, but never loses it.
        Assert.Empty(_teams.FailuresAfterPosting);
        Assert.InRange(Cards("a:personal-1").Count, 1, 2);
        Assert.Empty(_teams.GraphCalls);
    }

    private List<JsonObject> Cards(string conversation) => [.. _teams.MessagesIn(conversation).Where(m => m["attachments"] is JsonArray { Count: > 0 })];

    private JsonObject GroupChatMessage(string id, string text, string chat)
    {
        var message = _teams.Message(id, text, AppId, "groupChat", chat);
        message["conversation"]!["isGroup"] = true;
        message["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["mentioned"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "CoachBot" },
            ["text"] = "<at>CoachBot</at>",
        });
        return message;
    }

    private async Task StartSlackAsync(RunningHost host)
    {
        await SendSlackAsync(host, SignedEvent(Message("start software-engineer", ts: "1700000001.000001", eventId: "Ev-start")));
        await Until(() => _slack.VisibleIn("D0001").Any(m => m.ThreadTs == "1700000001.000001" && m.Blocks is { Count: > 0 }), () => host.Output);
    }

    private static async Task SendSlackAsync(RunningHost host, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    private async Task SendTeamsAsync(RunningHost host, JsonObject activity)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await _teams.SendActivityAsync(client, activity, AppId);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    /// <summary>Waits for the recovered answer to be completed, then checks what the user sees in the answer's thread.</summary>
    private async Task AssertOneSlackCardAsync(RunningHost host)
    {
        await Until(() => host.Output.Contains("on slack answered with a Report reply", StringComparison.Ordinal), () => host.Output);
        var thread = _slack.VisibleIn("D0001").Where(m => m.ThreadTs == AnswerTs).ToList();
        var card = Assert.Single(thread);
        Assert.StartsWith("Overall ", card.Blocks![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.Visible, m => Placeholders.Contains(m.Text));
    }

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, output, TimeSpan.FromMinutes(5));
}
