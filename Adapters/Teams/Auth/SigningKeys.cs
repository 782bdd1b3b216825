using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Adapters.Teams.Auth;

/// <summary>A signing key from the JWKS with the channels it is endorsed for.</summary>
internal sealed record EndorsedKey(string KeyId, SecurityKey Key, IReadOnlySet<string> Endorsements);

/// <summary>
/// The Bot Framework signing keys: the OpenID metadata names the JWKS, which is read as raw JSON because the stock
/// key class drops the <c>endorsements</c> array. Keys are cached, fetched again once they are older than
/// <see cref="TeamsOptions.KeyRefreshHours"/>, and on an unknown key id at most once per
/// <see cref="TeamsOptions.UnknownKeyRefreshSeconds"/>. A failed fetch keeps the keys already known.
/// </summary>
internal sealed class SigningKeys(IHttpClientFactory http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<SigningKeys> logger) : IDisposable
{
    public const string HttpClientName = "teams-auth";
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyDictionary<string, EndorsedKey> _keys = new Dictionary<string, EndorsedKey>(StringComparer.Ordinal);
    private DateTimeOffset? _fetchedAt;
    private const double StaleRetrySeconds = 30;
    private DateTimeOffset? _lastAttempt;

    /// <summary>How many times the JWKS was fetched (for tests and logs).</summary>
    public int Fetches { get; private set; }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The key with <paramref name="keyId"/>, or null when it is unknown even after an allowed refresh.</summary>
    public async Task<EndorsedKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var stale = _fetchedAt is null || now - _fetchedAt >= TimeSpan.FromHours(settings.KeyRefreshHours);
        if (!stale && _keys.TryGetValue(keyId, out var known))
        {
            return known;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            now = time.GetUtcNow();
            stale = _fetchedAt is null || now - _fetchedAt >= TimeSpan.FromHours(settings.KeyRefreshHours);
            if (!stale && _keys.TryGetValue(keyId, out known))
            {
                return known;
            }

            // An unknown kid may mean the keys rolled over; but a stream of made-up kids must not turn the bot into
            // a proxy that hammers the key endpoint, so such refreshes are rate-limited.
            // A due refresh that failed (the endpoint is down) is retried at most every 30 s too: otherwise every
            // unauthenticated request would trigger a fetch, and real traffic would queue behind them. Meanwhile the
            // keys fetched last time keep serving.
            var sinceAttempt = _lastAttempt is { } last ? now - last : TimeSpan.MaxValue;
            var allowed = sinceAttempt >= TimeSpan.FromSeconds(stale ? Math.Min(StaleRetrySeconds, settings.UnknownKeyRefreshSeconds) : settings.UnknownKeyRefreshSeconds);
            if (allowed)
            {
                _lastAttempt = now;
                try
                {
                    _keys = await FetchAsync(settings.OpenIdMetadataUrl, cancellationToken);
                    _fetchedAt = now;
                    Fetches++;
                    Log.KeysRefreshed(logger, _keys.Count);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or FormatException or TaskCanceledException)
                {
                    Log.KeysUnavailable(logger, ex);
                }
            }

            return _keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, EndorsedKey>> FetchAsync(string metadataUrl, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(HttpClientName);
        var metadata = await client.GetFromJsonAsync<JsonElement>(metadataUrl, cancellationToken);
        var jwksUri = metadata.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
            ? uri.GetString()!
            : throw new InvalidOperationException("The OpenID metadata names no jwks_uri.");
        var jwks = await client.GetFromJsonAsync<JsonElement>(new Uri(new Uri(metadataUrl), jwksUri), cancellationToken);
        var keys = new Dictionary<string, EndorsedKey>(StringComparer.Ordinal);
        if (!jwks.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("The JWKS holds no keys array.");
        }

        foreach (var key in list.EnumerateArray())
        {
            if (Text(key, "kty") != "RSA" || Text(key, "kid") is not { Length: > 0 } kid || Text(key, "n") is not { } n || Text(key, "e") is not { } e)
            {
                continue;
            }

            if (Text(key, "use") is { } use && use != "sig")
            {
                continue;
            }

            var endorsements = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (key.TryGetProperty("endorsements", out var endorsed) && endorsed.ValueKind == JsonValueKind.Array)
            {
                foreach (var channel in endorsed.EnumerateArray())
                {
                    if (channel.ValueKind == JsonValueKind.String)
                    {
                        endorsements.Add(channel.GetString()!);
                    }
                }
            }

            var parameters = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(n), Exponent = Base64UrlEncoder.DecodeBytes(e) };
            keys[kid] = new EndorsedKey(kid, new RsaSecurityKey(parameters) { KeyId = kid }, endorsements);
        }

        return keys;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
