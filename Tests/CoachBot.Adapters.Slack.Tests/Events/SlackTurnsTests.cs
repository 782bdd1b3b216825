using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Coaching.Queue;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Adapters.Slack.Tests.Events;

public sealed class SlackTurnsTests
{
    private static MappedEvent Map(System.Text.Json.Nodes.JsonObject callback) => SlackTurns.FromEventCallback(Element(callback), DateTimeOffset.UnixEpoch);

    [Fact]
    public void FromEventCallback_DirectMessage_IsAnAnswerInItsThread()
    {
        var mapped = Map(Message("I led the migration &amp; cut build time", ts: "1.1"));

        Assert.Equal(EventDecision.Turn, mapped.Decision);
        Assert.Equal(TurnIntent.Answer, mapped.Turn!.Intent);
        Assert.Equal("I led the migration & cut build time", mapped.Turn.Text);
        Assert.Equal("1.1", mapped.Turn.ThreadId);
        Assert.Equal("1.1", mapped.Turn.Reply["thread_ts"]);
        Assert.Equal(Team, mapped.Turn.TenantId);
    }

    [Fact]
    public void FromEventCallback_MessagesTabOpened_WelcomesOncePerUser()
    {
        var first = Map(HomeOpened("messages", "Ev-home-1"));
        var again = Map(HomeOpened("messages", "Ev-home-2"));

        Assert.Equal(EventDecision.Turn, first.Decision);
        Assert.Equal(TurnIntent.Command, first.Turn!.Intent);
        Assert.Equal("help", first.Turn.Text);
        Assert.Equal("D0001", first.Turn.ConversationId);
        Assert.Equal(first.Turn.IdempotencyKey, again.Turn!.IdempotencyKey);
    }

    [Fact]
    public void FromEventCallback_HomeTabOpened_IsIgnored() => Assert.Equal(EventDecision.Ignore, Map(HomeOpened("home", "Ev-home-3")).Decision);

    private static System.Text.Json.Nodes.JsonObject HomeOpened(string tab, string eventId)
    {
        var callback = Message("", eventId: eventId);
        callback["event"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "app_home_opened", ["user"] = "U123", ["channel"] = "D0001", ["tab"] = tab, ["event_ts"] = "1700000300.000300" };
        return callback;
    }

    [Theory]
    [InlineData("next")]
    [InlineData("role product manager")]
    [InlineData("forget me confirm")]
    public void FromEventCallback_ShortCommand_IsACommand(string text) => Assert.Equal(TurnIntent.Command, Map(Message(text)).Turn!.Intent);

    [Fact]
    public void FromEventCallback_AnswerStartingWithACommandWord_IsAnAnswer() =>
        Assert.Equal(TurnIntent.Answer, Map(Message("Next I split the test suite and added caching to the build")).Turn!.Intent);

    [Fact]
    public void FromEventCallback_BotsOwnMessage_IsIgnored() => Assert.Equal(EventDecision.Ignore, Map(Message("Overall 70", user: BotUser)).Decision);

    [Fact]
    public void FromEventCallback_OtherBotsMessage_IsIgnored() => Assert.Equal(EventDecision.Ignore, Map(Message("hi", botId: "B999")).Decision);

    [Theory]
    [InlineData("message_changed")]
    [InlineData("bot_message")]
    [InlineData("channel_join")]
    [InlineData("message_deleted")]
    public void FromEventCallback_NonUserSubtype_IsIgnored(string subtype) => Assert.Equal(EventDecision.Ignore, Map(Message("x", subtype: subtype)).Decision);

    [Fact]
    public void FromEventCallback_ChannelMessageWithoutMention_IsIgnored() =>
        Assert.Equal(EventDecision.Ignore, Map(Message("lunch?", channel: "C0001", channelType: "channel")).Decision);

    [Fact]
    public void FromEventCallback_ChannelThreadReplyWithoutMention_NeedsTheBotInTheThread() =>
        Assert.Equal(EventDecision.TurnIfBotThread, Map(Message("my answer", channel: "C0001", channelType: "channel", ts: "2.2", threadTs: "1.1")).Decision);

    [Fact]
    public void FromEventCallback_MentionAndItsMessageEvent_MapToOneTurnKey()
    {
        var mention = Map(Message($"<@{BotUser}> start sales", channel: "C0001", channelType: "channel", type: "app_mention", eventId: "Ev1"));
        var message = Map(Message($"<@{BotUser}> start sales", channel: "C0001", channelType: "channel", eventId: "Ev2"));

        Assert.Equal(EventDecision.Turn, mention.Decision);
        Assert.Equal(EventDecision.Turn, message.Decision);
        Assert.Equal(mention.Turn!.IdempotencyKey, message.Turn!.IdempotencyKey);
        Assert.Equal("start sales", mention.Turn.Text);
        Assert.Equal(TurnIntent.Command, mention.Turn.Intent);
    }

    [Theory]
    [InlineData("audio/mp4", "slack_audio")]
    [InlineData("video/mp4", "slack_audio")]
    [InlineData("video/webm", null)]
    [InlineData("audio/x-m4a", null)]
    public void FromEventCallback_VoiceClipOrAudioFile_IsAnAudioAnswer(string mime, string? subtype)
    {
        var callback = VoiceClip(new Uri("https://files.slack.com/files-pri/T1-F1/download/audio_message.mp4"), 1234);
        var file = callback["event"]!["files"]![0]!.AsObject();
        file["mimetype"] = mime;
        file.Remove("subtype");
        if (subtype is not null)
        {
            file["subtype"] = subtype;
        }

        var turn = Map(callback).Turn!;

        Assert.Equal(TurnIntent.Answer, turn.Intent);
        Assert.Equal("https://files.slack.com/files-pri/T1-F1/download/audio_message.mp4", turn.Audio!.Location);
        Assert.Equal(mime, turn.Audio.MimeType);
        Assert.Equal(1234, turn.Audio.SizeBytes);
    }

    [Fact]
    public void FromEventCallback_ImageUpload_IsNotAudio()
    {
        var callback = VoiceClip(new Uri("https://files.slack.com/x.png"), 10);
        var file = callback["event"]!["files"]![0]!.AsObject();
        file["mimetype"] = "image/png";
        file.Remove("subtype");

        Assert.Null(Map(callback).Turn!.Audio);
    }

    [Fact]
    public void FromCommand_EmptyText_IsHelp()
    {
        var turn = SlackTurns.FromCommand(Command(string.Empty), DateTimeOffset.UnixEpoch)!;

        Assert.Equal(TurnIntent.Command, turn.Intent);
        Assert.Equal("help", turn.Text);
        Assert.Equal("command", turn.Reply["origin"]);
    }

    [Fact]
    public void FromInteraction_NextButton_IsACardActionInTheSameThread()
    {
        var turn = SlackTurns.FromInteraction(Element(ButtonPress("coach_retry", "gen-001", threadTs: "1.1")), DateTimeOffset.UnixEpoch)!;

        Assert.Equal(TurnIntent.CardAction, turn.Intent);
        Assert.Equal("retry", turn.Action);
        Assert.Equal("gen-001", turn.QuestionId);
        Assert.Equal("1.1", turn.Reply["thread_ts"]);
    }

    [Fact]
    public void FromInteraction_UnknownAction_IsNull() =>
        Assert.Null(SlackTurns.FromInteraction(Element(ButtonPress("something_else", null)), DateTimeOffset.UnixEpoch));
}
