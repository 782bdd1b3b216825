using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Adapters.Teams.Tests.Support;

/// <summary>One request the bot made to the fake service.</summary>
public sealed record RecordedCall(string Method, string Path, string? Authorization, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>A test RSA signing key with the channels it is endorsed for.</summary>
public sealed class TestKey(string kid, params string[] endorsements) : IDisposable
{
    public string Kid { get; } = kid;

    public string[] Endorsements { get; } = endorsements;

    public RSA Rsa { get; } = RSA.Create(2048);

    public RsaSecurityKey SecurityKey => new(Rsa) { KeyId = Kid };

    public void Dispose() => Rsa.Dispose();
}

/// <summary>
/// The Bot Framework on 127.0.0.1 (Kestrel, port 0): OpenID metadata, a JWKS of test RSA keys with
/// <c>endorsements</c>, the client-credentials token endpoint, the connector REST endpoints and a file host for
/// download URLs. It records every request the bot sends and can fail connector calls on demand.
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    private LoopbackHttpServer _server = null!;
    private readonly ConcurrentDictionary<string, TestKey> _keys = new(StringComparer.Ordinal);
    private int _activityIds;
    private int _tokens;
    private int _jwksFetches;
    private int _graphTokens;
    private volatile Tuple<Func<RecordedCall, bool>, Task>? _hold;
    private readonly Lock _chatsLock = new();
    private readonly ConcurrentDictionary<string, string> _tokenOwners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Conversation, string Id), (DateTimeOffset Created, string? AppId)> _posted = new();

    private FakeBotFramework()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The service URL the fake's activities carry (and the bot replies to).</summary>
    public string ServiceUrl => BaseAddress.AbsoluteUri;

    public string MetadataUrl => ServiceUrl + "v1/.well-known/openidconfiguration";

    public string TokenEndpoint => ServiceUrl + "botframework.com/oauth2/v2.0/token";

    /// <summary>Microsoft Graph on the same server (<c>Teams:GraphBaseUrl</c>): it lists the messages the connector stored.</summary>
    public string GraphBaseUrl => ServiceUrl + "graph/v1.0";

    /// <summary>The Entra authority for Graph tokens (<c>Teams:GraphAuthority</c>): <c>{authority}/{tenant}/oauth2/v2.0/token</c>.</summary>
    public string GraphAuthority => ServiceUrl.TrimEnd('/');

    /// <summary>When set, every Graph call answers this status with Graph's error body (403: consent not granted).</summary>
    public int? GraphRefusal { get; set; }

    /// <summary>When set, Graph calls wait for it before answering (a Graph that does not answer).</summary>
    public Task? GraphHold { get; set; }

    /// <summary>The clock that stamps <c>createdDateTime</c> on posted messages.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Teams (<c>channelData.team.id</c>) and their Microsoft Entra group ids, for <c>GET /v3/teams/{id}</c> and Graph's team id.</summary>
    public ConcurrentDictionary<string, string> TeamGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Graph token requests (scope <c>https://graph.microsoft.com/.default</c>) and the tenant path each was sent to.</summary>
    public ConcurrentQueue<string> GraphTokenTenants { get; } = new();

    public int GraphTokenRequests => Volatile.Read(ref _graphTokens);

    /// <summary>Graph calls only.</summary>
    public IReadOnlyList<RecordedCall> GraphCalls => [.. Calls.Where(c => c.Path.StartsWith("/graph/", StringComparison.Ordinal))];

    /// <summary>Adds a message another app posted (as Teams would show it), stamped now.</summary>
    public string AddMessage(string conversation, JsonObject activity, string appId)
    {
        var id = "activity-" + Interlocked.Increment(ref _activityIds);
        Messages[(conversation, id)] = activity;
        _posted[(conversation, id)] = (Clock(), appId);
        return id;
    }

    /// <summary>The host and port to list in Teams:TrustedServiceUrlHosts and Teams:DownloadHosts.</summary>
    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public TestKey PrimaryKey { get; } = new("key-1", "msteams", "emulator");

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>Status codes the next connector calls answer with, before they succeed.</summary>
    public ConcurrentQueue<int> ConnectorFailures { get; } = new();

    /// <summary>In <see cref="FailuresAfterPosting"/>: the connection is dropped instead of answering.</summary>
    public const int DropConnection = 0;

    /// <summary>
    /// Failures the next message posts (<c>POST .../activities</c>, or a channel post starting a thread) meet after the
    /// message was stored and is visible: a status code answered (502) or <see cref="DropConnection"/>, as when the
    /// connector delivers a post and its answer is lost.
    /// </summary>
    public ConcurrentQueue<int> FailuresAfterPosting { get; } = new();

    /// <summary>Files served at <c>/files/{name}</c>.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The members <c>GET /v3/conversations/{id}/members</c> lists (any conversation).</summary>
    public ConcurrentDictionary<string, string> Roster { get; } = new(StringComparer.Ordinal);

    /// <summary>Users for whom creating a 1:1 chat is refused (they have not installed the bot personally).</summary>
    public ConcurrentDictionary<string, bool> RefusedPersonalChats { get; } = new(StringComparer.Ordinal);

    /// <summary>1:1 chats created, by conversation id: the member each was created with (one chat per member, as in Teams).</summary>
    public ConcurrentDictionary<string, string> PersonalChats { get; } = new(StringComparer.Ordinal);

    /// <summary>Channel posts created (new threads), by the root message id: the channel each was posted in.</summary>
    public ConcurrentDictionary<string, string> ChannelPosts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The messages as Teams shows them now, by conversation and activity id: a POST of a message activity adds one, a
    /// PUT replaces it (typing indicators are not messages).
    /// </summary>
    public ConcurrentDictionary<(string Conversation, string Id), JsonObject> Messages { get; } = new();

    /// <summary>
    /// Holds connector calls matching <paramref name="when"/> until <paramref name="release"/> completes: the call takes
    /// effect (the message is posted or replaced) and only the answer waits, as when the bot dies while its call is in flight.
    /// </summary>
    public void Hold(Func<RecordedCall, bool> when, Task release) => _hold = Tuple.Create(when, release);

    /// <summary>Stops holding connector calls.</summary>
    public void Unhold() => _hold = null;

    /// <summary>The messages in <paramref name="conversation"/>, oldest first.</summary>
    public IReadOnlyList<JsonObject> MessagesIn(string conversation) =>
        [.. Messages.Where(m => m.Key.Conversation == conversation).OrderBy(m => Sequence(m.Key.Id)).Select(m => m.Value)];

    /// <summary>The order a message was stored in: its id's number ("activity-12", a channel post's "root-7").</summary>
    private static int Sequence(string id) => int.Parse(id[(id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>When set, token requests fail with 401.</summary>
    public bool RefuseTokens { get; set; }

    public int TokenRequests => Volatile.Read(ref _tokens);

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>Connector calls only (not keys, tokens or files).</summary>
    public IReadOnlyList<RecordedCall> ConnectorCalls => [.. Calls.Where(c => c.Path.StartsWith("/v3/", StringComparison.Ordinal))];

    /// <summary>
    /// A posted card without the hidden container that carries its delivery slot's key (posts into group chats and
    /// channel threads carry one, for a Microsoft Graph look-up after a crash), to compare with the card as rendered.
    /// </summary>
    public static JsonNode? WithoutDeliveryMark(JsonNode? card)
    {
        if (card?.DeepClone() is not JsonObject copy || copy["body"] is not JsonArray body)
        {
            return card;
        }

        foreach (var mark in body.Where(e => ((string?)e?["id"])?.StartsWith("coachbot-delivery:", StringComparison.Ordinal) == true).ToList())
        {
            body.Remove(mark);
        }

        return copy;
    }

    /// <summary>
    /// What a message shows as text: its <c>text</c>, or for a one-line notice card (a placeholder or acknowledgement in
    /// a group chat or channel, sent as a card so that a post cut off by a crash can be found again) the card's visible text.
    /// </summary>
    public static string? VisibleText(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if ((string?)message["text"] is { Length: > 0 } text)
        {
            return text;
        }

        if (message["attachments"] is not JsonArray attachments || attachments.FirstOrDefault()?["content"]?["body"] is not JsonArray body)
        {
            return null;
        }

        var shown = body.Where(e => (e as JsonObject)?["isVisible"]?.GetValue<bool>() != false).ToList();
        return shown is [JsonObject only] && (string?)only["type"] == "TextBlock" ? (string?)only["text"] : null;
    }

    public static async Task<FakeBotFramework> StartAsync()
    {
        var fake = new FakeBotFramework();
        fake.AddKey(fake.PrimaryKey);
        fake._server = await LoopbackHttpServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public void AddKey(TestKey key) => _keys[key.Kid] = key;

    /// <summary>A Bot Framework token for <paramref name="appId"/>, valid now, signed with the primary key, unless told otherwise.</summary>
    public string IssueToken(string appId, DateTimeOffset now, TestKey? key = null, string? issuer = null, string? serviceUrl = null,
        TimeSpan? validFrom = null, TimeSpan? validFor = null)
    {
        var handler = new JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var from = now + (validFrom ?? TimeSpan.FromMinutes(-1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = appId,
            NotBefore = from.UtcDateTime,
            IssuedAt = from.UtcDateTime,
            Expires = (from + (validFor ?? TimeSpan.FromHours(1))).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl ?? ServiceUrl)]),
            SigningCredentials = new SigningCredentials((key ?? PrimaryKey).SecurityKey, SecurityAlgorithms.RsaSha256),
        };
        return handler.CreateEncodedJwt(descriptor);
    }

    /// <summary>
    /// Sends <paramref name="activity"/> to the bot's <c>/api/messages</c> through <paramref name="client"/> as the Bot
    /// Framework does: a JSON body and a bearer token for <paramref name="appId"/>, signed now with the primary key and
    /// naming the activity's service URL.
    /// </summary>
    public async Task<HttpResponseMessage> SendActivityAsync(HttpClient client, JsonObject activity, string appId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(activity);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", IssueToken(appId, DateTimeOffset.UtcNow, serviceUrl: (string?)activity["serviceUrl"]));
        return await client.SendAsync(request);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with a valid-looking payload.</summary>
    public string IssueUnsignedToken(string appId, DateTimeOffset now) =>
        Segment(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = PrimaryKey.Kid }) + "." + Segment(Payload(appId, now)) + ".";

    /// <summary>An HS256 token whose HMAC key is the primary key's public key (the classic key-confusion attack).</summary>
    public string IssueHmacWithPublicKey(string appId, DateTimeOffset now)
    {
        var signingInput = Segment(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = PrimaryKey.Kid }) + "." + Segment(Payload(appId, now));
        var publicKey = Encoding.ASCII.GetBytes(PrimaryKey.Rsa.ExportSubjectPublicKeyInfoPem());
        return signingInput + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>The same token with one payload claim changed and the original signature kept.</summary>
    public static string Tamper(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = value;
        return parts[0] + "." + Segment(payload) + "." + parts[2];
    }

    /// <summary>A message activity from a user in a personal chat, as Teams sends it.</summary>
    public JsonObject Message(string id, string text, string appId, string conversationType = "personal", string conversationId = "a:personal-1") => new()
    {
        ["type"] = "message",
        ["id"] = id,
        ["timestamp"] = "2026-01-05T10:00:00.000Z",
        ["channelId"] = "msteams",
        ["serviceUrl"] = ServiceUrl,
        ["from"] = new JsonObject { ["id"] = "29:user-1", ["name"] = "Ada", ["aadObjectId"] = "aad-user-1" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = "tenant-1" },
        ["recipient"] = new JsonObject { ["id"] = "28:" + appId, ["name"] = "CoachBot" },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["locale"] = "en-US",
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
    };

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync();
        }

        var path = request.Path.Value ?? "/";
        // The raw target, as sent: ids in the path stay percent-encoded.
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? path;
        var call = new RecordedCall(request.Method, raw, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body);
        Calls.Enqueue(call);
        var response = context.Response;
        if (path == "/v1/.well-known/openidconfiguration")
        {
            await response.WriteAsJsonAsync(new JsonObject
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = ServiceUrl + "v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            });
        }
        else if (path == "/v1/.well-known/keys")
        {
            Interlocked.Increment(ref _jwksFetches);
            var keys = new JsonArray();
            foreach (var key in _keys.Values)
            {
                var parameters = key.Rsa.ExportParameters(false);
                keys.Add(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = key.Kid,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    ["endorsements"] = new JsonArray([.. key.Endorsements.Select(e => (JsonNode)e)]),
                });
            }

            await response.WriteAsJsonAsync(new JsonObject { ["keys"] = keys });
        }
        else if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) && request.Method == "POST")
        {
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
            if (form.TryGetValue("scope", out var scope) && scope == "https://graph.microsoft.com/.default")
            {
                var g = Interlocked.Increment(ref _graphTokens);
                GraphTokenTenants.Enqueue(path[1..path.IndexOf("/oauth2/", StringComparison.Ordinal)]);
                await response.WriteAsJsonAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = $"graph-token-{g}" });
                return;
            }

            var n = Interlocked.Increment(ref _tokens);
            if (RefuseTokens)
            {
                response.StatusCode = 401;
                return;
            }

            _tokenOwners[$"Bearer bot-token-{n}"] = form.TryGetValue("client_id", out var client) ? client.ToString() : string.Empty;
            await response.WriteAsJsonAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["access_token"] = $"bot-token-{n}" });
        }
        else if (path.StartsWith("/files/", StringComparison.Ordinal) && Files.TryGetValue(path["/files/".Length..], out var file))
        {
            response.ContentType = "application/octet-stream";
            await response.Body.WriteAsync(file);
        }
        else if (path.StartsWith("/graph/v1.0/", StringComparison.Ordinal) && request.Method == "GET")
        {
            await GraphAsync(context, call, path["/graph/v1.0".Length..]);
        }
        else if (path.StartsWith("/v3/teams/", StringComparison.Ordinal) && request.Method == "GET")
        {
            var team = Uri.UnescapeDataString(path["/v3/teams/".Length..]);
            if (TeamGroups.TryGetValue(team, out var group))
            {
                await response.WriteAsJsonAsync(new JsonObject { ["id"] = team, ["name"] = "Practice team", ["aadGroupId"] = group });
            }
            else
            {
                response.StatusCode = 404;
            }
        }
        else if (path.StartsWith("/v3/conversations", StringComparison.Ordinal))
        {
            if (ConnectorFailures.TryDequeue(out var status))
            {
                response.StatusCode = status;
                response.Headers.RetryAfter = "0";
                return;
            }

            if (path == "/v3/conversations" && request.Method == "POST")
            {
                await CreateConversationAsync(call, JsonNode.Parse(body)!, response);
                return;
            }

            if (request.Method == "GET" && path.EndsWith("/members", StringComparison.Ordinal))
            {
                await response.WriteAsJsonAsync(new JsonArray([.. Roster.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (JsonNode)Member(m.Key, m.Value))]));
                return;
            }

            if (request.Method == "GET" && path.Contains("/members/", StringComparison.Ordinal))
            {
                var user = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
                if (Roster.TryGetValue(user, out var name))
                {
                    await response.WriteAsJsonAsync(Member(user, name));
                }
                else
                {
                    response.StatusCode = 404;
                }

                return;
            }

            if (path.IndexOf("/activities", StringComparison.Ordinal) is var at and > 0)
            {
                var conversation = path["/v3/conversations/".Length..at];
                var rest = path[(at + "/activities".Length)..].Trim('/');
                var activity = body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
                string id;
                if (request.Method == "PUT")
                {
                    id = rest;
                    if (!Messages.ContainsKey((conversation, id)))
                    {
                        response.StatusCode = 404;
                        await response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = "ActivityNotFoundInConversation", ["message"] = "The activity was not found." } });
                        return;
                    }
                }
                else
                {
                    id = "activity-" + Interlocked.Increment(ref _activityIds);
                }

                if (activity is not null && (string?)activity["type"] == "message")
                {
                    Messages[(conversation, id)] = activity;
                    if (request.Method != "PUT")
                    {
                        _posted[(conversation, id)] = (Clock(), call.Authorization is { } auth ? _tokenOwners.GetValueOrDefault(auth) : null);
                        if (await FailAfterPostingAsync(context))
                        {
                            return;
                        }
                    }
                }

                if (_hold is { } hold && hold.Item1(call))
                {
                    await hold.Item2;
                }

                await response.WriteAsJsonAsync(new JsonObject { ["id"] = id });
                return;
            }

            await response.WriteAsJsonAsync(new JsonObject { ["id"] = "activity-" + Interlocked.Increment(ref _activityIds) });
        }
        else
        {
            response.StatusCode = 404;
        }
    }

    /// <summary>
    /// <c>POST /v3/conversations</c>: a channel post (channelData.channel.id) is stored among the channel's posts (Graph
    /// lists them) and answers with the new thread's ids, after a <see cref="Hold"/> that matches it; a 1:1 chat with a
    /// member who has not installed the bot is refused the way Teams refuses it.
    /// </summary>
    private async Task CreateConversationAsync(RecordedCall call, JsonNode body, HttpResponse response)
    {
        var n = Interlocked.Increment(ref _activityIds);
        if ((string?)body["channelData"]?["channel"]?["id"] is { } channel)
        {
            var root = "root-" + n;
            ChannelPosts[root] = channel;
            if (body["activity"]?.DeepClone() is JsonObject post)
            {
                Messages[(channel, root)] = post;
                _posted[(channel, root)] = (Clock(), call.Authorization is { } auth ? _tokenOwners.GetValueOrDefault(auth) : null);
                if (await FailAfterPostingAsync(response.HttpContext))
                {
                    return;
                }
            }

            if (_hold is { } hold && hold.Item1(call))
            {
                await hold.Item2;
            }

            await response.WriteAsJsonAsync(new JsonObject { ["id"] = $"{channel};messageid={root}", ["activityId"] = root });
            return;
        }

        var member = (string?)body["members"]?[0]?["id"];
        if (member is not null && RefusedPersonalChats.ContainsKey(member))
        {
            response.StatusCode = 403;
            await response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = "BotNotInConversationRoster", ["message"] = "The bot is not part of the conversation roster." },
            });
            return;
        }

        // Teams has one 1:1 chat between the bot and a member: creating it again answers with the same id.
        string id;
        lock (_chatsLock)
        {
            id = (member is null ? null : PersonalChats.FirstOrDefault(p => p.Value == member).Key) ?? "a:created-" + n;
            if (member is not null)
            {
                PersonalChats[id] = member;
            }
        }

        await response.WriteAsJsonAsync(new JsonObject { ["id"] = id });
    }

    /// <summary>Answers a post already stored with the next of <see cref="FailuresAfterPosting"/>, if any; whether it did.</summary>
    private async Task<bool> FailAfterPostingAsync(HttpContext context)
    {
        if (!FailuresAfterPosting.TryDequeue(out var failure))
        {
            return false;
        }

        if (failure == DropConnection)
        {
            // The message is stored; the bot never hears so.
            context.Abort();
            return true;
        }

        context.Response.StatusCode = failure;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = "ServiceError", ["message"] = "Bad gateway." } });
        return true;
    }

    /// <summary>
    /// Microsoft Graph: <c>GET /chats/{chat}/messages</c> (newest first with <c>$orderby=createdDateTime desc</c>),
    /// <c>GET /teams/{team}/channels/{channel}/messages</c> (the channel's posts) and
    /// <c>GET /teams/{team}/channels/{channel}/messages/{root}/replies</c>, paged by <c>$top</c> (at most 50, 20 by
    /// default) and <c>@odata.nextLink</c>, each message a <c>chatMessage</c> built from what the connector stored.
    /// </summary>
    private async Task GraphAsync(HttpContext context, RecordedCall call, string path)
    {
        var response = context.Response;
        if (call.Authorization is not { } auth || !auth.StartsWith("Bearer graph-token-", StringComparison.Ordinal))
        {
            await GraphErrorAsync(response, 401, "InvalidAuthenticationToken", "Access token is empty.");
            return;
        }

        if (GraphHold is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted);
        }

        if (GraphRefusal is { } refused)
        {
            await GraphErrorAsync(response, refused, "Forbidden", "Missing role permissions on the request. API requires one of 'ChatMessage.Read.Chat, Chat.Read.All'.");
            return;
        }

        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        string conversation;
        string? chatId = null;
        (string Team, string Channel)? channel = null;
        string? root = null;
        if (segments is ["chats", var chat, "messages"])
        {
            conversation = chatId = chat;
        }
        else if (segments is ["teams", var team, "channels", var channelId, "messages", var rootId, "replies"]
            && TeamGroups.Values.Contains(team) && ChannelPosts.TryGetValue(rootId, out var posted) && posted == channelId)
        {
            conversation = $"{channelId};messageid={rootId}";
            channel = (team, channelId);
            root = rootId;
        }
        else if (segments is ["teams", var postsTeam, "channels", var postsChannel, "messages"]
            && TeamGroups.Values.Contains(postsTeam))
        {
            // The channel's posts, without their replies.
            conversation = postsChannel;
            channel = (postsTeam, postsChannel);
        }
        else
        {
            await GraphErrorAsync(response, 404, "NotFound", "Resource not found.");
            return;
        }

        var query = context.Request.Query;
        var top = int.TryParse(query["$top"], out var t) ? t : 20;
        if (top is < 1 or > 50)
        {
            await GraphErrorAsync(response, 400, "BadRequest", "Invalid page size specified: '" + top + "'. Must be between 1 and 50 inclusive.");
            return;
        }

        var skip = int.TryParse(query["$skiptoken"], out var k) ? k : 0;
        var all = Messages.Where(m => m.Key.Conversation == conversation && _posted.ContainsKey(m.Key))
            .Select(m => (m.Key.Id, Activity: m.Value, Meta: _posted[m.Key]))
            .OrderBy(m => m.Meta.Created).ThenBy(m => Sequence(m.Id))
            .ToList();
        if (query["$orderby"] == "createdDateTime desc" || chatId is not null)
        {
            // Chats list newest first (lastModifiedDateTime by default, createdDateTime when asked); replies oldest first.
            all.Reverse();
        }

        var page = all.Skip(skip).Take(top).ToList();
        var value = new JsonArray();
        foreach (var (id, activity, meta) in page)
        {
            value.Add(ChatMessage(id, activity, meta.Created, meta.AppId, chatId, channel, root));
        }

        var result = new JsonObject
        {
            ["@odata.context"] = GraphBaseUrl + "/$metadata#Collection(chatMessage)",
            ["@odata.count"] = page.Count,
        };
        if (skip + top < all.Count)
        {
            // The path as sent (ids percent-encoded), as Graph's own links are.
            var raw = call.Path.Split('?')[0]["/graph/v1.0".Length..];
            var next = $"{GraphBaseUrl}{raw}?$top={top}&$skiptoken={skip + top}";
            if (query["$orderby"].Count > 0)
            {
                next += "&$orderby=" + Uri.EscapeDataString(query["$orderby"].ToString());
            }

            result["@odata.nextLink"] = next;
        }

        result["value"] = value;
        await response.WriteAsJsonAsync(result);
    }

    /// <summary>A <c>chatMessage</c> as Graph returns a bot's message: the card as a JSON string in <c>attachments[].content</c>.</summary>
    private static JsonObject ChatMessage(string id, JsonObject activity, DateTimeOffset created, string? appId, string? chatId, (string Team, string Channel)? channel, string? root)
    {
        var attachments = new JsonArray();
        var html = System.Net.WebUtility.HtmlEncode((string?)activity["text"] ?? string.Empty);
        var index = 0;
        foreach (var attachment in activity["attachments"] as JsonArray ?? [])
        {
            var attachmentId = $"{id}-{index++}";
            html += $"<attachment id=\"{attachmentId}\"></attachment>";
            attachments.Add(new JsonObject
            {
                ["id"] = attachmentId,
                ["contentType"] = (string?)attachment?["contentType"],
                ["contentUrl"] = null,
                ["content"] = attachment?["content"]?.ToJsonString(),
                ["name"] = null,
                ["thumbnailUrl"] = null,
                ["teamsAppId"] = null,
            });
        }

        var stamp = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = id,
            ["replyToId"] = root,
            ["etag"] = id,
            ["messageType"] = "message",
            ["createdDateTime"] = stamp,
            ["lastModifiedDateTime"] = stamp,
            ["lastEditedDateTime"] = null,
            ["deletedDateTime"] = null,
            ["subject"] = null,
            ["summary"] = null,
            ["chatId"] = chatId,
            ["importance"] = "normal",
            ["locale"] = "en-us",
            ["webUrl"] = null,
            ["channelIdentity"] = channel is { } c ? new JsonObject { ["teamId"] = c.Team, ["channelId"] = c.Channel } : null,
            ["policyViolation"] = null,
            ["eventDetail"] = null,
            ["from"] = new JsonObject
            {
                ["application"] = appId is null ? null : new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.teamworkApplicationIdentity",
                    ["id"] = appId,
                    ["displayName"] = "CoachBot",
                    ["applicationIdentityType"] = "bot",
                },
                ["device"] = null,
                ["user"] = null,
            },
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html },
            ["attachments"] = attachments,
            ["mentions"] = new JsonArray(),
            ["reactions"] = new JsonArray(),
        };
    }

    private static async Task GraphErrorAsync(HttpResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        await response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["date"] = "2026-01-05T10:00:00", ["request-id"] = Guid.NewGuid().ToString(), ["client-request-id"] = Guid.NewGuid().ToString() },
            },
        });
    }

    private static JsonObject Member(string id, string name) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["aadObjectId"] = "aad-" + id,
        ["userPrincipalName"] = name.ToLowerInvariant() + "@example.com",
    };

    private JsonObject Payload(string appId, DateTimeOffset now) => new()
    {
        ["iss"] = Issuer,
        ["aud"] = appId,
        ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["serviceurl"] = ServiceUrl,
    };

    private static string Segment(JsonObject json) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(json));
}
