using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>One Web API call the fake received.</summary>
public sealed record SlackCall(string Method, string? Authorization, JsonObject Body);

/// <summary>
/// A fake Slack on a real Kestrel server at 127.0.0.1 (port 0): the Web API under <c>/api/{method}</c> (records every
/// call, answers like Slack), file downloads under <c>/files/{name}</c>, and a Socket Mode WebSocket at
/// <c>/socket</c> whose conversation the test scripts.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private LoopbackHttpServer _server = null!;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<JsonObject, (int Status, string Body, string? RetryAfter)?>> _overrides = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _holds = new(StringComparer.Ordinal);
    private int _ts;
    private int _connections;

    private FakeSlack()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    public Uri ApiBaseUrl => new(BaseAddress, "/api/");

    public ConcurrentQueue<SlackCall> Calls { get; } = new();

    /// <summary>Runs each Socket Mode connection (the connection number counts from 1).</summary>
    public Func<WebSocket, int, Task>? SocketScript { get; set; }

    public int SocketConnections => Volatile.Read(ref _connections);

    /// <summary>The user id auth.test and conversations.replies report for the bot.</summary>
    public string BotUserId { get; set; } = "UBOT";

    /// <summary>The members conversations.members reports for every channel (two per page, to exercise the cursor).</summary>
    public IReadOnlyList<string> ChannelMembers { get; set; } = [];

    /// <summary>The users users.info reports as workspace admins.</summary>
    public ISet<string> Admins { get; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyList<SlackCall> CallsTo(string method) => [.. Calls.Where(c => c.Method == method)];

    /// <summary>Messages posted into the direct messages with <paramref name="user"/> (chat.postMessage with the user id as channel).</summary>
    public IReadOnlyList<SlackCall> DirectMessagesTo(string user) =>
        [.. CallsTo("chat.postMessage").Where(c => c.Body["channel"]?.ToString() == user)];

    /// <summary>Serves <paramref name="content"/> at <c>/files/{name}</c> and returns its address.</summary>
    public Uri AddFile(string name, byte[] content)
    {
        _files[name] = content;
        return new Uri(BaseAddress, "/files/" + name);
    }

    /// <summary>
    /// Holds every call to <paramref name="method"/> (after recording it) until <paramref name="release"/> completes;
    /// <c>files</c> holds downloads halfway through.
    /// </summary>
    public void Hold(string method, Task release) => _holds[method] = release;

    /// <summary>Answers <paramref name="method"/> with the scripted reply while it returns one (null: the normal answer).</summary>
    public void Override(string method, Func<JsonObject, (int Status, string Body, string? RetryAfter)?> reply) => _overrides[method] = reply;

    public static async Task<FakeSlack> StartAsync()
    {
        var fake = new FakeSlack();
        fake._server = await LoopbackHttpServer.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Run(fake.HandleAsync);
        });
        return fake;
    }

    /// <summary>Waits until <paramref name="method"/> was called <paramref name="count"/> times, or fails after a generous time.</summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (CallsTo(method).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{method} was called {CallsTo(method).Count} of {count} times; calls: {string.Join(", ", Calls.Select(c => c.Method))}");
            await Task.Delay(25);
        }

        return CallsTo(method);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path == "/socket" && context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var number = Interlocked.Increment(ref _connections);
            if (SocketScript is { } script)
            {
                await script(socket, number);
            }

            return;
        }

        if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer xoxb-test")
            {
                // Slack answers a download without the token with its sign-in page.
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>sign in</html>");
                return;
            }

            if (!_files.TryGetValue(path["/files/".Length..], out var content))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = content.Length;
            if (_holds.TryGetValue("files", out var held))
            {
                // Half the file reaches the bot, then the download stalls until the test lets it go.
                await context.Response.Body.WriteAsync(content.AsMemory(0, content.Length / 2));
                await context.Response.Body.FlushAsync();
                await held;
                await context.Response.Body.WriteAsync(content.AsMemory(content.Length / 2));
                return;
            }

            await context.Response.Body.WriteAsync(content);
            return;
        }

        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var method = path["/api/".Length..];
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        JsonObject body;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            body = JsonNode.Parse(raw)!.AsObject();
        }
        else
        {
            body = [];
            foreach (var (key, value) in QueryHelpers.ParseQuery(raw))
            {
                body[key] = value.ToString();
            }
        }

        Calls.Enqueue(new SlackCall(method, context.Request.Headers.Authorization.ToString(), body));
        if (_holds.TryGetValue(method, out var hold))
        {
            await hold;
        }

        if (_overrides.TryGetValue(method, out var scripted) && scripted(body) is { } reply)
        {
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body);
            return;
        }

        var answer = method switch
        {
            "chat.postMessage" => new JsonObject { ["ok"] = true, ["channel"] = body["channel"]?.ToString(), ["ts"] = NextTs() },
            "chat.update" => new JsonObject { ["ok"] = true, ["channel"] = body["channel"]?.ToString(), ["ts"] = body["ts"]?.ToString() },
            "chat.postEphemeral" => new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() },
            "auth.test" => new JsonObject { ["ok"] = true, ["user_id"] = BotUserId },
            "chat.delete" => new JsonObject { ["ok"] = true, ["channel"] = body["channel"]?.ToString(), ["ts"] = body["ts"]?.ToString() },
            "users.info" => new JsonObject
            {
                ["ok"] = true,
                ["user"] = new JsonObject
                {
                    ["id"] = body["user"]?.ToString(), ["name"] = "ada", ["is_bot"] = false, ["is_admin"] = Admins.Contains(body["user"]?.ToString() ?? string.Empty),
                    ["is_owner"] = false, ["profile"] = new JsonObject { ["display_name"] = "Ada" },
                },
            },
            "conversations.members" => MembersPage(body["cursor"]?.ToString()),
            "conversations.replies" => new JsonObject { ["ok"] = true, ["messages"] = new JsonArray() },
            "apps.connections.open" => new JsonObject { ["ok"] = true, ["url"] = $"ws://{BaseAddress.Authority}/socket" },
            _ => new JsonObject { ["ok"] = false, ["error"] = "unknown_method" },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject MembersPage(string? cursor)
    {
        var start = int.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : 0;
        var page = ChannelMembers.Skip(start).Take(2).ToList();
        var next = start + page.Count < ChannelMembers.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return new JsonObject
        {
            ["ok"] = true,
            ["members"] = new JsonArray([.. page.Select(m => (JsonNode)JsonValue.Create(m))]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        };
    }

    private string NextTs() => $"1700000000.{Interlocked.Increment(ref _ts):D6}";

    /// <summary>Sends a JSON text frame on a Socket Mode connection.</summary>
    public static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Receives one text frame (null when the client closed).</summary>
    public static async Task<JsonDocument?> ReceiveAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, cancel.Token);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, result.Count));
    }
}
