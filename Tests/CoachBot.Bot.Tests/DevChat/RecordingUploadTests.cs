using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.DevChat;

public sealed class RecordingUploadTests : IDisposable
{
    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Upload_ValidGrant_QueuesOneAnswerTurnBuiltFromTheGrant()
    {
        var teams = new RecordingReplier("teams");
        await using var factory = new CoachBotFactory(_folder.File("ok.db")).WithServices(s => ReplaceTeamsReplier(s, teams));
        using var client = DevChatHttp.Client(factory, user: null);
        var grants = factory.Services.GetRequiredService<IRecordingGrants>();
        var token = grants.Issue(new RecordingGrant
        {
            Channel = "teams",
            TenantId = "tenant-1",
            UserId = "user-1",
            ConversationId = "conversation-1",
            ThreadId = "thread-1",
            QuestionId = "gen-001",
            Reply = new Dictionary<string, string> { ["serviceUrl"] = "https://smba.example/" },
        });

        var response = await client.PostAsync(new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative), DevChatHttp.Audio([1, 2, 3, 4]));
        await teams.WaitForAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var nonce = grants.Validate(token, out _)!.Nonce;
        Assert.Equal("recording:" + nonce, json.RootElement.GetProperty("turnKey").GetString());
        var (turn, _) = Assert.Single(teams.Replies);
        Assert.Equal(("teams", "tenant-1", "user-1", "conversation-1", "thread-1", "gen-001"), (turn.Channel, turn.TenantId, turn.UserId, turn.ConversationId, turn.ThreadId, turn.QuestionId));
        Assert.Equal(TurnIntent.Answer, turn.Intent);
        Assert.StartsWith("recording:", turn.Audio!.Location, StringComparison.Ordinal);
        Assert.Equal("recording:" + nonce, turn.IdempotencyKey);
        Assert.Equal("https://smba.example/", turn.Reply["serviceUrl"]);
    }

    [Fact]
    public async Task Upload_GrantFromARoundCard_TheTurnBelongsToThatRound()
    {
        var teams = new RecordingReplier("teams");
        await using var factory = new CoachBotFactory(_folder.File("round.db")).WithServices(s => ReplaceTeamsReplier(s, teams));
        using var client = DevChatHttp.Client(factory, user: null);
        var token = factory.Services.GetRequiredService<IRecordingGrants>().Issue(new RecordingGrant
        {
            Channel = "teams", UserId = "user-1", ConversationId = "channel-1", ThreadId = "root-1", QuestionId = "gen-001", RoundId = 42,
        });

        await client.PostAsync(new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative), DevChatHttp.Audio([1, 2, 3, 4]));
        await teams.WaitForAsync();

        var (turn, _) = Assert.Single(teams.Replies);
        Assert.Equal(42, turn.RoundId);
    }

    /// <summary>The recording replier stands in for the real Teams one (two repliers may not serve one channel).</summary>
    private static void ReplaceTeamsReplier(IServiceCollection services, RecordingReplier replier)
    {
        services.RemoveAll<ITurnReplier>();
        services.AddSingleton<ITurnReplier>(replier);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("forged")]
    [InlineData("expired")]
    public async Task Upload_MissingForgedOrExpiredToken_Returns401AndQueuesNothing(string? kind)
    {
        await using var factory = new CoachBotFactory(_folder.File("bad.db")).WithSetting("Recordings:SigningKey", SigningKey);
        using var client = DevChatHttp.Client(factory);
        var grant = new RecordingGrant { Channel = "dev", UserId = DevChatHttp.User, ConversationId = DevChatHttp.User };
        var token = kind switch
        {
            "forged" => Grants(RandomNumberGenerator.GetBytes(32), TimeProvider.System).Issue(grant),
            "expired" => Grants(Convert.FromBase64String(SigningKey), new FixedTime(DateTimeOffset.UtcNow.AddHours(-1))).Issue(grant),
            _ => kind,
        };

        var response = await client.PostAsync(new Uri("/api/recordings" + (token is null ? string.Empty : "?token=" + Uri.EscapeDataString(token)), UriKind.Relative), DevChatHttp.Audio([1, 2, 3]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_token", json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        if (kind == "expired")
        {
            Assert.Contains("expired", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await QueuedAsync(factory));
    }

    [Fact]
    public async Task Upload_SameTokenTwice_QueuesOneTurnAndSaysAlreadySent()
    {
        await using var factory = new CoachBotFactory(_folder.File("twice.db"));
        using var client = DevChatHttp.Client(factory);
        var token = await DevChatHttp.RecorderTokenAsync(client);
        var url = new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative);

        var first = await client.PostAsync(url, DevChatHttp.Audio([1, 2, 3]));
        var second = await client.PostAsync(url, DevChatHttp.Audio([4, 5, 6]));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already sent", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await QueuedAsync(factory));
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Returns413WithTheUserMessageAndQueuesNothing()
    {
        await using var factory = new CoachBotFactory(_folder.File("large.db")).WithSetting("Audio:MaxSizeBytes", "4096");
        using var client = DevChatHttp.Client(factory);
        var token = await DevChatHttp.RecorderTokenAsync(client);

        var response = await client.PostAsync(new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative), DevChatHttp.Audio(new byte[10_000]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("audio_too_large", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("Please record a shorter answer", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await QueuedAsync(factory));
        Assert.Equal(0, await StoredRecordingsAsync(factory));
    }

    [Fact]
    public async Task Upload_EmptyFileOrNoAudioField_Returns400WithAMessage()
    {
        await using var factory = new CoachBotFactory(_folder.File("empty.db"));
        using var client = DevChatHttp.Client(factory);
        var token = Uri.EscapeDataString(await DevChatHttp.RecorderTokenAsync(client));

        var empty = await client.PostAsync(new Uri("/api/recordings?token=" + token, UriKind.Relative), DevChatHttp.Audio([]));
        var wrongField = await client.PostAsync(new Uri("/api/recordings?token=" + token, UriKind.Relative), DevChatHttp.Audio([1, 2], field: "file"));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongField.StatusCode);
        Assert.Contains("no_audio", await wrongField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueuedAsync(factory));
    }

    [Fact]
    public async Task Grant_ForTheRecorderPage_ShowsTheQuestionOrRefusesABadLink()
    {
        await using var factory = new CoachBotFactory(_folder.File("grant.db"));
        using var client = DevChatHttp.Client(factory);
        var token = await DevChatHttp.RecorderTokenAsync(client, "gen-001");

        var good = await client.GetFromJsonAsync<JsonElement>("/api/recordings/grant?token=" + Uri.EscapeDataString(token));
        var bad = await client.GetAsync(new Uri("/api/recordings/grant?token=abc.def", UriKind.Relative));

        Assert.Equal("gen-001", good.GetProperty("question").GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(good.GetProperty("question").GetProperty("text").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    private static RecordingGrants Grants(byte[] key, TimeProvider time) =>
        new(Options.Create(new RecordingOptions { SigningKey = Convert.ToBase64String(key), GrantLifetimeSeconds = 60 }), time);

    private static async Task<long> StoredRecordingsAsync(CoachBotFactory factory)
    {
        await using var connection = await factory.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> QueuedAsync(CoachBotFactory factory) =>
        (await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(CancellationToken.None)).Values.Sum();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
