using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CoachBot.Adapters.Teams.Auth;
using CoachBot.Adapters.Teams.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CoachBot.Adapters.Teams.Connector;

/// <summary>The service URL and conversation an outbound call goes to.</summary>
internal sealed record ConversationRoute(string ServiceUrl, string ConversationId);

/// <summary>The connector refused a call, or the service URL is not one the bot's token may be sent to.</summary>
internal sealed class ConnectorException(string message, HttpStatusCode? status = null, string? code = null, Exception? inner = null, bool deliveryUnknown = false)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The error code of the connector's answer, when it gave one (e.g. <c>BotNotInConversationRoster</c>).</summary>
    public string? Code { get; } = code;

    /// <summary>
    /// The POST failed after it was sent (a 5xx, or the connection lost before the answer): the connector may have
    /// delivered it, so posting it again may show it twice. Only <see cref="PostRetries.UnlessMaybeDelivered"/> reports this.
    /// </summary>
    public bool DeliveryUnknown { get; } = deliveryUnknown;
}

/// <summary>Which failures of a POST the connector client repeats by itself.</summary>
internal enum PostRetries
{
    /// <summary>429, any 5xx and a lost connection: a post the connector delivered before failing shows twice.</summary>
    All,

    /// <summary>
    /// Only failures after which nothing was delivered: 429 and a connection that was never made. A 5xx or a connection
    /// lost after the request went out throws a <see cref="ConnectorException"/> with
    /// <see cref="ConnectorException.DeliveryUnknown"/> set, for the caller to look before posting again.
    /// </summary>
    UnlessMaybeDelivered,
}

/// <summary>
/// The Bot Connector REST API: reply to an activity, send to a conversation, update an activity, send typing,
/// create a conversation. 429, 5xx and lost connections are retried (a <c>Retry-After</c> is honoured), except that a
/// POST sent with <see cref="PostRetries.UnlessMaybeDelivered"/> is not repeated after a failure that may have come
/// after its delivery. The bot's token is only ever attached for trusted service URLs; a call to any other URL fails
/// before anything is sent.
/// </summary>
internal sealed class ConnectorClient
{
    public const string HttpClientName = "teams-connector";
    private readonly IHttpClientFactory _http;
    private readonly BotTokenClient _tokens;
    private readonly TrustedServiceUrls _trusted;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ResiliencePipeline<HttpResponseMessage> _retryUndelivered;
    private readonly ILogger<ConnectorClient> _logger;

    public ConnectorClient(IHttpClientFactory http, BotTokenClient tokens, IOptions<TeamsOptions> options, TimeProvider time, ILogger<ConnectorClient> logger)
    {
        _http = http;
        _tokens = tokens;
        _logger = logger;
        var settings = options.Value;
        _trusted = new TrustedServiceUrls(settings.TrustedServiceUrlHosts, settings.IsDevelopmentMode);
        _retry = Retry(settings, time, logger, static outcome => outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result: { } r } => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
            _ => false,
        });
        _retryUndelivered = Retry(settings, time, logger, static outcome => outcome switch
        {
            { Exception: HttpRequestException ex } => NeverSent(ex),
            { Result: { } r } => r.StatusCode == HttpStatusCode.TooManyRequests,
            _ => false,
        });
    }

    public bool IsTrusted(string serviceUrl) => Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) && _trusted.IsTrusted(url);

    /// <summary>Replies to <paramref name="replyToId"/> (threaded where the channel threads), or posts to the conversation.</summary>
    public Task<string?> SendAsync(ConversationRoute route, Activity activity, string? replyToId, CancellationToken cancellationToken) =>
        SendAsync(route, activity, replyToId, PostRetries.All, cancellationToken);

    /// <summary>As <see cref="SendAsync(ConversationRoute, Activity, string?, CancellationToken)"/>, repeating only the failures <paramref name="retries"/> names.</summary>
    public Task<string?> SendAsync(ConversationRoute route, Activity activity, string? replyToId, PostRetries retries, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(route.ConversationId)}/activities" + (replyToId is null ? string.Empty : "/" + Escape(replyToId));
        return CallAsync(HttpMethod.Post, route.ServiceUrl, path, activity with { ReplyToId = replyToId }, retries, cancellationToken);
    }

    /// <summary>Replaces the activity <paramref name="activityId"/> (the placeholder) with <paramref name="activity"/>.</summary>
    public Task<string?> UpdateAsync(ConversationRoute route, string activityId, Activity activity, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Put, route.ServiceUrl, $"v3/conversations/{Escape(route.ConversationId)}/activities/{Escape(activityId)}",
            activity with { Id = activityId }, PostRetries.All, cancellationToken);

    /// <summary>Shows the typing indicator.</summary>
    public Task SendTypingAsync(ConversationRoute route, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, route.ServiceUrl, $"v3/conversations/{Escape(route.ConversationId)}/activities",
            new Activity { Type = ActivityTypes.Typing }, PostRetries.All, cancellationToken);

    /// <summary>Starts a conversation (proactive message) and returns its id.</summary>
    public async Task<string> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        (await StartConversationAsync(serviceUrl, parameters, cancellationToken)).Id
        ?? throw new ConnectorException("The connector created a conversation but returned no id.");

    /// <summary>
    /// Starts a conversation and returns both ids the connector answers with: the conversation's, and that of the
    /// activity posted with it (in a channel, the new thread's root message).
    /// </summary>
    public Task<ResourceResponse> StartConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        StartConversationAsync(serviceUrl, parameters, PostRetries.All, cancellationToken);

    /// <summary>As <see cref="StartConversationAsync(string, ConversationParameters, CancellationToken)"/>, repeating only the failures <paramref name="retries"/> names.</summary>
    public async Task<ResourceResponse> StartConversationAsync(string serviceUrl, ConversationParameters parameters, PostRetries retries, CancellationToken cancellationToken)
    {
        var content = await ExecuteAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, retries, cancellationToken);
        var created = Parse<ResourceResponse>(content);
        return created?.Id is null && created?.ActivityId is null
            ? throw new ConnectorException("The connector created a conversation but returned no id.")
            : created!;
    }

    /// <summary>The members of a conversation (for a channel, its team's members).</summary>
    public async Task<IReadOnlyList<ChannelAccount>> GetMembersAsync(string serviceUrl, string conversationId, CancellationToken cancellationToken) =>
        Parse<List<ChannelAccount>>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members", null, PostRetries.All, cancellationToken)) ?? [];

    /// <summary>One member of a conversation, by id.</summary>
    public async Task<ChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken) =>
        Parse<ChannelAccount>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, PostRetries.All, cancellationToken));

    /// <summary>A team's details (<c>GET /v3/teams/{id}</c>): its Microsoft Entra group id is Microsoft Graph's team id.</summary>
    public async Task<TeamDetails?> GetTeamAsync(string serviceUrl, string teamId, CancellationToken cancellationToken) =>
        Parse<TeamDetails>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/teams/{Escape(teamId)}", null, PostRetries.All, cancellationToken));

    private async Task<string?> CallAsync<T>(HttpMethod method, string serviceUrl, string path, T body, PostRetries retries, CancellationToken cancellationToken)
    {
        var resource = Parse<ResourceResponse>(await ExecuteAsync(method, serviceUrl, path, body, retries, cancellationToken));
        return resource?.Id ?? resource?.ActivityId;
    }

    private static T? Parse<T>(string content)
        where T : class
    {
        if (content.Length == 0)
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<T>(content, ProtocolJson.Options);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<string> ExecuteAsync<T>(HttpMethod method, string serviceUrl, string path, T body, PostRetries retries, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var baseUrl) || !_trusted.IsTrusted(baseUrl))
        {
            Log.UntrustedServiceUrl(_logger, serviceUrl);
            throw new ConnectorException($"The service URL {serviceUrl} is not trusted; the bot's token is never sent there (add its host to Teams:TrustedServiceUrlHosts if it is genuine).");
        }

        var url = new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path);
        var token = await _tokens.GetTokenAsync(cancellationToken);
        var client = _http.CreateClient(HttpClientName);
        var state = (client, method, url, token, body);
        var mayBeDelivered = retries == PostRetries.UnlessMaybeDelivered;
        HttpResponseMessage sent;
        try
        {
            sent = await (mayBeDelivered ? _retryUndelivered : _retry).ExecuteAsync(static async (s, ct) =>
            {
                using var request = new HttpRequestMessage(s.method, s.url)
                {
                    Content = s.body is null ? null : JsonContent.Create(s.body, options: ProtocolJson.Options),
                };
                if (s.token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.token);
                }

                return await s.client.SendAsync(request, ct);
            }, state, cancellationToken);
        }
        catch (HttpRequestException ex) when (mayBeDelivered && !NeverSent(ex))
        {
            Log.ConnectorFailed(_logger, method.Method, 0);
            throw new ConnectorException($"The connection was lost during {method} {path}, perhaps after the connector delivered it: {ex.Message}", inner: ex, deliveryUnknown: true);
        }

        using var response = sent;
        var content = response.Content.Headers.ContentLength is 0 ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Log.ConnectorFailed(_logger, method.Method, (int)response.StatusCode);
            var code = Parse<ErrorResponse>(content)?.Error?.Code;
            throw new ConnectorException($"The connector answered {(int)response.StatusCode}{(code is null ? string.Empty : " " + code)} to {method} {path}.", response.StatusCode, code,
                deliveryUnknown: mayBeDelivered && (int)response.StatusCode >= 500);
        }

        return content;
    }

    private static ResiliencePipeline<HttpResponseMessage> Retry(TeamsOptions settings, TimeProvider time, ILogger logger, Func<Outcome<HttpResponseMessage>, bool> retried) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, settings.ConnectorRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(settings.ConnectorRetryBaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(settings.ConnectorRetries > 0 && retried(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    Log.ConnectorRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode ?? 0);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>
    /// Whether the request failed before anything reached the connector (its host not found, the connection or TLS
    /// never made), so repeating it cannot post twice. A connection lost later, or any other failure, may have come
    /// after the connector took the request.
    /// </summary>
    private static bool NeverSent(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } after)
        {
            return null;
        }

        // Only the delta form; a date form falls back to the exponential delay.
        return after.Delta is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, TimeSpan.FromSeconds(30).Ticks)) : null;
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
