using System.IdentityModel.Tokens.Jwt;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Adapters.Teams.Auth;

/// <summary>The outcome of checking an inbound request: allowed, or the status code and reason to refuse it with.</summary>
internal sealed record AuthResult(bool Allowed, int StatusCode, string Reason)
{
    public static readonly AuthResult Ok = new(true, StatusCodes.Status200OK, string.Empty);

    public static AuthResult Unauthorized(string reason) => new(false, StatusCodes.Status401Unauthorized, reason);

    public static AuthResult Forbidden(string reason) => new(false, StatusCodes.Status403Forbidden, reason);
}

/// <summary>
/// Checks that a request to <c>/api/messages</c> comes from the Bot Framework for this bot, failing closed: RS256
/// only; a known signing key endorsed for the activity's channel; the configured issuer; audience = the app id;
/// lifetime with 5 minutes of skew; the token's <c>serviceUrl</c> claim equal to the activity's. Without an app id
/// (local development mode) only loopback requests pass and no token is checked.
/// </summary>
internal sealed class InboundAuthenticator(SigningKeys keys, IOptions<TeamsOptions> options, TimeProvider time, ILogger<InboundAuthenticator> logger)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public async Task<AuthResult> AuthenticateAsync(string? authorization, IPAddress? remoteAddress, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var result = await CheckAsync(authorization, remoteAddress, channelId, serviceUrl, cancellationToken);
        if (!result.Allowed)
        {
            Log.RequestRefused(logger, result.StatusCode, result.Reason);
        }

        return result;
    }

    private async Task<AuthResult> CheckAsync(string? authorization, IPAddress? remoteAddress, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IsDevelopmentMode)
        {
            return remoteAddress is not null && IPAddress.IsLoopback(remoteAddress)
                ? AuthResult.Ok
                : AuthResult.Unauthorized("local development mode (no Teams:AppId) accepts requests from this machine only");
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthResult.Unauthorized("no bearer token");
        }

        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(serviceUrl))
        {
            return AuthResult.Unauthorized("the activity names no channel or service URL");
        }

        var handler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        var raw = authorization["Bearer ".Length..].Trim();
        JwtSecurityToken unverified;
        try
        {
            unverified = handler.ReadJwtToken(raw);
        }
        catch (ArgumentException)
        {
            return AuthResult.Unauthorized("the token is not a JWT");
        }

        // Checked before any key is looked up: "none" and HMAC tokens never reach signature validation.
        if (unverified.Header.Alg != SecurityAlgorithms.RsaSha256)
        {
            return AuthResult.Unauthorized($"algorithm {unverified.Header.Alg} is not allowed");
        }

        if (string.IsNullOrEmpty(unverified.Header.Kid))
        {
            return AuthResult.Unauthorized("the token names no signing key");
        }

        var key = await keys.FindAsync(unverified.Header.Kid, cancellationToken);
        if (key is null)
        {
            return AuthResult.Unauthorized("unknown signing key");
        }

        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKey = key.Key,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidateIssuer = true,
            ValidIssuers = settings.ResolvedIssuers,
            ValidateAudience = true,
            ValidAudience = settings.AppId,
            // The audience is the app id exactly; IdentityModel would otherwise also take "<app id>/".
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = ValidateLifetime,
            TryAllIssuerSigningKeys = false,
        };

        JwtSecurityToken token;
        try
        {
            handler.ValidateToken(raw, parameters, out var validated);
            token = (JwtSecurityToken)validated;
        }
        catch (Exception ex) when (ex is SecurityTokenException or ArgumentException)
        {
            return AuthResult.Unauthorized(ex.GetType().Name);
        }

        if (!key.Endorsements.Contains(channelId))
        {
            return AuthResult.Forbidden($"the signing key is not endorsed for channel {channelId}");
        }

        var claimed = token.Claims.FirstOrDefault(c => c.Type == "serviceurl" || c.Type == "serviceUrl")?.Value;
        if (claimed is null || !SameServiceUrl(claimed, serviceUrl))
        {
            return AuthResult.Forbidden("the token's serviceUrl does not match the activity's");
        }

        return AuthResult.Ok;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        // The handler's own check reads the system clock; this one reads the injected TimeProvider.
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp.ToUniversalTime() > now - ClockSkew && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now + ClockSkew);
    }

    /// <summary>
    /// The token's <c>serviceUrl</c> claim must name the activity's service URL. Both are compared after RFC 3986
    /// syntax-based normalisation (scheme and host are case-insensitive, a default port may be left out); the path,
    /// its case and its trailing slash are compared exactly, as the Bot Framework SDKs compare the strings.
    /// </summary>
    internal static bool SameServiceUrl(string claimed, string activity)
    {
        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var a) || !Uri.TryCreate(activity, UriKind.Absolute, out var b))
        {
            return false;
        }

        return string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port
            && string.IsNullOrEmpty(a.UserInfo) && string.IsNullOrEmpty(b.UserInfo)
            && string.Equals(a.AbsolutePath, b.AbsolutePath, StringComparison.Ordinal)
            && string.Equals(a.Query, b.Query, StringComparison.Ordinal)
            && string.IsNullOrEmpty(a.Fragment) && string.IsNullOrEmpty(b.Fragment);
    }
}
