using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>The wire protocol a scripted server speaks.</summary>
public enum Protocol
{
    Ollama,
    OpenAI,
    Anthropic,
}

/// <summary>What the server does with one request (an act of the script).</summary>
public abstract record Act
{
    /// <summary>A normal reply whose model text is <paramref name="Text"/>.</summary>
    public sealed record Reply(string Text) : Act;

    /// <summary>An HTTP error, with a Retry-After header when given.</summary>
    public sealed record Status(int Code, string? RetryAfter = null) : Act;

    /// <summary>A normal reply sent only after <paramref name="Delay"/> (cut short if the client gives up).</summary>
    public sealed record Slow(TimeSpan Delay, string Text) : Act;

    /// <summary>The connection is closed with no response.</summary>
    public sealed record Drop : Act;
}

/// <summary>A request as the server received it.</summary>
public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, JsonNode Body, TimeSpan At)
{
    /// <summary>All text of the request's messages (and Anthropic's system field), joined.</summary>
    public string Prompt
    {
        get
        {
            var parts = new List<string>();
            if (Body["system"] is JsonValue system)
            {
                parts.Add(system.GetValue<string>());
            }

            foreach (var message in Body["messages"]?.AsArray() ?? [])
            {
                parts.Add(message?["content"]?.GetValue<string>() ?? string.Empty);
            }

            return string.Join("\n", parts);
        }
    }
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that speaks one provider's protocol — Ollama <c>/api/chat</c>,
/// OpenAI <c>/v1/chat/completions</c> or Anthropic <c>/v1/messages</c> — and answers from a per-test script.
/// When the script is empty it asks <see cref="Responder"/>, or replies with <see cref="DefaultText"/>.
/// </summary>
public sealed class ScriptedProvider : IAsyncDisposable
{
    public const string Key = "test-key";

    private LoopbackHttpServer _server = null!;
    private readonly ConcurrentQueue<Act> _script = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ScriptedProvider(Protocol protocol) => Protocol = protocol;

    public Protocol Protocol { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The model text of replies when nothing else is scripted.</summary>
    public string DefaultText { get; set; } = AdviceJson.Good();

    /// <summary>Decides the step from the request when the script is empty.</summary>
    public Func<Received, Act>? Responder { get; set; }

    public IReadOnlyList<Received> Requests => [.. _received];

    public int Count => _received.Count;

    /// <summary>Waits (up to a minute, for a loaded machine) until <paramref name="count"/> requests have arrived.</summary>
    public async Task ReceivedAsync(int count)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (Count < count)
        {
            Assert.True(DateTime.UtcNow < giveUp, $"the provider received {Count} of {count} requests");
            await Task.Delay(10);
        }
    }

    public static async Task<ScriptedProvider> StartAsync(Protocol protocol)
    {
        var server = new ScriptedProvider(protocol);
        var path = protocol switch
        {
            Protocol.Ollama => "/api/chat",
            Protocol.OpenAI => "/v1/chat/completions",
            _ => "/v1/messages",
        };
        server._server = await LoopbackHttpServer.StartAsync(app => app.MapPost(path, server.HandleAsync));
        server.BaseUrl = protocol == Protocol.OpenAI ? new Uri(server._server.BaseAddress, "v1/") : server._server.BaseAddress;
        return server;
    }

    public ScriptedProvider Then(params Act[] steps)
    {
        foreach (var step in steps)
        {
            _script.Enqueue(step);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) ?? new JsonObject();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var received = new Received(context.Request.Path, headers, body, _clock.Elapsed);
        _received.Enqueue(received);

        var refusal = Protocol switch
        {
            Protocol.Anthropic when !headers.TryGetValue("x-api-key", out var key) || key != Key || !headers.ContainsKey("anthropic-version") => 401,
            Protocol.OpenAI when !headers.TryGetValue("authorization", out var auth) || auth != "Bearer " + Key => 401,
            _ => 0,
        };
        var step = refusal != 0 ? new Act.Status(refusal)
            : _script.TryDequeue(out var scripted) ? scripted
            : Responder?.Invoke(received) ?? new Act.Reply(DefaultText);

        switch (step)
        {
            case Act.Drop:
                context.Abort();
                return;
            case Act.Status status:
                context.Response.StatusCode = status.Code;
                if (status.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = status.RetryAfter;
                }

                await context.Response.WriteAsJsonAsync(Error(status.Code, body["model"]?.GetValue<string>()));
                return;
            case Act.Slow slow:
                try
                {
                    await Task.Delay(slow.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await WriteReplyAsync(context, body, slow.Text);
                return;
            case Act.Reply reply:
                await WriteReplyAsync(context, body, reply.Text);
                return;
        }
    }

    private Task WriteReplyAsync(HttpContext context, JsonNode request, string text)
    {
        var model = request["model"]?.GetValue<string>() ?? "unknown";
        JsonObject reply = Protocol switch
        {
            Protocol.Ollama => new JsonObject
            {
                ["model"] = model,
                ["created_at"] = "2026-01-01T00:00:00Z",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                ["done"] = true,
                ["done_reason"] = "stop",
                ["prompt_eval_count"] = 120,
                ["eval_count"] = 80,
            },
            Protocol.OpenAI => new JsonObject
            {
                ["id"] = "chatcmpl-test",
                ["object"] = "chat.completion",
                ["created"] = 1_767_225_600,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 80, ["total_tokens"] = 200 },
            },
            _ => new JsonObject
            {
                ["id"] = "msg_test",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
                ["stop_reason"] = "end_turn",
                ["usage"] = new JsonObject { ["input_tokens"] = 120, ["output_tokens"] = 80 },
            },
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(reply.ToJsonString());
    }

    private JsonObject Error(int code, string? model) => Protocol switch
    {
        // Ollama's own wording for a model it does not have.
        Protocol.Ollama when code == 404 => new JsonObject { ["error"] = $"model \"{model}\" not found, try pulling it first" },
        Protocol.Ollama => new JsonObject { ["error"] = $"scripted {code}" },
        Protocol.OpenAI => new JsonObject { ["error"] = new JsonObject { ["message"] = $"scripted {code}", ["type"] = "server_error", ["code"] = null } },
        _ => new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = $"scripted {code}" } },
    };
}

/// <summary>Advice replies as a model would write them.</summary>
public static class AdviceJson
{
    public static string Good(string? evidence = null, int score = 60, string strength = "You name the disagreement and what was at stake.",
        string? improvedExample = "When my teammate and I disagreed about the cache, I proposed a benchmark; it cut latency by 30%.") =>
        Build([strength, "You explain the other view before your own."],
            [new JsonObject
            {
                ["title"] = "Quantify the result",
                ["evidence"] = evidence ?? string.Empty,
                ["suggestion"] = "Close with a number: how much faster, how many users.",
            }, new JsonObject
            {
                ["title"] = "Say what you did yourself",
                ["evidence"] = string.Empty,
                ["suggestion"] = "Use I for your own actions.",
            }],
            score, improvedExample);

    public static string Build(string[] strengths, JsonObject[] improvements, int score, string? improvedExample = "A better answer.")
    {
        var scores = new JsonObject();
        foreach (var name in new[] { "relevance", "structure", "specificity", "ownership", "length", "clarity" })
        {
            scores[name] = score;
        }

        return new JsonObject
        {
            ["strengths"] = new JsonArray([.. strengths.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["improvements"] = new JsonArray([.. improvements]),
            ["missedPoints"] = new JsonArray("Something the model thinks was missed"),
            ["improvedExample"] = improvedExample,
            ["scores"] = scores,
        }.ToJsonString();
    }

    /// <summary>Valid JSON that lacks the required "scores".</summary>
    public static string MissingScores() =>
        """{"strengths":["Clear."],"improvements":[{"title":"t","evidence":"","suggestion":"s"}],"missedPoints":[],"improvedExample":"x"}""";
}
