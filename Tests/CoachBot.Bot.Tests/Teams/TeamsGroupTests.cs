using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams;
using CoachBot.Cards.Adaptive;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Teams;

/// <summary>Group practice rounds in Teams, end to end through the host against the fake Bot Framework.</summary>
public sealed class TeamsGroupTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "00000000-0000-0000-0000-0000000000b1";
    private const string Bot = "28:" + AppId;
    private const string ChannelId = "19:practice@thread.tacv2";
    private const string Facilitator = "29:fac";
    private static readonly CardOptions Options = new(CanRecord: true, ArticleBaseUrl: "https://coachbot.example.com");
    private readonly TempFolder _folder = new();
    private readonly RecordingProcessor[] _processor = new RecordingProcessor[1];
    private FakeBotFramework _fake = null!;
    private CoachBotFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        foreach (var (id, name) in new[] { (Facilitator, "Fay"), ("29:a", "Ada"), ("29:b", "Bo"), ("29:c", "Cy"), ("29:d", "Di"), (Bot, "CoachBot") })
        {
            _fake.Roster[id] = name;
        }

        _factory = Factory(_folder.File("teams-group.db"));
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _fake.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    private RecordingProcessor Processor => _processor[0] ?? throw new InvalidOperationException("The processor was not created yet.");

    private IGroupRounds Rounds => _factory.Services.GetRequiredService<IGroupRounds>();

    [Fact]
    public async Task GroupStart_InAChannel_PostsTheRoundCardAsANewChannelPostWhoseThreadIsTheRounds()
    {
        var (round, root) = await StartRoundAsync("group start questions=1");

        var post = _fake.ConnectorCalls.Single(c => c.Path == "/v3/conversations" && c.Json?["channelData"] is not null);
        Assert.Equal(ChannelId, (string?)post.Json!["channelData"]!["channel"]!["id"]);
        Assert.True((bool)post.Json["isGroup"]!);
        var reply = Processor.Replies[Key(ChannelId, "m-start", "m-start")];
        Assert.Equal(TurnReplyKind.GroupRound, reply.Kind);
        var card = (JsonObject)post.Json["activity"]!["attachments"]![0]!["content"]!;
        // The card carries its delivery slot's key (hidden), for a Graph look-up should a crash cut its post off.
        Assert.Contains("\"coachbot-delivery:" + Key(ChannelId, "m-start", "m-start") + "/round\"", card.ToJsonString(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(AdaptiveCards.GroupRound(reply.Group!, new GroupCardContext("Fay", InThread: true), Options), FakeBotFramework.WithoutDeliveryMark(card)), card.ToJsonString());
        Assert.Equal(root, round.ThreadId);
        Assert.Equal(ChannelId, round.ConversationId);
        Assert.Equal(Facilitator, round.FacilitatorId);
        // Nothing was posted into the thread of the command itself.
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Method != "GET" && c.Path.Contains(Escape(ChannelId + ";messageid=m-start"), StringComparison.Ordinal) && c.Json?["type"]?.ToString() == "message");
    }

    [Fact]
    public async Task Round_ThreeMembersAnswerOneByVoice_FeedbackIsPrivate_ThreadGetsAcknowledgements_OnlyTheFacilitatorWraps()
    {
        var (round, root) = await StartRoundAsync("group start questions=1");
        var thread = Escape(ChannelId + ";messageid=" + root);

        await AnswerInThreadAsync(root, "m-a", "29:a", "Ada", CliRun.Answer);
        await AnswerInThreadAsync(root, "m-b", "29:b", "Bo", "In my last role our checkout page was slow, so I measured where the time went, found three heavy queries, rewrote them and added an index. Page load fell from four seconds to one.");
        var voiceKey = await RecordInThreadAsync(root, "29:c", "Cy");
        var voice = await WaitForPrivateAsync("29:c");

        var reports = new[] { Processor.Replies[Key(ChannelId, root, "m-a")], Processor.Replies[Key(ChannelId, root, "m-b")], Processor.Replies[voiceKey] };
        Assert.All(reports, r => Assert.Equal(TurnReplyKind.Report, r.Kind));
        Assert.All(reports, r => Assert.Equal(round.Id, r.Group!.RoundId));
        Assert.NotNull(reports[2].Report!.Delivery);
        AssertCard(AdaptiveCards.ForReply(reports[2], Options), voice);
        AssertCard(AdaptiveCards.ForReply(reports[0], Options), await WaitForPrivateAsync("29:a"));
        AssertCard(AdaptiveCards.ForReply(reports[1], Options), await WaitForPrivateAsync("29:b"));
        var acknowledgements = await WaitForAsync(() => ThreadCalls(thread).Select(c => c.Json is JsonObject json ? FakeBotFramework.VisibleText(json) : null).Where(t => t?.StartsWith('✓') == true).ToList(), a => a.Count == 3);
        Assert.Equal(["✓ 1 answer so far", "✓ 2 answers so far", "✓ 3 answers so far"], acknowledgements.Order(StringComparer.Ordinal));
        foreach (var report in reports)
        {
            var card = AdaptiveCards.ForReply(report, Options);
            Assert.DoesNotContain(ThreadCalls(thread), c => c.Json?["attachments"]?[0]?["content"] is { } content && JsonNode.DeepEquals(content, card));
        }

        Assert.DoesNotContain(ThreadCalls(thread), c => c.Body.Contains("What went well", StringComparison.Ordinal));

        // A member's "wrap" is refused; the round stays open.
        await PostAsync(ChannelMessage("m-wrap-a", "wrap", "29:a", "Ada", root));
        var refused = await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Path.EndsWith("/activities/m-wrap-a", StringComparison.Ordinal) && c.Json?["attachments"] is not null), c => c is not null);
        Assert.Equal("not_facilitator", Processor.Replies[Key(ChannelId, root, "m-wrap-a")].ErrorCode);
        Assert.Contains("facilitator", refused!.Body, StringComparison.Ordinal);
        Assert.False((await Rounds.GetAsync(round.Id, default))!.Wrapped);

        // The facilitator's "wrap" posts the summary in the thread.
        await PostAsync(ChannelMessage("m-wrap", "wrap", Facilitator, "Fay", root));
        var posted = await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Body.Contains("round summary", StringComparison.Ordinal)), c => c is not null);
        var summary = Processor.Replies[Key(ChannelId, root, "m-wrap")];
        Assert.Equal(TurnReplyKind.GroupSummary, summary.Kind);
        var names = _fake.Roster.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        AssertCard(AdaptiveCards.GroupSummary(summary.Group!, names), posted!);
        Assert.True((await Rounds.GetAsync(round.Id, default))!.Wrapped);

        // The numbers on the card are the averages of what the members were told.
        var facts = Facts((JsonObject)posted!.Json!["attachments"]![0]!["content"]!);
        Assert.Equal(Mean(reports.Select(r => (double)r.Report!.Overall)), facts["Average overall"]);
        Assert.Equal("3", facts["Answers"]);
        foreach (var dimension in reports.SelectMany(r => r.Report!.Scores).Select(s => s.Name).Distinct())
        {
            var expected = Mean(reports.SelectMany(r => r.Report!.Scores).Where(s => s.Name == dimension).Select(s => (double)s.Score));
            var title = char.ToUpperInvariant(dimension[0]) + dimension[1..].Replace('_', ' ');
            Assert.Equal(expected, facts[title].Split(' ')[0]);
        }

        // Everyone who answered is thanked by mention.
        var mentioned = posted.Json["entities"]!.AsArray().Select(e => (string?)e!["mentioned"]!["id"]).Order(StringComparer.Ordinal);
        Assert.Equal(["29:a", "29:b", "29:c"], mentioned);
    }

    [Fact]
    public async Task Wrap_FromAnAdminListedInTeamsAdminUserIds_PostsTheSummary()
    {
        var (round, root) = await StartRoundAsync("group start");
        var thread = Escape(ChannelId + ";messageid=" + root);

        await PostAsync(ChannelMessage("m-wrap-d", "wrap", "29:d", "Di", root));
        await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Body.Contains("round summary", StringComparison.Ordinal)), c => c is not null);

        Assert.Equal(TurnReplyKind.GroupSummary, Processor.Replies[Key(ChannelId, root, "m-wrap-d")].Kind);
        Assert.True((await Rounds.GetAsync(round.Id, default))!.Wrapped);
    }

    [Fact]
    public async Task Remind_MentionsTheMembersWhoHaveNotAnswered_NotTheBot()
    {
        var (_, root) = await StartRoundAsync("group start");
        var thread = Escape(ChannelId + ";messageid=" + root);
        await AnswerInThreadAsync(root, "m-a", "29:a", "Ada", CliRun.Answer);

        await PostAsync(ChannelMessage("m-remind", "<at>CoachBot</at> remind", Facilitator, "Fay", root, mention: true));
        var reminder = await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Json?["entities"] is JsonArray { Count: > 0 } && c.Body.Contains("Still open", StringComparison.Ordinal)), c => c is not null);

        var mentioned = reminder!.Json!["entities"]!.AsArray().Select(e => (string?)e!["mentioned"]!["id"]).Order(StringComparer.Ordinal);
        Assert.Equal(["29:b", "29:c", "29:d", Facilitator], mentioned);
        Assert.Contains("<at>Bo</at>", (string?)reminder.Json["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Member_WhoHasNotInstalledCoachBot_GetsTheConsentMessage_AndTheFeedbackWhenTheyInstall()
    {
        _fake.RefusedPersonalChats["29:d"] = true;
        var (round, root) = await StartRoundAsync("group start");
        var thread = Escape(ChannelId + ";messageid=" + root);

        await PostAsync(ChannelMessage("m-d", CliRun.Answer, "29:d", "Di", root));
        var consent = await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Json?["entities"] is JsonArray { Count: > 0 }), c => c is not null);

        Assert.Equal("<at>Di</at>, your feedback is ready: open your chat with CoachBot to get it.", (string?)consent!.Json!["text"]);
        Assert.Equal("29:d", (string?)consent.Json["entities"]![0]!["mentioned"]!["id"]);
        Assert.Contains("users=" + Uri.EscapeDataString(Bot), consent.Body, StringComparison.Ordinal);
        Assert.Contains(ThreadCalls(thread), c => c.Json is JsonObject json && FakeBotFramework.VisibleText(json) == "✓ 1 answer so far");
        Assert.DoesNotContain("29:d", _fake.PersonalChats.Values);
        var answer = Assert.Single(await Rounds.AnswersAsync(round.Id, default));
        Assert.Equal("29:d", answer.UserId);

        // Installing CoachBot personally brings the kept feedback, once.
        var report = Processor.Replies[Key(ChannelId, root, "m-d")];
        await InstallPersonallyAsync("m-install-1", "29:d");
        var delivered = await WaitForAsync(() => _fake.ConnectorCalls.FirstOrDefault(c => c.Path == "/v3/conversations/a%3Apersonal-d/activities" && c.Body.Contains("Overall", StringComparison.Ordinal)), c => c is not null);
        AssertCard(AdaptiveCards.ForReply(report, Options), delivered!);
        var kept = _factory.Services.GetRequiredService<PendingFeedback>();
        await PollAsync(() => kept.ForUserAsync("29:d", default), k => k.Count == 0);
    }

    [Fact]
    public async Task Deadline_ReachedWhileTheBotWasDown_TheRoundIsWrappedOnRestart_IntoItsThread()
    {
        var (round, root) = await StartRoundAsync("group start deadline=1m");
        await AnswerInThreadAsync(root, "m-a", "29:a", "Ada", CliRun.Answer);
        var report = Processor.Replies[Key(ChannelId, root, "m-a")];
        _client.Dispose();
        await _factory.DisposeAsync();

        // The bot comes back after the deadline.
        await using var restarted = Factory(_folder.File("teams-group.db"), new OffsetTime(TimeSpan.FromMinutes(5))).WithSetting("Groups:CheckSeconds", "1");
        _ = restarted.Services;
        var thread = Escape(ChannelId + ";messageid=" + root);
        var posted = await WaitForAsync(() => ThreadCalls(thread).FirstOrDefault(c => c.Body.Contains("round summary", StringComparison.Ordinal)), c => c is not null);

        Assert.True((await restarted.Services.GetRequiredService<IGroupRounds>().GetAsync(round.Id, default))!.Wrapped);
        var facts = Facts((JsonObject)posted!.Json!["attachments"]![0]!["content"]!);
        Assert.Equal(Mean([report.Report!.Overall]), facts["Average overall"]);
        Assert.Equal("1", facts["Participants"]);
    }

    [Fact]
    public async Task GroupChat_WhileARoundIsOpen_MessagesAreAnswers_AndTheCardIsPostedInTheChat()
    {
        await PostAsync(GroupChatMessage("g-start", "<at>CoachBot</at> group start", Facilitator, "Fay", mention: true));
        var card = await WaitForAsync(() => _fake.ConnectorCalls.FirstOrDefault(c => c.Path == "/v3/conversations/19%3Achat-1%40thread.v2/activities" && c.Json?["attachments"] is not null), c => c is not null);
        var round = await PollAsync(() => Rounds.FindOpenAsync("teams", "19:chat-1@thread.v2", default), r => r?.ThreadId is not null);

        await PostAsync(GroupChatMessage("g-a", CliRun.Answer, "29:a", "Ada"));
        await WaitForPrivateAsync("29:a");

        Assert.Equal(TurnReplyKind.Report, Processor.Replies["teams:19:chat-1@thread.v2:g-a"].Kind);
        Assert.Equal(round!.Id, Processor.Replies["teams:19:chat-1@thread.v2:g-a"].Group!.RoundId);
        Assert.NotNull(card);
        Assert.Single(await Rounds.AnswersAsync(round.Id, default));
    }

    private CoachBotFactory Factory(string database, TimeProvider? time = null) =>
        TeamsEndToEndTests.Configure(new CoachBotFactory(database), _fake)
            .WithSetting("Teams:PublicBaseUrl", "https://coachbot.example.com")
            .WithSetting("Teams:AdminUserIds:0", "AAD-29:D")
            .WithServices(s =>
            {
                if (time is not null)
                {
                    s.AddSingleton(time);
                }

                s.AddSingleton<ITurnProcessor>(sp => _processor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp)));
            });

    private async Task<(GroupRound Round, string Root)> StartRoundAsync(string command)
    {
        await PostAsync(ChannelMessage("m-start", "<at>CoachBot</at> " + command, Facilitator, "Fay", root: null, mention: true));
        var root = await WaitForAsync(() => _fake.ChannelPosts.Keys.FirstOrDefault(), r => r is not null);
        var round = await PollAsync(() => Rounds.FindByThreadAsync("teams", ChannelId, root!, default), r => r is not null);
        return (round!, root!);
    }

    private async Task AnswerInThreadAsync(string root, string id, string user, string name, string text)
    {
        await PostAsync(ChannelMessage(id, text, user, name, root));
        await WaitForPrivateAsync(user);
    }

    /// <summary>"Record my answer" on the round card: the dialog's grant, then the recorder page's upload of a webm/opus clip.</summary>
    private async Task<string> RecordInThreadAsync(string root, string user, string name)
    {
        var fetch = ChannelMessage("m-record-" + user, null, user, name, root);
        fetch["type"] = "invoke";
        fetch["name"] = "task/fetch";
        fetch["value"] = new JsonObject { ["data"] = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["coachbot"] = "record", ["questionId"] = "whatever" } };
        var dialog = JsonNode.Parse(await (await PostAsync(fetch)).Content.ReadAsStringAsync())!;
        var url = new Uri((string)dialog["task"]!["value"]!["url"]!);
        var token = Uri.UnescapeDataString(url.Query["?token=".Length..]);

        var clip = TestData.Encode(TestData.JfkWav, _folder.File($"answer-{user[3..]}.webm"), "-c:a", "libopus");
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(clip));
        file.Headers.ContentType = new("audio/webm");
        content.Add(file, "audio", "answer.webm");
        var response = await _client.PostAsync(new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["turnKey"]!;
    }

    private async Task InstallPersonallyAsync(string id, string user)
    {
        var install = _fake.Message(id, null!, AppId, conversationId: "a:personal-" + user[3..]);
        install["type"] = "installationUpdate";
        install["action"] = "add";
        install["from"] = new JsonObject { ["id"] = user, ["name"] = _fake.Roster[user] };
        await PostAsync(install);
    }

    private Task<RecordedCall> WaitForPrivateAsync(string user) =>
        WaitForAsync(() => _fake.ConnectorCalls.FirstOrDefault(c => c.Method == "POST" && _fake.PersonalChats.Any(p => p.Value == user && c.Path == $"/v3/conversations/{Escape(p.Key)}/activities")), c => c is not null)!;

    private List<RecordedCall> ThreadCalls(string escapedThread) =>
        [.. _fake.ConnectorCalls.Where(c => c.Method != "GET" && c.Path.StartsWith($"/v3/conversations/{escapedThread}/", StringComparison.Ordinal))];

    private JsonObject ChannelMessage(string id, string? text, string user, string name, string? root, bool mention = false)
    {
        var message = _fake.Message(id, text!, AppId, "channel", $"{ChannelId};messageid={root ?? id}");
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

    private JsonObject GroupChatMessage(string id, string text, string user, string name, bool mention = false)
    {
        var message = _fake.Message(id, text, AppId, "groupChat", "19:chat-1@thread.v2");
        message["from"] = new JsonObject { ["id"] = user, ["name"] = name, ["aadObjectId"] = "aad-" + user };
        if (mention)
        {
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = Bot, ["name"] = "CoachBot" }, ["text"] = "<at>CoachBot</at>" });
        }

        return message;
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity)
    {
        var response = await _fake.SendActivityAsync(_client, activity, AppId);
        response.EnsureSuccessStatusCode();
        return response;
    }

    private async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "the bot did not get there in time; it sent: " + string.Join(", ", _fake.ConnectorCalls.Select(c => $"{c.Method} {c.Path}")));
            await Task.Delay(25);
        }
    }

    private Task<T> WaitForAsync<T>(Func<T> probe, Func<T, bool> done) => PollAsync(() => Task.FromResult(probe()), done);

    private static string Key(string channel, string root, string id) => $"teams:{channel};messageid={root}:{id}";

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Mean(IEnumerable<double> values) =>
        Math.Round(values.Average(), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Facts(JsonObject card)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in card["body"]!.AsArray().Where(b => (string?)b!["type"] == "FactSet"))
        {
            foreach (var fact in set!["facts"]!.AsArray())
            {
                facts[(string)fact!["title"]!] = (string)fact["value"]!;
            }
        }

        return facts;
    }

    private static void AssertCard(JsonObject expected, RecordedCall call)
    {
        var attachment = Assert.Single(call.Json!["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.True(JsonNode.DeepEquals(expected, FakeBotFramework.WithoutDeliveryMark(attachment["content"])), $"card differs: {attachment["content"]}");
    }

    /// <summary>The clock of a bot that comes back later: now plus an offset.</summary>
    private sealed class OffsetTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
