using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CoachBot.Adapters.Slack.WebApi;

/// <summary>A posted message: its channel and timestamp (Slack's message id).</summary>
internal sealed record SlackMessageRef(string Channel, string Ts);

/// <summary>
/// The Slack Web API methods CoachBot uses, over <see cref="HttpClient"/>. A 429 is retried after its
/// <c>Retry-After</c> (Polly); an <c>ok: false</c> answer is logged with the method and error and thrown as
/// <see cref="SlackApiException"/>.
/// </summary>
internal sealed class SlackWebApi
{
    public const string HttpClientName = "slack-api";

    // A reminder in a huge channel stops reading members here (a few dozen pages); nobody reads that many mentions.
    private const int MaxMembers = 10_000;
    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackWebApi> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SlackWebApi(IHttpClientFactory clients, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApi> logger)
    {
        _http = clients.CreateClient(HttpClientName);
        _options = options.Value;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "slack-web-api", TimeProvider = time };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = false,
                // Only 429: Slack did not act on the call, so repeating a post cannot duplicate it.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                DelayGenerator = static args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    Log.RateLimited(_logger, args.Context.OperationKey ?? "?", args.RetryDelay.TotalSeconds, args.AttemptNumber + 1);
                    return default;
                },
            });
        }

        builder.AddTimeout(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        _pipeline = builder.Build();
    }

    public Task<SlackMessageRef> PostMessageAsync(string channel, string? threadTs, string text, JsonArray? blocks, CancellationToken cancellationToken) =>
        PostMessageAsync(channel, threadTs, text, blocks, null, cancellationToken);

    /// <summary>chat.postMessage; <paramref name="metadata"/> (<c>event_type</c>, <c>event_payload</c>) is stored with the message.</summary>
    public async Task<SlackMessageRef> PostMessageAsync(
        string channel, string? threadTs, string text, JsonArray? blocks, JsonObject? metadata, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["text"] = text, ["unfurl_links"] = false, ["unfurl_media"] = false };
        if (metadata is not null)
        {
            body["metadata"] = metadata.DeepClone();
        }

        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        if (blocks is not null)
        {
            // A copy: the same blocks may go out again (an update that found no message is posted instead).
            body["blocks"] = blocks.DeepClone();
        }

        using var reply = await CallAsync("chat.postMessage", body, _options.BotToken, cancellationToken);
        return new SlackMessageRef(reply.RootElement.GetProperty("channel").GetString()!, reply.RootElement.GetProperty("ts").GetString()!);
    }

    public Task UpdateAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken cancellationToken) =>
        UpdateAsync(channel, ts, text, blocks, null, cancellationToken);

    /// <summary>chat.update; <paramref name="metadata"/>, when given, replaces the message's metadata.</summary>
    public async Task UpdateAsync(string channel, string ts, string text, JsonArray? blocks, JsonObject? metadata, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks?.DeepClone() ?? new JsonArray() };
        if (metadata is not null)
        {
            body["metadata"] = metadata.DeepClone();
        }

        using var _ = await CallAsync("chat.update", body, _options.BotToken, cancellationToken);
    }

    public async Task PostEphemeralAsync(string channel, string user, string? threadTs, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text };
        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        if (blocks is not null)
        {
            // A copy: the same blocks may go out again (an update that found no message is posted instead).
            body["blocks"] = blocks.DeepClone();
        }

        using var _ = await CallAsync("chat.postEphemeral", body, _options.BotToken, cancellationToken);
    }

    /// <summary>The first messages of a thread (its parent first): user ids and bot ids of who wrote them.</summary>
    public async Task<IReadOnlyList<(string? User, string? BotId)>> RepliesAsync(string channel, string threadTs, int limit, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = threadTs, ["limit"] = limit };
        using var reply = await CallAsync("conversations.replies", body, _options.BotToken, cancellationToken, form: true);
        return reply.RootElement.TryGetProperty("messages", out var messages)
            ? [.. messages.EnumerateArray().Select(m => (Str(m, "user"), Str(m, "bot_id")))]
            : [];
    }

    /// <summary>
    /// The ts of the newest message since <paramref name="oldest"/> whose metadata has <paramref name="eventType"/> and
    /// every pair of <paramref name="payload"/> in its event_payload: conversations.history for a channel's top level,
    /// conversations.replies inside a thread, both with include_all_metadata, followed page by page (at most
    /// <paramref name="maxPages"/>). Null when there is none.
    /// </summary>
    public async Task<string?> FindByMetadataAsync(
        string channel, string? threadTs, string eventType, IReadOnlyDictionary<string, string> payload, DateTimeOffset oldest, int maxPages,
        CancellationToken cancellationToken)
    {
        string? cursor = null;
        string? found = null;
        for (var page = 0; page < maxPages; page++)
        {
            var body = new JsonObject
            {
                ["channel"] = channel,
                ["include_all_metadata"] = true,
                ["limit"] = 200,
                ["oldest"] = oldest.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".000000",
                ["inclusive"] = true,
            };
            if (threadTs is not null)
            {
                body["ts"] = threadTs;
            }

            if (cursor is not null)
            {
                body["cursor"] = cursor;
            }

            using var reply = await CallAsync(threadTs is null ? "conversations.history" : "conversations.replies", body, _options.BotToken, cancellationToken, form: true);
            if (reply.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in messages.EnumerateArray())
                {
                    if (Matches(message, eventType, payload) && Str(message, "ts") is { } ts
                        && (found is null || decimal.Parse(ts, CultureInfo.InvariantCulture) > decimal.Parse(found, CultureInfo.InvariantCulture)))
                    {
                        found = ts;
                    }
                }
            }

            cursor = reply.RootElement.TryGetProperty("response_metadata", out var meta) ? Str(meta, "next_cursor") : null;
            if (string.IsNullOrEmpty(cursor))
            {
                break;
            }
        }

        return found;
    }

    private static bool Matches(JsonElement message, string eventType, IReadOnlyDictionary<string, string> payload) =>
        message.TryGetProperty("metadata", out var metadata)
        && Str(metadata, "event_type") == eventType
        && metadata.TryGetProperty("event_payload", out var values)
        && payload.All(p => Str(values, p.Key) == p.Value);

    /// <summary>Whether the user is a bot or an app user, their display name, and whether they administer the workspace (admin or owner).</summary>
    public async Task<(bool IsBot, string? Name, bool IsAdmin)> UserInfoAsync(string user, CancellationToken cancellationToken)
    {
        using var reply = await CallAsync("users.info", new JsonObject { ["user"] = user }, _options.BotToken, cancellationToken, form: true);
        var info = reply.RootElement.GetProperty("user");
        var isBot = True(info, "is_bot");
        var name = info.TryGetProperty("profile", out var profile) ? Str(profile, "display_name") is { Length: > 0 } d ? d : Str(profile, "real_name") : null;
        return (isBot, name ?? Str(info, "name"), True(info, "is_admin") || True(info, "is_owner") || True(info, "is_primary_owner"));
    }

    /// <summary>Every member of a conversation (<c>conversations.members</c>, followed page by page with its cursor).</summary>
    public async Task<IReadOnlyList<string>> ConversationMembersAsync(string channel, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        string? cursor = null;
        do
        {
            var body = new JsonObject { ["channel"] = channel, ["limit"] = 200 };
            if (cursor is not null)
            {
                body["cursor"] = cursor;
            }

            using var reply = await CallAsync("conversations.members", body, _options.BotToken, cancellationToken, form: true);
            if (reply.RootElement.TryGetProperty("members", out var page) && page.ValueKind == JsonValueKind.Array)
            {
                members.AddRange(page.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!));
            }

            cursor = reply.RootElement.TryGetProperty("response_metadata", out var meta) ? Str(meta, "next_cursor") : null;
        }
        while (!string.IsNullOrEmpty(cursor) && members.Count < MaxMembers);

        return members;
    }

    /// <summary>Deletes one of the bot's messages.</summary>
    public async Task DeleteAsync(string channel, string ts, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("chat.delete", new JsonObject { ["channel"] = channel, ["ts"] = ts }, _options.BotToken, cancellationToken);
    }

    /// <summary>The bot's own user id (auth.test), for telling its messages apart.</summary>
    public async Task<string> BotUserIdAsync(CancellationToken cancellationToken)
    {
        using var reply = await CallAsync("auth.test", [], _options.BotToken, cancellationToken);
        return reply.RootElement.GetProperty("user_id").GetString()!;
    }

    /// <summary>A Socket Mode WebSocket address (<c>apps.connections.open</c>, with the app-level token).</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        using var reply = await CallAsync("apps.connections.open", [], _options.AppToken, cancellationToken);
        return new Uri(reply.RootElement.GetProperty("url").GetString()!);
    }

    private async Task<JsonDocument> CallAsync(string method, JsonObject body, string? token, CancellationToken cancellationToken, bool form = false)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            Log.ApiError(_logger, method, "not_configured");
            throw new SlackApiException(method, "not_configured");
        }

        var context = ResilienceContextPool.Shared.Get(method, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(state.Self._options.ApiBaseUrl, state.Method));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", state.Token);
                    request.Content = state.Form
                        ? new FormUrlEncodedContent(state.Body.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? string.Empty)))
                        : new StringContent(state.Body.ToJsonString(), Encoding.UTF8, "application/json");
                    return await state.Self._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken);
                },
                context,
                (Self: this, Method: method, Body: body, Token: token, Form: form));
        }
        catch (HttpRequestException ex)
        {
            Log.ApiError(_logger, method, "http_unreachable");
            throw new SlackApiException(method, "http_unreachable", ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            Log.ApiError(_logger, method, "timeout");
            throw new SlackApiException(method, "timeout", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var code = response.StatusCode == HttpStatusCode.TooManyRequests ? "ratelimited" : $"http_{(int)response.StatusCode}";
                Log.ApiError(_logger, method, code);
                throw new SlackApiException(method, code);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            }
            catch (JsonException ex)
            {
                Log.ApiError(_logger, method, "invalid_json");
                throw new SlackApiException(method, "invalid_json", ex);
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var error = document.RootElement.ValueKind == JsonValueKind.Object ? Str(document.RootElement, "error") ?? "unknown" : "unknown";
                document.Dispose();
                Log.ApiError(_logger, method, error);
                throw new SlackApiException(method, error);
            }

            return document;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is { } after)
        {
            var wait = after.Delta;
            if (wait is { } w)
            {
                return w < TimeSpan.Zero ? TimeSpan.Zero : w > TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : w;
            }
        }

        if (response?.Headers.TryGetValues("Retry-After", out var values) == true
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 120));
        }

        return null;
    }

    private static bool True(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
