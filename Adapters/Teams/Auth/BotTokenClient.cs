using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams.Auth;

/// <summary>
/// The bot's outbound token (OAuth client credentials, scope <c>https://api.botframework.com/.default</c>), cached
/// until five minutes before it expires (or half its life when that is shorter) and fetched once however many
/// callers ask at the same time. Null in local development mode.
/// </summary>
internal sealed class BotTokenClient(IHttpClientFactory http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<BotTokenClient> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    public void Dispose() => _gate.Dispose();

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IsDevelopmentMode)
        {
            return null;
        }

        if (_token is { } cached && time.GetUtcNow() < _refreshAt)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } again && time.GetUtcNow() < _refreshAt)
            {
                return again;
            }

            var client = http.CreateClient(SigningKeys.HttpClientName);
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.AppId!,
                ["client_secret"] = settings.AppPassword ?? string.Empty,
                ["scope"] = settings.TokenScope,
            });
            using var response = await client.PostAsync(new Uri(settings.ResolvedTokenEndpoint), form, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Log.TokenRefused(logger, (int)response.StatusCode);
                throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}; check Teams:AppId, Teams:AppPassword and Teams:TenantId.", null, response.StatusCode);
            }

            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new HttpRequestException("The token endpoint answered with no body.");
            if (string.IsNullOrEmpty(body.AccessToken) || body.ExpiresIn <= 0)
            {
                throw new HttpRequestException("The token endpoint's answer holds no access token.");
            }

            var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 2));
            _token = body.AccessToken;
            _refreshAt = time.GetUtcNow() + lifetime - margin;
            Log.TokenFetched(logger, body.ExpiresIn);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
