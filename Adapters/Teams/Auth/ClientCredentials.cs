using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Adapters.Teams.Auth;

/// <summary>A token fetched with OAuth client credentials, and when to fetch the next one.</summary>
internal sealed record ClientCredentialsToken(string AccessToken, int ExpiresIn, DateTimeOffset RefreshAt);

/// <summary>
/// One client-credentials token request (<c>grant_type=client_credentials</c>, form-encoded), shared by the Bot
/// Framework token and the Microsoft Graph token. A token is used until five minutes before it expires (or half its
/// life when that is shorter).
/// </summary>
internal static class ClientCredentials
{
    /// <summary>Asks <paramref name="endpoint"/> for a token; null with the status when the endpoint refuses.</summary>
    public static async Task<(ClientCredentialsToken? Token, HttpStatusCode Status)> RequestAsync(
        HttpClient client, Uri endpoint, string clientId, string clientSecret, string scope, TimeProvider time, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = scope,
        });
        using var response = await client.PostAsync(endpoint, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new HttpRequestException("The token endpoint answered with no body.");
        if (string.IsNullOrEmpty(body.AccessToken) || body.ExpiresIn <= 0)
        {
            throw new HttpRequestException("The token endpoint's answer holds no access token.");
        }

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 2));
        return (new ClientCredentialsToken(body.AccessToken, body.ExpiresIn, time.GetUtcNow() + lifetime - margin), response.StatusCode);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
