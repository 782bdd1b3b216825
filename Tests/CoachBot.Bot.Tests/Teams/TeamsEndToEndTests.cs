using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Cards.Adaptive;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Teams;

/// <summary>The bot host end to end in Teams: real JWTs, the real queue and worker, a fake Bot Framework on loopback.</summary>
public sealed class TeamsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "00000000-0000-0000-0000-0000000000b1";
    private const string PublicBaseUrl = "https://coachbot.example.com";
    private static readonly CardOptions Options = new(CanRecord: true, ArticleBaseUrl: "https://coachbot.example.com");
    private readonly TempFolder _folder = new();
    private readonly RecordingProcessor[] _processor = new RecordingProcessor[1];
    private FakeBotFramework _fake = null!;
    private CoachBotFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _factory = Configure(new CoachBotFactory(_folder.File("teams.db")), _fake).WithSetting("Teams:PublicBaseUrl", PublicBaseUrl)
            .WithServices(s => s.AddSingleton<ITurnProcessor>(sp =>
                _processor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp))));
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _fake.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    internal static CoachBotFactory Configure(CoachBotFactory factory, FakeBotFramework fake) => factory
        .WithSetting("Teams:AppId", AppId)
        .WithSetting("Teams:AppPassword", "test-secret")
        .WithSetting("Teams:OpenIdMetadataUrl", fake.MetadataUrl)
        .WithSetting("Teams:TokenEndpoint", fake.TokenEndpoint)
        .WithSetting("Teams:TrustedServiceUrlHosts:0", fake.HostAndPort)
        .WithSetting("Teams:DownloadHosts:0", fake.HostAndPort)
        .WithSetting("Teams:ConnectorRetryBaseDelayMilliseconds", "1")
        .WithSetting("Teams:GraphBaseUrl", fake.GraphBaseUrl)
        .WithSetting("Teams:GraphAuthority", fake.GraphAuthority);

    private RecordingProcessor Processor => _processor[0] ?? throw new InvalidOperationException("The processor was not created yet.");

    private static string Key(string activityId) => $"teams:a:personal-1:{activityId}";

    [Fact]
    public async Task TextAnswer_PlaceholderThenUpdatedCard()
    {
        var question = await StartAsync();

        var response = await PostAsync(_fake.Message("m-answer", CliRun.Answer, AppId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = await WaitForAsync(c => c.Method == "PUT");

        var placeholder = _fake.ConnectorCalls.Single(c => c.Method == "POST" && c.Path.EndsWith("/activities/m-answer", StringComparison.Ordinal) && c.Json!["text"] is not null);
        Assert.Equal("Reading your answer…", (string?)placeholder.Json!["text"]);
        Assert.Equal("Bearer bot-token-1", placeholder.Authorization);
        var placeholderId = ((string)update.Json!["id"]!);
        Assert.EndsWith("/activities/" + placeholderId, update.Path, StringComparison.Ordinal);
        var reply = Processor.Replies[Key("m-answer")];
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.Equal(question, reply.Report!.Question.Id);
        AssertCard(AdaptiveCards.ForReply(reply, Options), update);
    }

    [Fact]
    public async Task AudioFile_UpdatedCardWithTranscriptAndDelivery()
    {
        await StartAsync();
        _fake.Files["jfk.wav"] = await File.ReadAllBytesAsync(TestData.JfkWav);
        var message = _fake.Message("m-voice", string.Empty, AppId);
        message["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = "my answer.wav",
            ["content"] = new JsonObject { ["downloadUrl"] = _fake.ServiceUrl + "files/jfk.wav", ["uniqueId"] = "f1", ["fileType"] = "wav" },
        });

        await PostAsync(message);
        var update = await WaitForAsync(c => c.Method == "PUT");

        Assert.Contains(_fake.ConnectorCalls, c => (string?)c.Json?["text"] == "Listening to your answer…");
        var reply = Processor.Replies[Key("m-voice")];
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.Contains("country", reply.Report!.Answer.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(reply.Report.Delivery);
        AssertCard(AdaptiveCards.ForReply(reply, Options), update);
        // The pre-authenticated download URL never receives the bot's token.
        Assert.Null(_fake.Calls.Single(c => c.Path == "/files/jfk.wav").Authorization);
    }

    [Fact]
    public async Task CardSubmit_Next_PostsTheNextQuestion()
    {
        var first = await StartAsync();
        var submit = _fake.Message("m-next", null!, AppId);
        submit["value"] = new JsonObject { ["coachbot"] = "next", ["questionId"] = first };

        await PostAsync(submit);
        var card = await WaitForAsync(c => c.Path.EndsWith("/activities/m-next", StringComparison.Ordinal) && c.Json?["attachments"] is not null);

        var reply = Processor.Replies[Key("m-next")];
        Assert.Equal(TurnReplyKind.Question, reply.Kind);
        Assert.NotEqual(first, reply.Question!.Id);
        AssertCard(AdaptiveCards.ForReply(reply, Options), card);
    }

    [Fact]
    public async Task CardExecute_Next_AnswersTheInvokeWithTheNextQuestionCard_OnceForARedelivery()
    {
        var first = await StartAsync();
        var invoke = _fake.Message("m-exec", null!, AppId);
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "next", ["data"] = new JsonObject { ["coachbot"] = "next", ["questionId"] = first } },
            ["trigger"] = "manual",
        };

        var body = JsonNode.Parse(await (await PostAsync(invoke)).Content.ReadAsStringAsync())!;
        var calls = Processor.Calls;
        var again = JsonNode.Parse(await (await PostAsync(invoke)).Content.ReadAsStringAsync())!;

        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        var reply = Processor.Replies[Key("m-exec")];
        Assert.Equal(TurnReplyKind.Question, reply.Kind);
        Assert.NotEqual(first, reply.Question!.Id);
        Assert.True(JsonNode.DeepEquals(AdaptiveCards.ForReply(reply, Options), body["value"]));
        Assert.True(JsonNode.DeepEquals(body, again));
        Assert.Equal(calls, Processor.Calls);
    }

    [Fact]
    public async Task CardExecute_RedeliveredToAnotherInstance_GetsTheSameCard_TheCommandRunsOnce()
    {
        var first = await StartAsync();
        // A second host on the same database, as a second instance behind the load balancer.
        var otherProcessor = new RecordingProcessor[1];
        await using var other = Configure(new CoachBotFactory(_folder.File("teams.db")), _fake).WithSetting("Teams:PublicBaseUrl", PublicBaseUrl)
            .WithServices(s => s.AddSingleton<ITurnProcessor>(sp =>
                otherProcessor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp))));
        using var otherClient = other.CreateClient();
        var invoke = _fake.Message("m-exec-2", null!, AppId);
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "next", ["data"] = new JsonObject { ["coachbot"] = "next", ["questionId"] = first } },
            ["trigger"] = "manual",
        };

        var body = JsonNode.Parse(await (await PostAsync(invoke)).Content.ReadAsStringAsync())!;
        var again = JsonNode.Parse(await (await PostAsync(invoke, client: otherClient)).Content.ReadAsStringAsync())!;

        Assert.Equal(TurnReplyKind.Question, Processor.Replies[Key("m-exec-2")].Kind);
        Assert.True(JsonNode.DeepEquals(body, again));
        Assert.Equal(0, otherProcessor[0]?.Calls ?? 0);
    }

    [Fact]
    public async Task DuplicateActivity_OneReply()
    {
        var help = _fake.Message("m-help", "help", AppId);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(help)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(help)).StatusCode);
        // A later turn is answered after the first one (one worker, in order): by then a duplicate would have been too.
        await PostAsync(_fake.Message("m-progress", "progress", AppId));
        await WaitForAsync(c => c.Path.EndsWith("/activities/m-progress", StringComparison.Ordinal) && c.Json?["attachments"] is not null);

        Assert.Single(_fake.ConnectorCalls, c => c.Path.EndsWith("/activities/m-help", StringComparison.Ordinal) && c.Json?["attachments"] is not null);
        Assert.Equal(2, Processor.Calls);
    }

    [Fact]
    public async Task BadToken_Refused_NothingQueuedOrSent()
    {
        var message = _fake.Message("m-forged", "help", AppId);
        var wrongAudience = _fake.IssueToken("11111111-2222-3333-4444-555555555555", DateTimeOffset.UtcNow);

        var refused = await PostAsync(message, wrongAudience);
        var unsigned = await PostAsync(message, _fake.IssueUnsignedToken(AppId, DateTimeOffset.UtcNow));
        var missing = await PostAsync(message, token: string.Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var counts = await _factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default);
        Assert.All(counts.Values, c => Assert.Equal(0, c));
        Assert.Empty(_fake.ConnectorCalls);
    }

    [Fact]
    public async Task Install_PostsTheWelcomeCard()
    {
        var install = _fake.Message("m-install", null!, AppId);
        install["type"] = "installationUpdate";
        install["action"] = "add";

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(install)).StatusCode);
        var welcome = await WaitForAsync(c => c.Json?["attachments"] is not null);

        Assert.Equal("/v3/conversations/a%3Apersonal-1/activities", welcome.Path);
        AssertCard(AdaptiveCards.Welcome(Options), welcome);
    }

    [Fact]
    public async Task Install_RedeliveredToAnotherInstance_PostsOneWelcomeCard()
    {
        var install = _fake.Message("m-install-2", null!, AppId);
        install["type"] = "installationUpdate";
        install["action"] = "add";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(install)).StatusCode);
        await WaitForAsync(c => c.Json?["attachments"] is not null);
        // A second host on the same database; its claims are the real ones, watched so the test knows when it has decided.
        ObservedClaims? watched = null;
        await using var other = Configure(new CoachBotFactory(_folder.File("teams.db")), _fake)
            .WithServices(s => s.AddSingleton<IInvokeClaims>(sp => watched = new ObservedClaims(
                new SqliteInvokeClaims(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()))));
        using var otherClient = other.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(install, client: otherClient)).StatusCode);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (watched?.Decided.IsEmpty != false && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal([("welcome:a:personal-1:m-install-2", false)], watched!.Decided);
        Assert.Single(_fake.ConnectorCalls, c => c.Json?["attachments"] is not null);
    }

    private sealed class ObservedClaims(IInvokeClaims inner) : IInvokeClaims
    {
        public ConcurrentQueue<(string Key, bool Claimed)> Decided { get; } = new();

        public async Task<(bool Claimed, string? Result)> ClaimAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            var claim = await inner.ClaimAsync(key, lifetime, cancellationToken);
            Decided.Enqueue((key, claim.Claimed));
            return claim;
        }

        public Task CompleteAsync(string key, string result, CancellationToken cancellationToken) => inner.CompleteAsync(key, result, cancellationToken);

        public Task ReleaseAsync(string key, CancellationToken cancellationToken) => inner.ReleaseAsync(key, cancellationToken);
    }

    [Fact]
    public async Task RecordButton_TaskFetch_OpensTheRecorderWithAGrantForThisUserAndQuestion()
    {
        var fetch = _fake.Message("m-record", null!, AppId);
        fetch["type"] = "invoke";
        fetch["name"] = "task/fetch";
        fetch["value"] = new JsonObject { ["data"] = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["coachbot"] = "record", ["questionId"] = "gen-002" } };

        var body = JsonNode.Parse(await (await PostAsync(fetch)).Content.ReadAsStringAsync())!;

        Assert.Equal("continue", (string?)body["task"]!["type"]);
        var url = new Uri((string)body["task"]!["value"]!["url"]!);
        Assert.Equal(PublicBaseUrl + "/record", url.GetLeftPart(UriPartial.Path));
        var token = Uri.UnescapeDataString(url.Query["?token=".Length..]);
        var grant = _factory.Services.GetRequiredService<IRecordingGrants>().Validate(token, out var reason);
        Assert.NotNull(grant);
        Assert.Equal(("teams", "29:user-1", "gen-002", "tenant-1"), (grant.Channel, grant.UserId, grant.QuestionId, grant.TenantId));
        Assert.Equal(_fake.ServiceUrl, grant.Reply["serviceUrl"]);
        Assert.Equal("a:personal-1", grant.Reply["conversationId"]);
        Assert.Empty(reason);
    }

    private async Task<string> StartAsync()
    {
        await PostAsync(_fake.Message("m-start", "start general", AppId));
        await WaitForAsync(c => c.Path.EndsWith("/activities/m-start", StringComparison.Ordinal) && c.Json?["attachments"] is not null);
        var reply = Processor.Replies[Key("m-start")];
        Assert.Equal(TurnReplyKind.Question, reply.Kind);
        return reply.Question!.Id;
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        token ??= _fake.IssueToken(AppId, DateTimeOffset.UtcNow, serviceUrl: (string?)activity["serviceUrl"]);
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await (client ?? _client).SendAsync(request);
    }

    private async Task<RecordedCall> WaitForAsync(Func<RecordedCall, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (_fake.ConnectorCalls.FirstOrDefault(match) is { } call)
            {
                return call;
            }

            Assert.True(DateTime.UtcNow < deadline, "the bot did not send the expected call; it sent: " + string.Join(", ", _fake.ConnectorCalls.Select(c => $"{c.Method} {c.Path}")));
            await Task.Delay(25);
        }
    }

    private static void AssertCard(JsonObject expected, RecordedCall call)
    {
        var attachment = Assert.Single(call.Json!["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.True(JsonNode.DeepEquals(expected, FakeBotFramework.WithoutDeliveryMark(attachment["content"])), $"card differs: {attachment["content"]}");
    }

}
