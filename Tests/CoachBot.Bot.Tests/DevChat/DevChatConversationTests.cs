using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.DevChat;

public sealed class DevChatConversationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AddUser_BeyondTheCap_KeepsTheNewestEntries()
    {
        var conversations = new DevConversations(Options.Create(new DevChatOptions { MaxEntriesPerConversation = 10 }), TimeProvider.System);

        for (var i = 0; i < 25; i++)
        {
            conversations.AddUser("c", $"k{i}", $"message {i}");
        }

        var (entries, _) = conversations.After("c", 0);
        Assert.Equal(10, entries.Count);
        Assert.Equal("message 15", entries[0].Text);
        Assert.Equal("message 24", entries[^1].Text);
    }

    [Fact]
    public void AddReply_DeliveredAgainForTheSameTurn_ReplacesTheEarlierReply()
    {
        var conversations = new DevConversations(Options.Create(new DevChatOptions()), TimeProvider.System);
        conversations.AddUser("c", "k", "answer");
        conversations.AddReply("c", "k", "Error", "first try", null, []);

        conversations.AddReply("c", "k", "Report", "second try", "gen-001", []);

        var (entries, _) = conversations.After("c", 0);
        Assert.Equal(["user", "bot"], entries.Select(e => e.Role));
        Assert.Equal("second try", entries[1].Text);
        Assert.Empty(conversations.After("other", 0).Entries);
    }

    [Fact]
    public void AddUser_MoreConversationsThanTheCap_DropsTheLeastRecentlyUsed()
    {
        var time = new SteppingTime();
        var conversations = new DevConversations(Options.Create(new DevChatOptions { MaxConversations = 2 }), time);
        conversations.AddUser("a", "k1", "a");
        conversations.AddUser("b", "k2", "b");
        conversations.After("a", 0);

        conversations.AddUser("c", "k3", "c");

        Assert.Single(conversations.After("a", 0).Entries);
        Assert.Empty(conversations.After("b", 0).Entries);
    }

    [Fact]
    public async Task Events_AfterAReconnect_ResendOnlyWhatTheBrowserMissed()
    {
        await using var factory = new CoachBotFactory(_folder.File("events.db"));
        using var client = DevChatHttp.Client(factory);

        var sent = await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0001", text = "start" });
        var first = await ReadEventsAsync(client, null, until: e => e.GetProperty("role").GetString() == "bot");
        var userEntryId = first.Single(e => e.Data.GetProperty("role").GetString() == "user").Id;
        var resumed = await ReadEventsAsync(client, userEntryId, until: _ => true);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var reply = first.Single(e => e.Data.GetProperty("role").GetString() == "bot").Data;
        Assert.Equal("Question", reply.GetProperty("kind").GetString());
        Assert.Equal("AdaptiveCard", reply.GetProperty("card").GetProperty("type").GetString());
        var again = Assert.Single(resumed);
        Assert.Equal("bot", again.Data.GetProperty("role").GetString());
        Assert.Equal(reply.GetProperty("turnKey").GetString(), again.Data.GetProperty("turnKey").GetString());
    }

    [Fact]
    public async Task Messages_SameBrowserMessageIdTwice_IsCoachedOnce()
    {
        await using var factory = new CoachBotFactory(_folder.File("dup.db"));
        using var client = DevChatHttp.Client(factory);

        var first = await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0002", text = "help" });
        var second = await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0002", text = "help" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("duplicate", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_UnknownVerb_IsRefused()
    {
        await using var factory = new CoachBotFactory(_folder.File("verb.db"));
        using var client = DevChatHttp.Client(factory);

        var response = await client.PostAsJsonAsync("/api/dev/actions", new { id = "action-0001", verb = "delete everything" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Reads the event stream (resuming after <paramref name="lastEventId"/>) until an entry matches.</summary>
    private static async Task<List<(string Id, JsonElement Data)>> ReadEventsAsync(HttpClient client, string? lastEventId, Func<JsonElement, bool> until)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dev/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, JsonElement)>();
        string? id = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && id is not null)
            {
                var data = JsonDocument.Parse(line[6..]).RootElement.Clone();
                events.Add((id, data));
                id = null;
                if (until(data))
                {
                    return events;
                }
            }
        }

        throw new InvalidOperationException("The event stream ended early.");
    }

    private sealed class SteppingTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now = _now.AddSeconds(1);
    }
}
