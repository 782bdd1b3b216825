using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CoachBot.Adapters.Teams.Auth;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Protocol;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams.Graph;

/// <summary>Where a post cut off by a crash may sit, as Microsoft Graph names it.</summary>
internal abstract record GraphPlace
{
    /// <summary>
    /// A reply in a channel thread, <c>GET /teams/{team}/channels/{channel}/messages/{root}/replies</c>, or with no
    /// <paramref name="RootId"/> a new post in the channel (a round's card, which starts its thread),
    /// <c>GET /teams/{team}/channels/{channel}/messages</c> (both RSC <c>ChannelMessage.Read.Group</c>).
    /// </summary>
    public sealed record ChannelThread(string ServiceUrl, string? TeamId, string? TeamGroupId, string ChannelId, string? RootId) : GraphPlace;

    /// <summary>A group chat: <c>GET /chats/{chat}/messages</c> (RSC <c>ChatMessage.Read.Chat</c>). A group chat's Bot Framework conversation id is its Graph chat id.</summary>
    public sealed record GroupChat(string ChatId) : GraphPlace;
}

/// <summary>What a look-up found.</summary>
internal enum GraphOutcome
{
    /// <summary>Graph has the post: <see cref="GraphResult.MessageId"/>.</summary>
    Found,

    /// <summary>Graph answered and the post is not there: it never landed.</summary>
    NotFound,

    /// <summary>Graph could not be asked or did not answer: nothing is known.</summary>
    Unavailable,
}

/// <summary>A look-up's answer; <see cref="Reason"/> says why it is <see cref="GraphOutcome.Unavailable"/> and what to grant.</summary>
internal sealed record GraphResult(GraphOutcome Outcome, string? MessageId = null, string? Reason = null, int Pages = 0);

/// <summary>
/// Finds the bot's own post in Microsoft Graph by the key it carries: the slot's key (turn key and slot) is the
/// <c>id</c> of a hidden element in the Adaptive Card (<see cref="Mark"/>), which Graph returns in
/// <c>attachments[].content</c> (the card's JSON as a string) and the user never sees; a message counts only when
/// <c>from.application.id</c> is the bot's app id. Tokens are app-only (client credentials, scope
/// <c>https://graph.microsoft.com/.default</c>) from the conversation's tenant, cached per tenant until shortly before
/// they expire. A Teams message's Bot Framework activity id and its Graph message id are the same number (a channel
/// thread's conversation id names its root by the id Graph lists replies under), so a found id is updated with the
/// connector's PUT; were they ever to differ, that PUT answers 404 and the reply is posted as before.
/// </summary>
internal sealed class GraphMessages(IHttpClientFactory http, ConnectorClient connector, IOptions<TeamsOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "teams-graph";

    /// <summary>The prefix of the hidden element's id that carries a slot's key.</summary>
    public const string MarkPrefix = "coachbot-delivery:";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RefreshAt)> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>The hidden element's id for a slot.</summary>
    public static string MarkOf(string turnKey, string slot) => MarkPrefix + turnKey + "/" + slot;

    /// <summary>
    /// The activity with the slot's key in its Adaptive Card (a hidden, empty container), or null when it carries no
    /// card (plain text has nowhere Graph returns and the user does not see).
    /// </summary>
    public static Activity? Mark(Activity activity, string turnKey, string slot)
    {
        if (activity.Attachments is not { Count: > 0 } attachments
            || attachments.FirstOrDefault(a => a.ContentType == Attachment.AdaptiveCardType && a.Content is JsonObject) is not { } card)
        {
            return null;
        }

        var content = (JsonObject)card.Content!.DeepClone();
        var body = content["body"] as JsonArray ?? [];
        var mark = MarkOf(turnKey, slot);
        if (!body.Any(e => (string?)e?["id"] == mark))
        {
            body.Add(new JsonObject { ["type"] = "Container", ["id"] = mark, ["isVisible"] = false, ["items"] = new JsonArray() });
        }

        content["body"] = body;
        return activity with { Attachments = [.. attachments.Select(a => ReferenceEquals(a, card) ? a with { Content = content } : a)] };
    }

    /// <summary>Looks for the message marked <paramref name="mark"/> posted by the bot since <paramref name="since"/>.</summary>
    public async Task<GraphResult> FindAsync(GraphPlace place, string mark, string? tenantId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var tenant = tenantId is { Length: > 0 } ? tenantId : settings.TenantId;
        if (tenant is not { Length: > 0 })
        {
            return new(GraphOutcome.Unavailable, Reason: "the conversation names no tenant and Teams:TenantId is not set");
        }

        // One budget for the whole look-up (token, team details, every page), read from the injected clock.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(settings.GraphLookupSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await FindWithinAsync(place, mark, tenant, since, linked.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(GraphOutcome.Unavailable, Reason: $"Graph did not answer within Teams:GraphLookupSeconds ({settings.GraphLookupSeconds} s)");
        }
        catch (HttpRequestException ex)
        {
            return new(GraphOutcome.Unavailable, Reason: ex.Message);
        }
        catch (ConnectorException ex)
        {
            return new(GraphOutcome.Unavailable, Reason: "the connector would not name the team's Microsoft Entra group: " + ex.Message);
        }
        catch (JsonException)
        {
            return new(GraphOutcome.Unavailable, Reason: "Graph answered with a body that is not a message list");
        }
    }

    private async Task<GraphResult> FindWithinAsync(GraphPlace place, string mark, string tenant, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var baseUrl = settings.GraphBaseUrl.TrimEnd('/');
        Uri first;
        bool newestFirst;
        string grant;
        switch (place)
        {
            case GraphPlace.GroupChat chat:
                // Newest first, so the pages can stop once they reach messages older than the slot.
                first = new Uri($"{baseUrl}/chats/{Escape(chat.ChatId)}/messages?$top=50&$orderby=createdDateTime%20desc");
                newestFirst = true;
                grant = "resource-specific consent ChatMessage.Read.Chat (a chat owner adds the app to the chat with its current package)";
                break;
            case GraphPlace.ChannelThread thread:
                if (await TeamOfAsync(thread.ServiceUrl, thread.TeamId, thread.TeamGroupId, cancellationToken) is not { } team)
                {
                    return new(GraphOutcome.Unavailable, Reason: "the turn names no team, so Graph's team id (its Microsoft Entra group) is unknown");
                }

                // A thread's replies, or the channel's posts without their replies: both take only $top (at most 50) and
                // promise no order, so every page is read.
                var messages = $"{baseUrl}/teams/{Escape(team)}/channels/{Escape(thread.ChannelId)}/messages";
                first = new Uri(thread.RootId is { } root ? $"{messages}/{Escape(root)}/replies?$top=50" : $"{messages}?$top=50");
                newestFirst = false;
                grant = "resource-specific consent ChannelMessage.Read.Group (a team owner adds the app to the team with its current package)";
                break;
            default:
                return new(GraphOutcome.Unavailable, Reason: "Graph cannot list that conversation");
        }

        var token = await TokenAsync(tenant, cancellationToken);
        var client = http.CreateClient(HttpClientName);
        var appId = settings.AppId;
        var next = first;
        // A message created a little before the slot was begun is still a candidate: clocks differ.
        var oldest = since - TimeSpan.FromMinutes(2);
        for (var page = 1; page <= settings.GraphLookupMaxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    return new(GraphOutcome.Unavailable, Reason: $"Graph refused the look-up ({(int)response.StatusCode}): grant {grant}", Pages: page);
                }

                return new(GraphOutcome.Unavailable, Reason: $"Graph answered {(int)response.StatusCode} to the look-up", Pages: page);
            }

            var list = await response.Content.ReadFromJsonAsync<MessageList>(cancellationToken)
                ?? throw new JsonException("empty");
            var older = false;
            foreach (var message in list.Value ?? [])
            {
                if (message.CreatedDateTime is { } created && created < oldest)
                {
                    older = true;
                    continue;
                }

                if (message.Id is { Length: > 0 } id && message.DeletedDateTime is null
                    && string.Equals(message.From?.Application?.Id, appId, StringComparison.OrdinalIgnoreCase)
                    && message.Attachments?.Any(a => a.ContentType == Attachment.AdaptiveCardType && Carries(a.Content, mark)) == true)
                {
                    return new(GraphOutcome.Found, id, Pages: page);
                }
            }

            if (newestFirst && older || list.NextLink is not { Length: > 0 } link)
            {
                return new(GraphOutcome.NotFound, Pages: page);
            }

            // The next page is followed only on Graph's own host: the token goes nowhere else.
            if (!Uri.TryCreate(link, UriKind.Absolute, out var nextUrl) || !SameOrigin(nextUrl, first))
            {
                return new(GraphOutcome.Unavailable, Reason: "Graph's next page points at another host", Pages: page);
            }

            next = nextUrl;
        }

        return new(GraphOutcome.Unavailable, Reason: $"the post was not among the first {settings.GraphLookupMaxPages} pages (Teams:GraphLookupMaxPages)", Pages: settings.GraphLookupMaxPages);
    }

    /// <summary>Graph's id of the team (its Microsoft Entra group): the turn's, or the connector's team details; null when neither names it.</summary>
    private async Task<string?> TeamOfAsync(string serviceUrl, string? teamId, string? teamGroupId, CancellationToken cancellationToken)
    {
        if (teamGroupId is { Length: > 0 })
        {
            return teamGroupId;
        }

        return teamId is { Length: > 0 } && (await connector.GetTeamAsync(serviceUrl, teamId, cancellationToken))?.AadGroupId is { Length: > 0 } group
            ? group
            : null;
    }

    /// <summary>Whether a card's JSON (Graph returns it as a string) holds an element whose id is <paramref name="mark"/>.</summary>
    private static bool Carries(string? content, string mark)
    {
        if (content is not { Length: > 0 } || !content.Contains(MarkPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return HasId(JsonNode.Parse(content), mark);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasId(JsonNode? node, string mark) => node switch
    {
        JsonObject obj => obj["id"] is JsonValue v && v.TryGetValue<string>(out var id) && id == mark || obj.Any(p => HasId(p.Value, mark)),
        JsonArray array => array.Any(e => HasId(e, mark)),
        _ => false,
    };

    private async Task<string> TokenAsync(string tenant, CancellationToken cancellationToken)
    {
        if (_tokens.TryGetValue(tenant, out var cached) && time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(tenant, out var again) && time.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }

            var settings = options.Value;
            var endpoint = new Uri($"{settings.GraphAuthority.TrimEnd('/')}/{Escape(tenant)}/oauth2/v2.0/token");
            var (token, status) = await ClientCredentials.RequestAsync(http.CreateClient(HttpClientName), endpoint,
                settings.AppId!, settings.AppPassword ?? string.Empty, "https://graph.microsoft.com/.default", time, cancellationToken);
            if (token is null)
            {
                throw new HttpRequestException($"the Graph token endpoint of tenant {tenant} answered {(int)status} (check Teams:AppId, Teams:AppPassword and that the app is known in that tenant)");
            }

            _tokens[tenant] = (token.AccessToken, token.RefreshAt);
            return token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private sealed record MessageList(
        [property: JsonPropertyName("value")] IReadOnlyList<ChatMessage>? Value,
        [property: JsonPropertyName("@odata.nextLink")] string? NextLink);

    private sealed record ChatMessage(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("createdDateTime")] DateTimeOffset? CreatedDateTime,
        [property: JsonPropertyName("deletedDateTime")] DateTimeOffset? DeletedDateTime,
        [property: JsonPropertyName("from")] Identities? From,
        [property: JsonPropertyName("attachments")] IReadOnlyList<MessageAttachment>? Attachments);

    private sealed record Identities([property: JsonPropertyName("application")] Identity? Application);

    private sealed record Identity([property: JsonPropertyName("id")] string? Id);

    private sealed record MessageAttachment(
        [property: JsonPropertyName("contentType")] string? ContentType,
        [property: JsonPropertyName("content")] string? Content);
}
