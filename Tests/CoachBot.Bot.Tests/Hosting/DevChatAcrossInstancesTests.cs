using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using Npgsql;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// The dev chat behind a load balancer: two real host processes on the test PostgreSQL, a browser-like Server-Sent
/// Events client connected to host A, which coaches nothing (<c>Queue:Workers=0</c>), so host B's worker coaches every
/// turn. Messages posted to either host and the cards B coaches arrive on A's stream, each exactly once, and a stream
/// reopened on B with A's Last-Event-ID resumes after it.
/// </summary>
public sealed class DevChatAcrossInstancesTests : IDisposable
{
    // Generous: a loaded machine may take minutes to start two hosts and coach; nothing here is timed.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private readonly TempFolder _folder = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => _folder.Dispose();

    [PostgresFact]
    public async Task Answer_CoachedByHostB_CardArrivesOnHostAsStreamExactlyOnce()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var starting = new[]
        {
            RunningHost.StartAsync(Settings(storage, "instance-a", workers: 0)),
            RunningHost.StartAsync(Settings(storage, "instance-b", workers: 2)),
        };
        await using var a = await starting[0];
        await using var b = await starting[1];
        string Output() => "host A:\n" + a.Output + "\n----\nhost B:\n" + b.Output;

        // One browser: its identity cookie is sent to both hosts (cookies do not depend on the port), as behind one URL.
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using (var page = await browser.GetAsync(new Uri(a.BaseAddress, "/")))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var user = cookies.GetCookies(a.BaseAddress)["coachbot_dev_user"]?.Value;
        Assert.NotNull(user);
        using var stop = new CancellationTokenSource();
        await using var streamA = await EventSourceClient.OpenAsync(browser, new Uri(a.BaseAddress, "/api/dev/events"), null, stop.Token);
        var hello = await streamA.WaitForAsync(e => e.Event == "hello", Patience, Output);

        // "start" posted to B; the answer posted to A. A coaches nothing, so B's worker takes both.
        await PostAsync(browser, b, "startmsg01", "start software-engineer");
        await streamA.WaitForAsync(e => Reply(e, $"dev:{user}:startmsg01") is not null, Patience, Output);
        await PostAsync(browser, a, "answermsg01", CliRun.Answer);
        var answerKey = $"dev:{user}:answermsg01";
        var card = await streamA.WaitForAsync(e => Reply(e, answerKey) is not null, Patience, Output);

        var report = Reply(card, answerKey)!;
        Assert.Equal("Report", report["kind"]!.GetValue<string>());
        Assert.Contains("Overall ", report["card"]!.ToJsonString(), StringComparison.Ordinal);
        // Each message and each reply once, whichever host wrote it; every event id once.
        var entries = streamA.Events.Where(e => e.Event == "message").ToList();
        Assert.Single(entries, e => Reply(e, answerKey) is not null);
        Assert.Single(entries, e => Entry(e) is { } entry && entry["role"]!.GetValue<string>() == "user" && entry["turnKey"]!.GetValue<string>() == answerKey);
        Assert.Single(entries, e => Reply(e, $"dev:{user}:startmsg01") is not null);
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal(4, entries.Count);
        Assert.Equal("instance-b", await LeaseOwnerAsync(storage, answerKey));
        Assert.Equal("instance-b", await LeaseOwnerAsync(storage, $"dev:{user}:startmsg01"));

        // The browser reconnects through the load balancer to B after the answer's own message: B resumes there.
        var answerMessage = entries.Single(e => Entry(e)!["role"]!.GetValue<string>() == "user" && Entry(e)!["turnKey"]!.GetValue<string>() == answerKey);
        await using var streamB = await EventSourceClient.OpenAsync(browser, new Uri(b.BaseAddress, "/api/dev/events"), answerMessage.Id, stop.Token);
        var helloB = await streamB.WaitForAsync(e => e.Event == "hello", Patience, Output);
        var resumed = await streamB.WaitForAsync(e => e.Event == "message", Patience, Output);
        Assert.Equal(JsonNode.Parse(hello.Data)!["epoch"]!.GetValue<string>(), JsonNode.Parse(helloB.Data)!["epoch"]!.GetValue<string>());
        Assert.Equal(card.Id, resumed.Id);
        await stop.CancelAsync();
    }

    private Dictionary<string, string> Settings(TestStorage storage, string instance, int workers) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = storage.PostgresConnectionString,
        ["Recordings:SigningKey"] = _signingKey,
        ["Queue:InstanceId"] = instance,
        ["Queue:Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Audio:TempDirectory"] = _folder.File("turns-" + instance),
    };

    private static async Task PostAsync(HttpClient browser, RunningHost host, string id, string text)
    {
        using var response = await browser.PostAsJsonAsync(new Uri(host.BaseAddress, "/api/dev/messages"), new { id, text });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static JsonObject? Entry(ServerSentEvent e) => e.Event == "message" ? JsonNode.Parse(e.Data) as JsonObject : null;

    private static JsonObject? Reply(ServerSentEvent e, string turnKey) =>
        Entry(e) is { } entry && entry["role"]!.GetValue<string>() == "bot" && entry["turnKey"]!.GetValue<string>() == turnKey ? entry : null;

    private static async Task<string?> LeaseOwnerAsync(TestStorage storage, string key)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_owner FROM turns WHERE idempotency_key = @key AND status = 'done'", connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync() as string;
    }
}

/// <summary>One Server-Sent Event as a browser's EventSource dispatches it.</summary>
public sealed record ServerSentEvent(string Event, string? Id, string Data);

/// <summary>A browser-like Server-Sent Events client: reads the stream as it arrives and keeps every event.</summary>
public sealed class EventSourceClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly List<ServerSentEvent> _events = [];
    private readonly Task _reading;

    private EventSourceClient(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        _response = response;
        _reading = Task.Run(() => ReadAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Every event so far.</summary>
    public IReadOnlyList<ServerSentEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static async Task<EventSourceClient> OpenAsync(HttpClient client, Uri url, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventSourceClient(response, cancellationToken);
    }

    /// <summary>The first event that matches, waiting for it as long as <paramref name="patience"/>.</summary>
    public async Task<ServerSentEvent> WaitForAsync(Func<ServerSentEvent, bool> match, TimeSpan patience, Func<string> output)
    {
        var giveUp = DateTime.UtcNow + patience;
        while (true)
        {
            if (Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.False(_reading.IsCompleted && Events.FirstOrDefault(match) is null, "the stream ended; events:\n" + Describe() + "\n" + output());
            Assert.True(DateTime.UtcNow < giveUp, "gave up waiting; events:\n" + Describe() + "\n" + output());
            await Task.Delay(50);
        }
    }

    private string Describe() => string.Join("\n", Events.Select(e => $"{e.Event} {e.Id} {(e.Data.Length > 200 ? e.Data[..200] : e.Data)}"));

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            string? name = null, id = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        lock (_events)
                        {
                            _events.Add(new ServerSentEvent(name ?? "message", id, string.Join("\n", data)));
                        }
                    }

                    name = null;
                    data.Clear();
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "event": name = value; break;
                    case "data": data.Add(value); break;
                    case "id": id = value; break;
                    default: break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The test is over, or the host went away: WaitForAsync reports what arrived.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
