using CoachBot.Coaching.Tests.Support;
using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Adapters.Slack.Tests.Events;

/// <summary>How messages about group rounds are taken in: round threads, the facilitator's words, group commands in DMs.</summary>
public sealed class SlackInboundRoundTests : IAsyncLifetime
{
    private const string RoundThread = "1700000500.000500";
    private readonly RecordingIntake _intake = new();
    private readonly ThreadRounds _rounds = new();
    private FakeSlack _slack = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        // A clock that stands still: the admin check's budget never runs out however slow this machine is right now
        // (SlackAdminsTests drive the budget itself).
        _host = SlackServices.Build(_intake, _rounds, new FakeClock(DateTimeOffset.UtcNow), SlackServices.Against(_slack));
        _rounds.Add("C0001", RoundThread, facilitator: "UFAC0001", id: 42);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _slack.DisposeAsync();
    }

    private SlackInbound Inbound => _host.Services.GetRequiredService<SlackInbound>();

    private static System.Text.Json.JsonElement InThread(string text, string user, string ts, string thread = RoundThread) =>
        Element(Message(text, user: user, channel: "C0001", channelType: "channel", ts: ts, threadTs: thread, eventId: "Ev-" + ts));

    [Fact]
    public async Task HandleEvent_AnswerInARoundThreadWithoutMention_IsARoundTurnWithAPlaceholderInTheThread()
    {
        await Inbound.HandleEventAsync(InThread("In my last job I led the migration and we cut build time by half.", "UAAA0001", "1700000501.000001"), null, default);

        var turn = Assert.Single(_intake.Turns);
        Assert.Equal(42, turn.RoundId);
        Assert.False(turn.SenderIsAdmin);
        Assert.Empty(_slack.CallsTo("conversations.replies"));
        var placeholder = Assert.Single(_slack.CallsTo("chat.postMessage"));
        Assert.Equal(RoundThread, placeholder.Body["thread_ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandleEvent_AdminSaysWrapTwice_AdminLookedUpOnceAndNoPlaceholder()
    {
        _slack.Admins.Add("UADM0001");

        await Inbound.HandleEventAsync(InThread("wrap", "UADM0001", "1700000502.000001"), null, default);
        await Inbound.HandleEventAsync(InThread("wrap", "UADM0001", "1700000503.000001"), null, default);

        Assert.Equal(2, _intake.Turns.Count);
        Assert.All(_intake.Turns, t => Assert.True(t.SenderIsAdmin));
        Assert.All(_intake.Turns, t => Assert.Equal(42, t.RoundId));
        Assert.Single(_slack.CallsTo("users.info"));
        Assert.Empty(_slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task HandleEvent_MemberSaysWrap_NotAdmin()
    {
        await Inbound.HandleEventAsync(InThread("wrap", "UAAA0001", "1700000504.000001"), null, default);

        Assert.False(Assert.Single(_intake.Turns).SenderIsAdmin);
        Assert.Single(_slack.CallsTo("users.info"));
    }

    [Fact]
    public async Task HandleEvent_FacilitatorSaysWrap_NoAdminLookup()
    {
        await Inbound.HandleEventAsync(InThread("wrap", "UFAC0001", "1700000505.000001"), null, default);

        Assert.Equal(42, Assert.Single(_intake.Turns).RoundId);
        Assert.Empty(_slack.CallsTo("users.info"));
    }

    [Fact]
    public async Task HandleEvent_ReplyInAnotherThread_IsNotARoundTurn()
    {
        await Inbound.HandleEventAsync(InThread("<@UBOT> help", "UAAA0001", "1700000506.000001", thread: "1700000400.000400"), null, default);

        Assert.Null(Assert.Single(_intake.Turns).RoundId);
    }

    [Fact]
    public async Task HandleEvent_GroupMentionInAChannel_PlaceholderIsTopLevel()
    {
        await Inbound.HandleEventAsync(
            Element(Message("<@UBOT> group questions=2", user: "UFAC0001", channel: "C0001", channelType: "channel", ts: "1700000600.000600", type: "app_mention")),
            null,
            default);

        var turn = Assert.Single(_intake.Turns);
        Assert.Equal(TurnIntent.Command, turn.Intent);
        Assert.False(turn.Reply.ContainsKey("thread_ts"));
        Assert.Null(Assert.Single(_slack.CallsTo("chat.postMessage")).Body["thread_ts"]);
    }

    [Fact]
    public async Task HandleEvent_GroupInADirectMessage_RefusedWithAMessageAndNotQueued()
    {
        await Inbound.HandleEventAsync(Element(Message("group questions=2", ts: "1700000700.000700")), null, default);
        await Inbound.WhenIdleAsync();

        Assert.Empty(_intake.Turns);
        var refusal = Assert.Single(_slack.CallsTo("chat.postMessage"));
        Assert.Equal("D0001", refusal.Body["channel"]!.GetValue<string>());
        Assert.Contains("runs in channels", refusal.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleCommand_GroupInADirectMessage_RefusedAndNotQueued()
    {
        Assert.True(await Inbound.HandleCommandAsync(Command("group"), default));
        await Inbound.WhenIdleAsync();

        Assert.Empty(_intake.Turns);
        Assert.Contains("runs in channels", Assert.Single(_slack.CallsTo("chat.postMessage")).Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleCommand_GroupFeedbackByAnAdmin_CarriesTheAdminFlag()
    {
        _slack.Admins.Add("UADM0001");

        await Inbound.HandleCommandAsync(Command("group feedback public", user: "UADM0001", channel: "C0001"), default);

        Assert.True(Assert.Single(_intake.Turns).SenderIsAdmin);
    }
}
