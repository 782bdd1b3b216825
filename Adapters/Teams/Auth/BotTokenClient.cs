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

            var (token, status) = await ClientCredentials.RequestAsync(http.CreateClient(SigningKeys.HttpClientName), new Uri(settings.ResolvedTokenEndpoint),
                settings.AppId!, settings.AppPassword ?? string.Empty, settings.TokenScope, time, cancellationToken);
            if (token is null)
            {
                Log.TokenRefused(logger, (int)status);
                throw new HttpRequestException($"The token endpoint answered {(int)status}; check Teams:AppId, Teams:AppPassword and Teams:TenantId.", null, status);
            }

            _token = token.AccessToken;
            _refreshAt = token.RefreshAt;
            Log.TokenFetched(logger, token.ExpiresIn);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
