using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Queue;

namespace CoachBot.Adapters.Teams.Tests;

public sealed class ActivityTurnsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static JsonObject Message(string text, string conversationType = "personal") => new()
    {
        ["type"] = "message",
        ["id"] = "1700000000001",
        ["channelId"] = "msteams",
        ["serviceUrl"] = "https://smba.trafficmanager.net/emea/",
        ["from"] = new JsonObject { ["id"] = "29:user-1" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "CoachBot" },
        ["conversation"] = new JsonObject { ["id"] = conversationType == "channel" ? "19:general@thread.tacv2;messageid=1699" : "a:chat", ["conversationType"] = conversationType, ["tenantId"] = "t1" },
        ["text"] = text,
        ["someFieldFromTheFuture"] = new JsonObject { ["nested"] = true },
    };

    private static Activity Parse(JsonObject json) => JsonSerializer.Deserialize<Activity>(json.ToJsonString(), ProtocolJson.Options)!;

    [Fact]
    public void FromMessage_ChannelWithTeamData_RoutingKeepsTheTeamAndItsEntraGroupForGraph()
    {
        var message = Message("<at>CoachBot</at> start", "channel");
        message["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = "28:bot" } });
        message["channelData"] = new JsonObject
        {
            ["team"] = new JsonObject { ["id"] = "19:team@thread.tacv2", ["aadGroupId"] = "0f1e2d3c-0000-4000-8000-00000000aa01" },
            ["channel"] = new JsonObject { ["id"] = "19:general@thread.tacv2" },
        };

        var turn = ActivityTurns.FromMessage(Parse(message), Now, out _)!;

        Assert.Equal("19:team@thread.tacv2", turn.Reply["teamId"]);
        Assert.Equal("0f1e2d3c-0000-4000-8000-00000000aa01", turn.Reply["teamGroupId"]);
        // Kept with a round's routing, so its summary can be looked up later.
        Assert.Equal("0f1e2d3c-0000-4000-8000-00000000aa01", TurnRouting.Durable(turn.Reply)["teamGroupId"]);
    }

    [Fact]
    public void FromMessage_PersonalText_IsAnAnswerWithRouting()
    {
        var turn = ActivityTurns.FromMessage(Parse(Message("Last year I led a migration.")), Now, out _)!;

        Assert.Equal(TurnIntent.Answer, turn.Intent);
        Assert.Equal("teams", turn.Channel);
        Assert.Equal("t1", turn.TenantId);
        Assert.Equal("teams:a:chat:1700000000001", turn.IdempotencyKey);
        Assert.Equal("https://smba.trafficmanager.net/emea/", turn.Reply["serviceUrl"]);
        Assert.Equal("1700000000001", turn.Reply["replyToId"]);
        Assert.Equal(Now, turn.ReceivedAt);
    }

    [Theory]
    [InlineData("personal", true)]
    [InlineData("groupChat", false)]
    [InlineData("channel", false)]
    public void FromMessage_ConversationType_SaysWhetherTheChatIsDirect(string conversationType, bool direct)
    {
        var turn = ActivityTurns.FromMessage(Parse(Message("group start")), Now, out _, requireMention: false);
        var shared = ActivityTurns.FromMessage(Parse(Message("group start", conversationType)), Now, out _, requireMention: false);

        Assert.True(turn!.IsDirect);
        Assert.Equal(direct, shared!.IsDirect);
    }

    [Fact]
    public void FromMessage_ChannelMentionWithCommand_StripsTheMention()
    {
        var json = Message("<at>CoachBot</at> start&nbsp;pm", "channel");
        json["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = "28:bot" }, ["text"] = "<at>CoachBot</at>" });

        var turn = ActivityTurns.FromMessage(Parse(json), Now, out _)!;

        Assert.Equal(TurnIntent.Command, turn.Intent);
        Assert.Equal("start pm", turn.Text);
        Assert.Equal("1699", turn.ThreadId);
    }

    [Fact]
    public void FromMessage_ChannelThreadReplyWithoutMention_WhenAllowed_IsTheChannelAndTheThreadsRoot()
    {
        var json = Message("<at>Someone</at> Last year I led a migration.", "channel");
        json["from"] = new JsonObject { ["id"] = "29:user-1", ["name"] = "Ada" };

        var turn = ActivityTurns.FromMessage(Parse(json), Now, out _, requireMention: false)!;

        Assert.Equal(("19:general@thread.tacv2", "1699"), (turn.ConversationId, turn.ThreadId));
        Assert.Equal("Last year I led a migration.", turn.Text);
        Assert.Equal(TurnIntent.Answer, turn.Intent);
        // Replies go into the thread; the key stays unique per thread message.
        Assert.Equal("19:general@thread.tacv2;messageid=1699", turn.Reply["conversationId"]);
        Assert.Equal("teams:19:general@thread.tacv2;messageid=1699:1700000000001", turn.IdempotencyKey);
        Assert.Equal(("28:bot", "Ada"), (turn.Reply["botId"], turn.Reply["sender.name"]));
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("groupChat")]
    public void FromMessage_SharedConversationWithoutMention_IsIgnored(string conversationType)
    {
        Assert.Null(ActivityTurns.FromMessage(Parse(Message("next", conversationType)), Now, out var reason));
        Assert.Contains("not addressed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMessage_SentByTheBot_IsIgnored()
    {
        var json = Message("hello");
        json["from"] = new JsonObject { ["id"] = "28:bot" };

        Assert.Null(ActivityTurns.FromMessage(Parse(json), Now, out _));
    }

    [Fact]
    public void FromMessage_ActionSubmit_IsACardAction()
    {
        var json = Message(null!);
        json["value"] = new JsonObject { ["coachbot"] = "hint", ["questionId"] = "swe-001" };

        var turn = ActivityTurns.FromMessage(Parse(json), Now, out _)!;

        Assert.Equal(TurnIntent.CardAction, turn.Intent);
        Assert.Equal("hint", turn.Action);
        Assert.Equal("swe-001", turn.QuestionId);
    }

    [Fact]
    public void FromMessage_FileInPersonalChat_IsASpokenAnswer()
    {
        var json = Message(string.Empty);
        json["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = "answer.m4a",
            ["content"] = new JsonObject { ["downloadUrl"] = "https://contoso-my.sharepoint.com/x?tempauth=abc", ["uniqueId"] = "u1", ["fileType"] = "m4a" },
        });

        var turn = ActivityTurns.FromMessage(Parse(json), Now, out _)!;

        Assert.Equal(TurnIntent.Answer, turn.Intent);
        Assert.Equal("https://contoso-my.sharepoint.com/x?tempauth=abc", turn.Audio!.Location);
        Assert.Equal("audio/mp4", turn.Audio.MimeType);
    }

    [Theory]
    [InlineData("{\"downloadUrl\":5}")]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{\"downloadUrl\":{\"nested\":true},\"fileType\":7}")]
    public void FromMessage_MalformedFileContent_IsIgnoredWithoutThrowing(string content)
    {
        var json = Message(string.Empty);
        json["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = "answer.m4a",
            ["content"] = JsonNode.Parse(content),
        });

        var turn = ActivityTurns.FromMessage(Parse(json), Now, out var ignored);

        Assert.Null(turn);
        Assert.NotEmpty(ignored);
    }

    [Fact]
    public void FromCardAction_ActionExecute_CarriesVerbAndQuestion()
    {
        var json = Message(string.Empty);
        json["type"] = "invoke";
        json["name"] = "adaptiveCard/action";
        json["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "next", ["data"] = new JsonObject { ["coachbot"] = "next", ["questionId"] = "gen-002" } },
            ["trigger"] = "manual",
        };

        var turn = ActivityTurns.FromCardAction(Parse(json), Now, out _)!;

        Assert.Equal(TurnIntent.CardAction, turn.Intent);
        Assert.Equal("next", turn.Action);
        Assert.Equal("gen-002", turn.QuestionId);
    }

    [Fact]
    public void FromCardAction_UnknownVerb_IsIgnored()
    {
        var json = Message(string.Empty);
        json["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "drop tables" } };

        Assert.Null(ActivityTurns.FromCardAction(Parse(json), Now, out _));
    }
}
