using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Recordings;

/// <summary>Issues and checks the short-lived signed tokens that carry a <see cref="RecordingGrant"/>.</summary>
public interface IRecordingGrants
{
    /// <summary>Signs <paramref name="grant"/> with a fresh nonce and expiry; returns the token to put in the recorder page's URL.</summary>
    string Issue(RecordingGrant grant);

    /// <summary>Checks a token's signature and expiry. Returns the grant, or null with the reason in <paramref name="reason"/>.</summary>
    RecordingGrant? Validate(string? token, out string reason);
}

internal sealed class RecordingGrants : IRecordingGrants
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public RecordingGrants(IOptions<RecordingOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _time = time;
        _lifetime = TimeSpan.FromSeconds(settings.GrantLifetimeSeconds);
        if (string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            _key = RandomNumberGenerator.GetBytes(32);
            return;
        }

        try
        {
            _key = Convert.FromBase64String(settings.SigningKey);
        }
        catch (FormatException)
        {
            throw new OptionsValidationException(RecordingOptions.SectionName, typeof(RecordingOptions), ["Recordings:SigningKey must be base64 (for example the output of `openssl rand -base64 32`)."]);
        }

        if (_key.Length < 32)
        {
            throw new OptionsValidationException(RecordingOptions.SectionName, typeof(RecordingOptions), ["Recordings:SigningKey must hold at least 32 bytes."]);
        }
    }

    public string Issue(RecordingGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var signed = grant with
        {
            Nonce = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ExpiresAt = _time.GetUtcNow().Add(_lifetime),
        };
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(signed, Json));
        return payload + "." + Base64Url(Sign(payload));
    }

    public RecordingGrant? Validate(string? token, out string reason)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || dot == token.Length - 1)
        {
            reason = "The recording link is missing its token or the token is malformed.";
            return null;
        }

        var payload = token[..dot];
        byte[] signature;
        byte[] body;
        try
        {
            signature = FromBase64Url(token[(dot + 1)..]);
            body = FromBase64Url(payload);
        }
        catch (FormatException)
        {
            reason = "The recording token is malformed.";
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload)))
        {
            reason = "The recording token's signature is not valid.";
            return null;
        }

        RecordingGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<RecordingGrant>(body, Json);
        }
        catch (JsonException)
        {
            grant = null;
        }

        if (grant is null || grant.Nonce.Length == 0)
        {
            reason = "The recording token is malformed.";
            return null;
        }

        if (_time.GetUtcNow() >= grant.ExpiresAt)
        {
            reason = "The recording link has expired. Open the recorder again from the chat.";
            return null;
        }

        reason = string.Empty;
        return grant;
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException("bad base64url length") };
        return Convert.FromBase64String(padded);
    }
}
