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

/// <summary>A message as the fake's channels show it now (after updates; deleted ones are gone).</summary>
public sealed record SlackPosted(string Channel, string Ts, string? ThreadTs, string Text, JsonArray? Blocks, JsonObject? Metadata);

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
    private readonly ConcurrentDictionary<string, (Task Release, Func<JsonObject, bool> When)> _holds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, string Ts), SlackPosted> _messages = new();
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

    /// <summary>What a person sees: the bot's messages as they stand now, oldest first.</summary>
    public IReadOnlyList<SlackPosted> Visible => [.. _messages.Values.OrderBy(m => decimal.Parse(m.Ts, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The bot's messages in <paramref name="channel"/> as they stand now.</summary>
    public IReadOnlyList<SlackPosted> VisibleIn(string channel) => [.. Visible.Where(m => m.Channel == channel)];

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
    /// Holds every call to <paramref name="method"/> (matching <paramref name="when"/>, if given) until
    /// <paramref name="release"/> completes: the call is recorded and acted on (a message is posted and visible), only
    /// the answer waits, as when a process dies while its call is in flight. <c>files</c> holds downloads halfway through.
    /// </summary>
    public void Hold(string method, Task release, Func<JsonObject, bool>? when = null) => _holds[method] = (release, when ?? (_ => true));

    /// <summary>Stops holding <paramref name="method"/>.</summary>
    public void Unhold(string method) => _holds.TryRemove(method, out _);

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
                await held.Release;
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
        if (_overrides.TryGetValue(method, out var scripted) && scripted(body) is { } reply)
        {
            await HoldAsync(method, body);
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
            "chat.postMessage" => Post(body),
            "chat.update" => Update(body),
            "chat.postEphemeral" => new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() },
            "auth.test" => new JsonObject { ["ok"] = true, ["user_id"] = BotUserId },
            "chat.delete" => Delete(body),
            "conversations.history" => History(body, thread: null),
            "conversations.replies" => History(body, thread: body["ts"]?.ToString()),
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
            "apps.connections.open" => new JsonObject { ["ok"] = true, ["url"] = $"ws://{BaseAddress.Authority}/socket" },
            _ => new JsonObject { ["ok"] = false, ["error"] = "unknown_method" },
        };
        // The call has taken effect; a held call's caller waits for the answer (and may die waiting).
        await HoldAsync(method, body);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private async Task HoldAsync(string method, JsonObject body)
    {
        if (_holds.TryGetValue(method, out var hold) && hold.When(body))
        {
            await hold.Release;
        }
    }

    /// <summary>chat.postMessage: the message is visible at once, with its metadata when the call carried one.</summary>
    private JsonObject Post(JsonObject body)
    {
        var channel = body["channel"]?.ToString() ?? string.Empty;
        var ts = NextTs();
        var thread = body["thread_ts"]?.ToString();
        _messages[(channel, ts)] = new SlackPosted(channel, ts, thread, body["text"]?.ToString() ?? string.Empty,
            body["blocks"]?.DeepClone() as JsonArray, Metadata(body));
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts };
    }

    /// <summary>chat.update: text and blocks are replaced, metadata too when the call carries it (else it is kept).</summary>
    private JsonObject Update(JsonObject body)
    {
        var key = (body["channel"]?.ToString() ?? string.Empty, body["ts"]?.ToString() ?? string.Empty);
        if (!_messages.TryGetValue(key, out var message))
        {
            return new JsonObject { ["ok"] = false, ["error"] = "message_not_found" };
        }

        _messages[key] = message with
        {
            Text = body["text"]?.ToString() ?? message.Text,
            Blocks = body["blocks"]?.DeepClone() as JsonArray,
            Metadata = Metadata(body) ?? message.Metadata,
        };
        return new JsonObject { ["ok"] = true, ["channel"] = key.Item1, ["ts"] = key.Item2 };
    }

    private JsonObject Delete(JsonObject body)
    {
        var key = (body["channel"]?.ToString() ?? string.Empty, body["ts"]?.ToString() ?? string.Empty);
        return _messages.TryRemove(key, out _)
            ? new JsonObject { ["ok"] = true, ["channel"] = key.Item1, ["ts"] = key.Item2 }
            : new JsonObject { ["ok"] = false, ["error"] = "message_not_found" };
    }

    /// <summary>
    /// conversations.history (top-level messages, newest first) or conversations.replies (one thread, oldest first), from
    /// <c>oldest</c> on, <c>limit</c> a page with a cursor; metadata only with <c>include_all_metadata</c>, as Slack does.
    /// </summary>
    private JsonObject History(JsonObject body, string? thread)
    {
        var channel = body["channel"]?.ToString() ?? string.Empty;
        var oldest = decimal.TryParse(body["oldest"]?.ToString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0m;
        var limit = int.TryParse(body["limit"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 999) : 100;
        var start = int.TryParse(body["cursor"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : 0;
        var withMetadata = body["include_all_metadata"]?.ToString() is "true" or "1";
        var inChannel = VisibleIn(channel).Where(m => decimal.Parse(m.Ts, System.Globalization.CultureInfo.InvariantCulture) >= oldest);
        var listed = thread is null
            ? inChannel.Where(m => m.ThreadTs is null || m.ThreadTs == m.Ts).Reverse().ToList()
            : inChannel.Where(m => m.ThreadTs == thread || m.Ts == thread).ToList();
        var page = listed.Skip(start).Take(limit).Select(m =>
        {
            var json = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["bot_id"] = "B0BOT", ["ts"] = m.Ts, ["text"] = m.Text };
            if (m.ThreadTs is not null)
            {
                json["thread_ts"] = m.ThreadTs;
            }

            if (withMetadata && m.Metadata is not null)
            {
                json["metadata"] = m.Metadata.DeepClone();
            }

            return (JsonNode)json;
        });
        var next = start + limit < listed.Count ? (start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page]),
            ["has_more"] = next.Length > 0,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        };
    }

    private static JsonObject? Metadata(JsonObject body) => body["metadata"] switch
    {
        JsonObject metadata => metadata.DeepClone().AsObject(),
        // A form-encoded call carries the metadata as a JSON string.
        JsonValue text when text.TryGetValue<string>(out var raw) && raw.Length > 0 => JsonNode.Parse(raw) as JsonObject,
        _ => null,
    };

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

    // Slack's ts is the posting time in seconds with a sequence: later messages sort after earlier ones and
    // conversations.history's oldest compares with it.
    private string NextTs() =>
        $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _ts) % 1_000_000:D6}";

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
