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
internal sealed class ConnectorException(string message, HttpStatusCode? status = null, string? code = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The error code of the connector's answer, when it gave one (e.g. <c>BotNotInConversationRoster</c>).</summary>
    public string? Code { get; } = code;
}

/// <summary>
/// The Bot Connector REST API: reply to an activity, send to a conversation, update an activity, send typing,
/// create a conversation. 429 and 5xx are retried (a <c>Retry-After</c> is honoured). The bot's token is only ever
/// attached for trusted service URLs; a call to any other URL fails before anything is sent.
/// </summary>
internal sealed class ConnectorClient
{
    public const string HttpClientName = "teams-connector";
    private readonly IHttpClientFactory _http;
    private readonly BotTokenClient _tokens;
    private readonly TrustedServiceUrls _trusted;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ILogger<ConnectorClient> _logger;

    public ConnectorClient(IHttpClientFactory http, BotTokenClient tokens, IOptions<TeamsOptions> options, TimeProvider time, ILogger<ConnectorClient> logger)
    {
        _http = http;
        _tokens = tokens;
        _logger = logger;
        var settings = options.Value;
        _trusted = new TrustedServiceUrls(settings.TrustedServiceUrlHosts, settings.IsDevelopmentMode);
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, settings.ConnectorRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(settings.ConnectorRetryBaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(settings.ConnectorRetries > 0 && args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Result: { } r } => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    Log.ConnectorRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode ?? 0);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public bool IsTrusted(string serviceUrl) => Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) && _trusted.IsTrusted(url);

    /// <summary>Replies to <paramref name="replyToId"/> (threaded where the channel threads), or posts to the conversation.</summary>
    public Task<string?> SendAsync(ConversationRoute route, Activity activity, string? replyToId, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(route.ConversationId)}/activities" + (replyToId is null ? string.Empty : "/" + Escape(replyToId));
        return CallAsync(HttpMethod.Post, route.ServiceUrl, path, activity with { ReplyToId = replyToId }, cancellationToken);
    }

    /// <summary>Replaces the activity <paramref name="activityId"/> (the placeholder) with <paramref name="activity"/>.</summary>
    public Task<string?> UpdateAsync(ConversationRoute route, string activityId, Activity activity, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Put, route.ServiceUrl, $"v3/conversations/{Escape(route.ConversationId)}/activities/{Escape(activityId)}",
            activity with { Id = activityId }, cancellationToken);

    /// <summary>Shows the typing indicator.</summary>
    public Task SendTypingAsync(ConversationRoute route, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, route.ServiceUrl, $"v3/conversations/{Escape(route.ConversationId)}/activities",
            new Activity { Type = ActivityTypes.Typing }, cancellationToken);

    /// <summary>Starts a conversation (proactive message) and returns its id.</summary>
    public async Task<string> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        (await StartConversationAsync(serviceUrl, parameters, cancellationToken)).Id
        ?? throw new ConnectorException("The connector created a conversation but returned no id.");

    /// <summary>
    /// Starts a conversation and returns both ids the connector answers with: the conversation's, and that of the
    /// activity posted with it (in a channel, the new thread's root message).
    /// </summary>
    public async Task<ResourceResponse> StartConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        var content = await ExecuteAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, cancellationToken);
        var created = Parse<ResourceResponse>(content);
        return created?.Id is null && created?.ActivityId is null
            ? throw new ConnectorException("The connector created a conversation but returned no id.")
            : created!;
    }

    /// <summary>The members of a conversation (for a channel, its team's members).</summary>
    public async Task<IReadOnlyList<ChannelAccount>> GetMembersAsync(string serviceUrl, string conversationId, CancellationToken cancellationToken) =>
        Parse<List<ChannelAccount>>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members", null, cancellationToken)) ?? [];

    /// <summary>One member of a conversation, by id.</summary>
    public async Task<ChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken) =>
        Parse<ChannelAccount>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, cancellationToken));

    /// <summary>A team's details (<c>GET /v3/teams/{id}</c>): its Microsoft Entra group id is Microsoft Graph's team id.</summary>
    public async Task<TeamDetails?> GetTeamAsync(string serviceUrl, string teamId, CancellationToken cancellationToken) =>
        Parse<TeamDetails>(await ExecuteAsync<object?>(HttpMethod.Get, serviceUrl, $"v3/teams/{Escape(teamId)}", null, cancellationToken));

    private async Task<string?> CallAsync<T>(HttpMethod method, string serviceUrl, string path, T body, CancellationToken cancellationToken)
    {
        var resource = Parse<ResourceResponse>(await ExecuteAsync(method, serviceUrl, path, body, cancellationToken));
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

    private async Task<string> ExecuteAsync<T>(HttpMethod method, string serviceUrl, string path, T body, CancellationToken cancellationToken)
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
        using var response = await _retry.ExecuteAsync(static async (s, ct) =>
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

        var content = response.Content.Headers.ContentLength is 0 ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Log.ConnectorFailed(_logger, method.Method, (int)response.StatusCode);
            var code = Parse<ErrorResponse>(content)?.Error?.Code;
            throw new ConnectorException($"The connector answered {(int)response.StatusCode}{(code is null ? string.Empty : " " + code)} to {method} {path}.", response.StatusCode, code);
        }

        return content;
    }

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
