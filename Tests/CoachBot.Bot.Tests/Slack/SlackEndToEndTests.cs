using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Cards;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Slack;

/// <summary>The real host with a fake Slack on 127.0.0.1: signed requests in, Web API calls out.</summary>
public sealed class SlackEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    private CoachBotFactory Host() => new CoachBotFactory(_folder.File("slack.db"))
        .WithSetting("Slack:SigningSecret", Secret)
        .WithSetting("Slack:BotToken", "xoxb-test")
        .WithSetting("Slack:ApiBaseUrl", _slack.ApiBaseUrl.ToString())
        .WithSetting("Slack:AdditionalFileHosts:0", "127.0.0.1");

    private static async Task<int> QueuedAsync(CoachBotFactory factory) =>
        (await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default)).Values.Sum();

    [Fact]
    public async Task SignedTextMessage_PostsPlaceholderThenUpdatesItWithTheReport()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        var start = await client.SendAsync(SignedEvent(Message("start software-engineer", ts: "1700000001.000001", eventId: "Ev-start")));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        await _slack.WaitForAsync("chat.update");
        var answer = await client.SendAsync(SignedEvent(Message(CliRun.Answer, ts: "1700000002.000002", eventId: "Ev-answer")));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var updates = await _slack.WaitForAsync("chat.update", 2);

        var placeholder = _slack.CallsTo("chat.postMessage")[1];
        Assert.Equal("Reading your answer…", placeholder.Body["text"]!.GetValue<string>());
        Assert.Equal("1700000002.000002", placeholder.Body["thread_ts"]!.GetValue<string>());
        var report = updates[1].Body;
        Assert.Equal("D0001", report["channel"]!.GetValue<string>());
        var blocks = report["blocks"]!.AsArray();
        Assert.StartsWith("Overall ", blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(blocks, b => b!["type"]!.GetValue<string>() == "actions");
    }

    [Fact]
    public async Task VoiceClip_AacInMp4_IsDownloadedAndCoachedWithDeliveryMetrics()
    {
        var clip = _folder.File("audio_message.mp4");
        TestData.Encode(TestData.JfkWav, clip, "-c:a", "aac", "-b:a", "64k", "-f", "mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var url = _slack.AddFile("F0001/audio_message.mp4", bytes);
        await using var factory = Host();
        using var client = factory.CreateClient();

        await client.SendAsync(SignedEvent(Message("start", ts: "1700000001.000001", eventId: "Ev-start")));
        await _slack.WaitForAsync("chat.update");
        var response = await client.SendAsync(SignedEvent(VoiceClip(url, bytes.Length)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = (await _slack.WaitForAsync("chat.update", 2))[1];

        Assert.Equal("Listening to your answer…", _slack.CallsTo("chat.postMessage")[1].Body["text"]!.GetValue<string>());
        var json = update.Body["blocks"]!.ToJsonString();
        Assert.True(json.Contains("Transcribed by ", StringComparison.Ordinal), json);
        Assert.Matches(@"\*Delivery\*: [1-9][0-9]* words/min", json);
    }

    [Fact]
    public async Task ButtonPress_NextQuestion_RepliesWithAQuestion()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(SignedRequest("/slack/interactions", InteractionForm(ButtonPress("coach_next", null)), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = (await _slack.WaitForAsync("chat.update")).Single();

        Assert.Equal("1700000100.000100", _slack.CallsTo("chat.postMessage")[0].Body["thread_ts"]!.GetValue<string>());
        Assert.StartsWith("Next question:", update.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var buttons = update.Body["blocks"]!.AsArray().Last()!["elements"]!.AsArray();
        Assert.Contains(buttons, b => b!["action_id"]!.GetValue<string>() == "coach_hint" && b["value"]!.GetValue<string>().Length > 0);
    }

    [Fact]
    public async Task ReadButton_OfAReportsArticlePointer_PostsTheArticlePrivatelyToWhoeverPressedIt()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        // The button exactly as a report renders it.
        var button = BlockKitRenderer.Render(ReplySamples.RoughVoiceReport()).Blocks.Select(b => b!["accessory"]).OfType<JsonObject>()
            .First(a => a["action_id"]!.GetValue<string>() == BlockKitRenderer.ActionArticle);
        var press = ButtonPress(button["action_id"]!.GetValue<string>(), button["value"]!.GetValue<string>(), user: "U777", channel: "C0042");

        var response = await client.SendAsync(SignedRequest("/slack/interactions", InteractionForm(press), "application/x-www-form-urlencoded"));
        var posted = (await _slack.WaitForAsync("chat.postEphemeral")).Single().Body;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("U777", posted["user"]!.GetValue<string>());
        Assert.Equal("C0042", posted["channel"]!.GetValue<string>());
        Assert.Equal("1700000100.000100", posted["thread_ts"]!.GetValue<string>());
        var blocks = posted["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Equal("Use STAR as a skeleton, not a script", blocks[0]!["text"]!["text"]!.GetValue<string>());
        var text = blocks.ToJsonString();
        Assert.True(text.IndexOf("A rough time budget", StringComparison.Ordinal) < text.IndexOf("Weak vs better", StringComparison.Ordinal), text);
        Assert.Contains("Situation, Task, Action, Result", text, StringComparison.Ordinal);
        // Nothing public, and no coaching turn.
        Assert.Empty(_slack.CallsTo("chat.postMessage"));
        Assert.Equal(0, await QueuedAsync(factory));
    }

    [Fact]
    public async Task ReadButton_ArticleNoLongerInTheStore_SaysSoPrivately()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        await client.SendAsync(SignedRequest("/slack/interactions", InteractionForm(ButtonPress(BlockKitRenderer.ActionArticle, "removed.md")), "application/x-www-form-urlencoded"));
        var posted = (await _slack.WaitForAsync("chat.postEphemeral")).Single().Body;

        Assert.Equal("U123", posted["user"]!.GetValue<string>());
        Assert.Contains("no longer in CoachBot's knowledge base", posted["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlashCommand_Help_IsAcknowledgedAndAnswered()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(SignedRequest("/slack/commands", Form(Command("help")), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = (await _slack.WaitForAsync("chat.update")).Single();

        Assert.Contains("Commands:", update.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetriedEvent_SameMessageDeliveredThreeTimes_OneReply()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var callback = Message("help", ts: "1700000009.000009", eventId: "Ev-retry");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedEvent(callback))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedEvent(callback, retryNum: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedEvent(callback, retryNum: 2))).StatusCode);
        await _slack.WaitForAsync("chat.update");
        // A later message is answered too, so the worker has had every chance to answer the retries.
        await client.SendAsync(SignedEvent(Message("progress", ts: "1700000010.000010", eventId: "Ev-later")));
        await _slack.WaitForAsync("chat.update", 2);

        Assert.Equal(2, _slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(2, _slack.CallsTo("chat.update").Count);
        Assert.Equal(2, await QueuedAsync(factory));
    }

    [Fact]
    public async Task UrlVerification_Signed_AnswersTheChallenge()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(SignedEvent(new JsonObject { ["type"] = "url_verification", ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string> Refusals => ["forged", "old", "missing", "other-secret", "tampered", "two-signatures", "two-timestamps"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Events_BadSignature_401AndNothingQueued(string kind)
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var callback = Message("help", eventId: "Ev-" + kind);
        var request = kind switch
        {
            "old" => SignedEvent(callback, at: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "missing" => SignedEvent(callback, secret: null),
            "other-secret" => SignedEvent(callback, secret: "not-the-signing-secret"),
            "tampered" => Tampered(SignedEvent(callback), Message("forget me confirm", eventId: "Ev-" + kind).ToJsonString()),
            "two-signatures" => Doubled(SignedEvent(callback), "X-Slack-Signature", "v0=" + new string('b', 64)),
            "two-timestamps" => Doubled(SignedEvent(callback), "X-Slack-Request-Timestamp", "1"),
            _ => Forged(SignedEvent(callback)),
        };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await QueuedAsync(factory));
        Assert.Empty(_slack.Calls);
    }

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/interactions")]
    public async Task CommandsAndInteractions_SignedWithAnotherSecret_401AndNothingQueued(string path)
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var body = path == "/slack/commands" ? Form(Command("next")) : InteractionForm(ButtonPress("coach_next", null));

        var response = await client.SendAsync(SignedRequest(path, body, "application/x-www-form-urlencoded", secret: "another"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await QueuedAsync(factory));
    }

    [Fact]
    public async Task NoSlackSettings_HostStartsAndRefusesEverySlackRequest()
    {
        await using var factory = new CoachBotFactory(_folder.File("bare.db"));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        var response = await client.SendAsync(SignedEvent(Message("help"), secret: string.Empty));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await QueuedAsync(factory));
    }

    [Theory]
    [InlineData("/slack/events", "application/json")]
    [InlineData("/slack/commands", "application/x-www-form-urlencoded")]
    [InlineData("/slack/interactions", "application/x-www-form-urlencoded")]
    public async Task SignedBodyThatIsNotUtf8_400AndNothingQueued(string path, string contentType)
    {
        await using var factory = Host();
        using var client = factory.CreateClient();
        var text = path switch
        {
            "/slack/events" => Message("cafX", eventId: "Ev-latin1").ToJsonString(),
            "/slack/commands" => Form(Command("cafX")),
            _ => "payload=cafX",
        };
        // "café" in Latin-1: a lone 0xE9 byte is not UTF-8.
        var body = System.Text.Encoding.ASCII.GetBytes(text);
        body[text.IndexOf("cafX", StringComparison.Ordinal) + 3] = 0xE9;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", CoachBot.Adapters.Slack.Security.SlackSignature.Compute(Secret, timestamp, body));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueuedAsync(factory));
    }

    private static HttpRequestMessage Doubled(HttpRequestMessage request, string header, string second)
    {
        // The genuine value first: a verifier that reads only the first header would accept the request.
        request.Headers.Add(header, second);
        return request;
    }

    private static HttpRequestMessage Forged(HttpRequestMessage request)
    {
        request.Headers.Remove("X-Slack-Signature");
        request.Headers.Add("X-Slack-Signature", "v0=" + new string('a', 64));
        return request;
    }

    private static HttpRequestMessage Tampered(HttpRequestMessage request, string body)
    {
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

}
