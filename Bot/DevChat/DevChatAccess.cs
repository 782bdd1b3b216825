using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.DevChat;

/// <summary>The outcome of an access check: allowed, or the status and message to answer with.</summary>
internal sealed record DevChatDecision(int Status, string? Message, TimeSpan? RetryAfter = null)
{
    public static readonly DevChatDecision Allowed = new(StatusCodes.Status200OK, null);

    public bool IsAllowed => Status == StatusCodes.Status200OK;
}

/// <summary>
/// Who may use the dev chat. It is served in Development or when <c>DevChat:Enabled</c> is set. While the host listens
/// on loopback only and the request comes from this machine (with a loopback Host header, against DNS rebinding, and
/// no forwarding header: a local reverse proxy relays other machines' requests), no token is needed. Otherwise the
/// request must carry <c>DevChat:Token</c> (query <c>access</c> on first entry, then the cookie; or the header),
/// compared in constant time; without a configured token it is refused. Wrong tokens are rate-limited per client
/// address (<see cref="TokenGuesses"/>): the connection's, or, for a request relayed by a proxy on this machine, the
/// address that proxy put last in <c>X-Forwarded-For</c> or <c>Forwarded</c> (the one it saw; a client cannot choose
/// it), so one person's wrong tokens do not lock out everyone behind the proxy. All clients behind one local proxy
/// also share a larger bucket, so a local process that invents addresses is still slowed down.
/// </summary>
internal sealed class DevChatAccess(IOptions<DevChatOptions> options, IHostEnvironment environment, IServer server, TimeProvider time)
{
    /// <summary>Headers a proxy adds when it relays a request; any of them means the request did not start here.</summary>
    private static readonly string[] ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Real-IP", "X-Original-Forwarded-For", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "Via",
    ];

    private readonly TokenGuesses _guesses = new(time);

    /// <summary>Wrong tokens of all clients behind one local proxy together: ten clients' bursts, and ten times the refill rate.</summary>
    private readonly TokenGuesses _relayedGuesses = new(time, TokenGuesses.Burst * 10, TokenGuesses.Refill / 10);

    public const string CookieName = "coachbot_devchat_access";
    public const string HeaderName = "X-CoachBot-Token";
    public const string QueryName = "access";

    public bool Enabled => options.Value.Enabled ?? environment.IsDevelopment();

    public DevChatDecision Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Enabled)
        {
            return new(StatusCodes.Status404NotFound, "The dev chat is off. It runs in the Development environment, or set DevChat:Enabled=true (DevChat__Enabled=true).");
        }

        var local = IsLoopback(context.Connection.RemoteIpAddress) && IsLoopbackHost(context.Request.Host.Host)
            && !IsRelayed(context.Request.Headers) && ListensOnLoopbackOnly();
        if (local)
        {
            return DevChatDecision.Allowed;
        }

        var configured = options.Value.Token;
        if (string.IsNullOrEmpty(configured))
        {
            return new(StatusCodes.Status403Forbidden,
                "The dev chat is open only to this machine. To use it from elsewhere, set an access token (DevChat:Token, " +
                $"or the environment variable DevChat__Token, made with `{TokenStrength.HowToGenerate}`), restart, and open /?access=<token> once.");
        }

        var client = ClientOf(context);
        var proxy = client.ViaProxy ? context.Connection.RemoteIpAddress!.ToString() : null;
        if ((_guesses.WaitFor(client.Address) ?? (proxy is null ? null : _relayedGuesses.WaitFor(proxy))) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return new(StatusCodes.Status429TooManyRequests,
                $"Too many wrong dev chat access tokens from this address. Try again in {seconds} seconds.", TimeSpan.FromSeconds(seconds));
        }

        var presented = PresentedToken(context);
        if (Matches(presented, configured))
        {
            return DevChatDecision.Allowed;
        }

        if (!string.IsNullOrEmpty(presented))
        {
            _guesses.Wrong(client.Address);
            if (proxy is not null)
            {
                _relayedGuesses.Wrong(proxy);
            }
        }

        return new(StatusCodes.Status401Unauthorized, "The dev chat needs its access token: open /?access=<token> (the DevChat:Token setting) once in this browser.");
    }

    /// <summary>Whether the request brought the token in the query (first entry), so the page should keep it in a cookie.</summary>
    public bool CameWithQueryToken(HttpContext context) =>
        !string.IsNullOrEmpty(options.Value.Token) && Matches(context.Request.Query[QueryName].ToString(), options.Value.Token);

    /// <summary>
    /// The address wrong tokens are counted against: for a request a proxy on this machine relayed (loopback connection
    /// with a forwarding header), the last address in <c>X-Forwarded-For</c> or the last <c>for=</c> of <c>Forwarded</c>,
    /// which that proxy wrote; otherwise the connection's address.
    /// </summary>
    public static (string Address, bool ViaProxy) ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        if (IsLoopback(remote) && IsRelayed(context.Request.Headers) && ForwardedClient(context.Request.Headers) is { } forwarded)
        {
            return (forwarded.ToString(), true);
        }

        return (remote?.ToString() ?? "unknown", false);
    }

    private static IPAddress? ForwardedClient(IHeaderDictionary headers)
    {
        var xff = headers["X-Forwarded-For"].ToString();
        if (xff.Length > 0)
        {
            return ParseAddress(xff[(xff.LastIndexOf(',') + 1)..]);
        }

        var forwarded = headers["Forwarded"].ToString();
        var at = forwarded.LastIndexOf("for=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var value = forwarded[(at + 4)..].Split(';', ',')[0];
        return ParseAddress(value);
    }

    /// <summary>An address as proxies write it: <c>203.0.113.9</c>, <c>"[2001:db8::1]:4711"</c>, <c>198.51.100.1:5000</c>.</summary>
    private static IPAddress? ParseAddress(string value)
    {
        var text = value.Trim().Trim('"');
        if (text.StartsWith('['))
        {
            var end = text.IndexOf(']', StringComparison.Ordinal);
            text = end < 0 ? text : text[1..end];
        }
        else if (text.Count(c => c == ':') == 1)
        {
            text = text[..text.IndexOf(':', StringComparison.Ordinal)];
        }

        return IPAddress.TryParse(text, out var address) ? address : null;
    }

    private static string? PresentedToken(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        if (request.Query[QueryName].ToString() is { Length: > 0 } query)
        {
            return query;
        }

        return request.Cookies[CookieName];
    }

    // A base64 token typed into an address bar unencoded arrives with its '+' turned into a space by query decoding;
    // such a token is also compared with its spaces taken back as the '+' they were.
    private static bool Matches(string? presented, string configured) =>
        presented is { Length: > 0 } && (Equal(presented, configured) || (presented.Contains(' ', StringComparison.Ordinal) && Equal(presented.Replace(' ', '+'), configured)));

    private static bool Equal(string presented, string configured) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private static bool IsRelayed(IHeaderDictionary headers) => ForwardingHeaders.Any(headers.ContainsKey);

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLoopback(address));

    private bool ListensOnLoopbackOnly()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return true;
        }

        foreach (var address in addresses)
        {
            // Kestrel lists what it bound: http://127.0.0.1:5000, http://localhost:3978, http://[::]:80, http://+:80.
            var start = address.IndexOf("://", StringComparison.Ordinal);
            var rest = start < 0 ? address : address[(start + 3)..];
            var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
            if (!IsLoopbackHost(host))
            {
                return false;
            }
        }

        return true;
    }
}
