using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Graph;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams.Tests.Graph;

/// <summary>
/// A Teams post cut off by a crash (its ledger slot begun, no activity id stored), or whose answer was lost after the
/// connector may have delivered it (a 5xx, a dropped connection), is looked up in Microsoft Graph before the reply is
/// posted again. The fake Bot Framework on 127.0.0.1 stores what the bot posts; its Graph lists those
/// messages as <c>chatMessage</c>s (the card as a JSON string, <c>from.application.id</c> the poster's app id), paged by
/// <c>$top</c> and <c>@odata.nextLink</c>, behind a client-credentials token for the tenant.
/// </summary>
public sealed class CutOffPostLookupTests : IAsyncLifetime
{
    private const string Tenant = "tenant-1";
    private const string GroupChat = "19:group-chat@thread.v2";
    private const string Channel = "19:practice@thread.tacv2";
    private const string TeamThread = "19:team-general@thread.tacv2";
    private const string TeamGroup = "0f1e2d3c-0000-4000-8000-00000000aa01";
    private readonly CoachBot.Coaching.Tests.Support.FakeClock _time = new(DateTimeOffset.UtcNow);
    private readonly ListLogger _log = new();
    private FakeBotFramework _fake = null!;
    private ServiceProvider _services = null!;
    private InMemoryDeliveryLedger _ledger = null!;
    private TeamsReplier _replier = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _fake.Clock = _time.GetUtcNow;
        _fake.TeamGroups[TeamThread] = TeamGroup;
        var settings = TeamsServices.For(_fake);
        // Retries wait on the injected clock, which moves only when a test moves it.
        settings["Teams:ConnectorRetryBaseDelayMilliseconds"] = "0";
        Build(settings);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private void Build(Dictionary<string, string?> settings)
    {
        _services = TeamsServices.Build(settings, _time);
        _ledger = new InMemoryDeliveryLedger(_time);
        _replier = new TeamsReplier(
            _services.GetRequiredService<ConnectorClient>(),
            DispatchProxy.Create<IGroupRounds, Unused>(),
            new PendingFeedback(DispatchProxy.Create<IPendingFeedbackStore, Unused>(), _services.GetRequiredService<IOptions<TeamsOptions>>(), _time),
            _services.GetRequiredService<IOptions<TeamsOptions>>(),
            _time,
            _log,
            _ledger,
            _services.GetRequiredService<GraphMessages>());
    }

    [Fact]
    public async Task SendAsync_CutOffPostIsInTheGroupChat_UpdatesItInsteadOfPosting()
    {
        var turn = GroupChatTurn("m-1");
        var landed = await CutOffPostAsync(turn, GroupChat, "First try");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        var shown = Assert.Single(_fake.MessagesIn(GroupChat));
        Assert.Contains("Second try", shown.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(landed, (await _ledger.FindAsync(turn.IdempotencyKey, DeliverySlots.Main, default))!.MessageId);
        Assert.Single(_fake.ConnectorCalls, c => c.Method == "PUT" && c.Path.EndsWith("/activities/" + landed, StringComparison.Ordinal));
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Method == "POST");
        Assert.Contains(_log.Lines, l => l.Contains("found in Microsoft Graph", StringComparison.Ordinal));
        // The token came from the conversation's tenant, for Graph's scope.
        Assert.Equal([Tenant], _fake.GraphTokenTenants);
        Assert.All(_fake.GraphCalls, c => Assert.Equal("Bearer graph-token-1", c.Authorization));
    }

    [Fact]
    public async Task SendAsync_CutOffPostNeverLanded_PostsOnce()
    {
        var turn = GroupChatTurn("m-1");
        await _ledger.BeginAsync(turn.IdempotencyKey, DeliverySlots.Main, GroupChat, "m-1", null, default);
        _time.Advance(TimeSpan.FromSeconds(30));

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        var shown = Assert.Single(_fake.MessagesIn(GroupChat));
        Assert.Contains("Only try", shown.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(_fake.GraphCalls);
        Assert.Contains(_log.Lines, l => l.Contains("Microsoft Graph does not have it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_GraphRefusesForWantOfConsent_PostsAgainAndSaysWhatToGrant()
    {
        _fake.GraphRefusal = 403;
        var turn = GroupChatTurn("m-1");
        await CutOffPostAsync(turn, GroupChat, "First try");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Equal(2, _fake.MessagesIn(GroupChat).Count);
        var line = Assert.Single(_log.Lines, l => l.Contains("cannot be looked up, so it is posted again", StringComparison.Ordinal));
        Assert.Contains("Graph refused the look-up (403): grant resource-specific consent ChatMessage.Read.Chat", line, StringComparison.Ordinal);
        // Nothing of the message's text in the log.
        Assert.DoesNotContain(_log.Lines, l => l.Contains("First try", StringComparison.Ordinal) || l.Contains("Second try", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_GraphDoesNotAnswerWithinItsBudget_PostsAgainAndSaysSo()
    {
        var never = new TaskCompletionSource();
        _fake.GraphHold = never.Task;
        var turn = GroupChatTurn("m-1");
        await CutOffPostAsync(turn, GroupChat, "First try");

        var sending = _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);
        // The look-up's budget (Teams:GraphLookupSeconds, 10 by default) runs on the injected clock.
        await _time.WaitForTimerDueByAsync(_time.GetUtcNow().AddSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        await sending.WaitAsync(TimeSpan.FromMinutes(2));
        never.SetResult();

        Assert.Equal(2, _fake.MessagesIn(GroupChat).Count);
        Assert.Contains(_log.Lines, l => l.Contains("Graph did not answer within Teams:GraphLookupSeconds (10 s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_CutOffPostIsPagesBackInAChannelThread_FindsItThroughNextLinks()
    {
        const string root = "root-77";
        var (thread, turn) = ChannelThreadTurn(root);
        // 120 earlier replies by other apps: replies are listed oldest first, so the lost one is on the third page of 50.
        for (var i = 0; i < 120; i++)
        {
            _fake.AddMessage(thread, new JsonObject { ["type"] = "message", ["text"] = "reply " + i }, "another-app");
        }

        var landed = await CutOffPostAsync(turn, thread, "First try");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Equal(121, _fake.MessagesIn(thread).Count);
        Assert.Contains("Second try", _fake.Messages[(thread, landed)].ToJsonString(), StringComparison.Ordinal);
        var pages = _fake.GraphCalls;
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.StartsWith($"/graph/v1.0/teams/{TeamGroup}/channels/{Uri.EscapeDataString(Channel)}/messages/{root}/replies?", p.Path, StringComparison.Ordinal));
        // The team's Graph id came from the connector's team details (the activity named only the team's thread id).
        Assert.Single(_fake.ConnectorCalls, c => c.Method == "GET" && c.Path == "/v3/teams/" + Uri.EscapeDataString(TeamThread));
    }

    [Fact]
    public async Task SendAsync_TurnNamesTheTeamsEntraGroup_AsksGraphWithoutTheConnectorsTeamDetails()
    {
        var (thread, turn) = ChannelThreadTurn("root-78");
        turn = turn with { Reply = new Dictionary<string, string>(turn.Reply, StringComparer.Ordinal) { ["teamGroupId"] = TeamGroup } };
        var landed = await CutOffPostAsync(turn, thread, "First try");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Single(_fake.MessagesIn(thread));
        Assert.Contains("Second try", _fake.Messages[(thread, landed)].ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Path.StartsWith("/v3/teams/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ManyPagesToRead_FollowsNextLinkToTheLastPage()
    {
        var turn = GroupChatTurn("m-1");
        var landed = await CutOffPostAsync(turn, GroupChat, "First try");
        for (var i = 0; i < 130; i++)
        {
            _fake.AddMessage(GroupChat, new JsonObject { ["type"] = "message", ["text"] = "chatter " + i }, "another-app");
        }

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Contains("Second try", _fake.Messages[(GroupChat, landed)].ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(3, _fake.GraphCalls.Count);
        Assert.Contains("$skiptoken=100", _fake.GraphCalls[2].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AnotherAppPostedTheSameCard_IsNotTaken()
    {
        var turn = GroupChatTurn("m-1");
        await _ledger.BeginAsync(turn.IdempotencyKey, DeliverySlots.Main, GroupChat, "m-1", null, default);
        // Another app's message carrying the very same card, key and all: not the bot's.
        var copy = Activity(turn, "First try");
        var foreign = _fake.AddMessage(GroupChat, copy, "11111111-2222-3333-4444-555555555555");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Equal(2, _fake.MessagesIn(GroupChat).Count);
        Assert.Contains("First try", _fake.Messages[(GroupChat, foreign)].ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Method == "PUT");
    }

    [Fact]
    public async Task SendAsync_TwoLookUps_OneGraphTokenUntilItNearsExpiry()
    {
        foreach (var id in new[] { "m-1", "m-2" })
        {
            var turn = GroupChatTurn(id);
            await CutOffPostAsync(turn, GroupChat, "First try");
            await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);
        }

        Assert.Equal(1, _fake.GraphTokenRequests);
        // The token lasts 3,599 s; five minutes before that a new one is fetched.
        _time.Advance(TimeSpan.FromSeconds(3599 - 299));
        var third = GroupChatTurn("m-3");
        await CutOffPostAsync(third, GroupChat, "First try");
        await _replier.SendAsync(third, Reply("Second try"), CancellationToken.None);
        Assert.Equal(2, _fake.GraphTokenRequests);
    }

    [Fact]
    public async Task SendAsync_CutOffPostInAPersonalChat_PostsAgainAndSaysWhy()
    {
        var turn = PersonalTurn("m-1");
        await CutOffPostAsync(turn, "a:personal-1", "First try");

        await _replier.SendAsync(turn, Reply("Second try"), CancellationToken.None);

        Assert.Equal(2, _fake.MessagesIn("a:personal-1").Count);
        Assert.Empty(_fake.GraphCalls);
        Assert.Contains(_log.Lines, l => l.Contains("personal chat", StringComparison.Ordinal) && l.Contains("Chat.Read.All", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("groupChat", 502)]
    [InlineData("groupChat", FakeBotFramework.DropConnection)]
    [InlineData("channel", 502)]
    [InlineData("channel", FakeBotFramework.DropConnection)]
    public async Task SendAsync_PlaceholderDeliveredThenItsAnswerLost_FindsItAndTheReplyReplacesIt(string where, int failure)
    {
        var (conversation, turn) = where == "channel" ? ChannelThreadTurn("root-79") : (GroupChat, GroupChatTurn("m-1"));
        turn = turn with { Intent = TurnIntent.Answer };
        _fake.FailuresAfterPosting.Enqueue(failure);

        var placeholder = await _replier.PostPlaceholderAsync(turn, CancellationToken.None);
        turn = turn with { Reply = new Dictionary<string, string>(turn.Reply, StringComparer.Ordinal) { ["placeholderId"] = placeholder["placeholderId"] } };
        await _replier.SendAsync(turn, Reply("The feedback"), CancellationToken.None);

        var shown = Assert.Single(_fake.MessagesIn(conversation));
        Assert.Contains("The feedback", shown.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(_fake.ConnectorCalls, c => c.Method == "POST" && (string?)c.Json?["type"] == "message");
        Assert.Single(_fake.ConnectorCalls, c => c.Method == "PUT" && c.Path.EndsWith("/activities/" + placeholder["placeholderId"], StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains(
            (failure == FakeBotFramework.DropConnection ? "by a connection lost after sending" : "by the connector's 502 answer") + "; found in Microsoft Graph",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_CardDeliveredThenAnswered502_KeepsThatMessage()
    {
        var turn = GroupChatTurn("m-1");
        _fake.FailuresAfterPosting.Enqueue(502);

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        var shown = Assert.Single(_fake.Messages, m => m.Key.Conversation == GroupChat);
        Assert.Contains("Only try", shown.Value.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(shown.Key.Id, (await _ledger.FindAsync(turn.IdempotencyKey, DeliverySlots.Main, default))!.MessageId);
    }

    [Fact]
    public async Task SendAsync_Answered502AndGraphRefusesForWantOfConsent_PostsAgainAndSaysWhy()
    {
        _fake.GraphRefusal = 403;
        var turn = GroupChatTurn("m-1");
        _fake.FailuresAfterPosting.Enqueue(502);

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        Assert.Equal(2, _fake.MessagesIn(GroupChat).Count);
        Assert.Contains(_log.Lines, l => l.Contains(
            "(main) was cut off by the connector's 502 answer and cannot be looked up, so it is posted again: the Graph look-up failed: Graph refused the look-up (403)",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_Answered502AndGraphDoesNotHaveIt_PostsAgain()
    {
        var turn = GroupChatTurn("m-1");
        // Refused before anything was stored: the connector delivered nothing.
        _fake.ConnectorFailures.Enqueue(502);

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        Assert.Contains("Only try", Assert.Single(_fake.MessagesIn(GroupChat)).ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Contains("by the connector's 502 answer; Microsoft Graph does not have it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_TooManyRequests_RetriedWithoutALookUp()
    {
        var turn = GroupChatTurn("m-1");
        _fake.ConnectorFailures.Enqueue(429);

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        Assert.Single(_fake.MessagesIn(GroupChat));
        Assert.Equal(2, _fake.ConnectorCalls.Count(c => c.Method == "POST"));
        Assert.Empty(_fake.GraphCalls);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(FakeBotFramework.DropConnection)]
    public async Task SendAsync_PersonalChatPostAnswerLost_RetriedSoTheReplyIsNeverLost(int failure)
    {
        var turn = PersonalTurn("m-1");
        _fake.FailuresAfterPosting.Enqueue(failure);

        await _replier.SendAsync(turn, Reply("Only try"), CancellationToken.None);

        // Graph cannot list a bot's personal chat: a duplicate is the price of never losing the reply.
        Assert.InRange(_fake.MessagesIn("a:personal-1").Count, 1, 2);
        Assert.Empty(_fake.GraphCalls);
    }

    /// <summary>The slot is begun and the marked card posted, but the id never reaches the ledger (the process died).</summary>
    private async Task<string> CutOffPostAsync(CoachingTurn turn, string conversation, string text)
    {
        await _ledger.BeginAsync(turn.IdempotencyKey, DeliverySlots.Main, turn.Reply["conversationId"], turn.Reply.GetValueOrDefault("replyToId"), null, default);
        // The posting is what the bot itself sent: the connector stamps the poster's app id from the bot's token.
        var connector = _services.GetRequiredService<ConnectorClient>();
        var posted = await connector.SendAsync(new ConversationRoute(_fake.ServiceUrl, conversation),
            GraphMessages.Mark(Protocol.Activity.CardMessage(CoachBot.Cards.Adaptive.AdaptiveCards.ForReply(Reply(text), new CoachBot.Cards.Adaptive.CardOptions(false, null)), text),
                turn.IdempotencyKey, DeliverySlots.Main)!, null, default);
        _fake.Calls.Clear();
        _time.Advance(TimeSpan.FromSeconds(30));
        return posted!;
    }

    private static JsonObject Activity(CoachingTurn turn, string text)
    {
        var marked = GraphMessages.Mark(Protocol.Activity.CardMessage(
            CoachBot.Cards.Adaptive.AdaptiveCards.ForReply(Reply(text), new CoachBot.Cards.Adaptive.CardOptions(false, null)), text), turn.IdempotencyKey, DeliverySlots.Main)!;
        return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(marked, Protocol.ProtocolJson.Options))!.AsObject();
    }

    private static TurnReply Reply(string text) => new() { Kind = TurnReplyKind.Text, Text = text };

    private CoachingTurn GroupChatTurn(string id) => new()
    {
        Channel = "teams",
        TenantId = Tenant,
        UserId = "29:user-1",
        ConversationId = GroupChat,
        Intent = TurnIntent.Command,
        IdempotencyKey = $"teams:{GroupChat}:{id}",
        ReceivedAt = _time.GetUtcNow(),
        Reply = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["serviceUrl"] = _fake.ServiceUrl,
            ["conversationId"] = GroupChat,
            ["conversationType"] = "groupChat",
            ["tenantId"] = Tenant,
            ["replyToId"] = id,
        },
    };

    private CoachingTurn PersonalTurn(string id) => GroupChatTurn(id) with
    {
        ConversationId = "a:personal-1",
        IsDirect = true,
        Reply = new Dictionary<string, string>(GroupChatTurn(id).Reply, StringComparer.Ordinal)
        {
            ["conversationId"] = "a:personal-1",
            ["conversationType"] = "personal",
        },
    };

    /// <summary>A channel thread under the round card <paramref name="root"/> and an @mention in it.</summary>
    private (string Thread, CoachingTurn Turn) ChannelThreadTurn(string root)
    {
        _fake.ChannelPosts[root] = Channel;
        return ($"{Channel};messageid={root}", ChannelTurn("m-1", root));
    }

    private CoachingTurn ChannelTurn(string id, string root) => new()
    {
        Channel = "teams",
        TenantId = Tenant,
        UserId = "29:user-1",
        ConversationId = Channel,
        ThreadId = root,
        Intent = TurnIntent.Command,
        IdempotencyKey = $"teams:{Channel};messageid={root}:{id}",
        ReceivedAt = _time.GetUtcNow(),
        Reply = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["serviceUrl"] = _fake.ServiceUrl,
            ["conversationId"] = $"{Channel};messageid={root}",
            ["conversationType"] = "channel",
            ["tenantId"] = Tenant,
            ["teamId"] = TeamThread,
            ["replyToId"] = id,
        },
    };

    /// <summary>A seam the look-up never reaches (rounds, kept feedback): any call fails the test.</summary>
    public class Unused : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"{targetMethod?.Name} was not expected here.");
    }

    /// <summary>Keeps formatted log lines.</summary>
    private sealed class ListLogger : ILogger<TeamsReplier>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
