using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoachBot.Adapters.Slack.Security;

/// <summary>Why a request was refused.</summary>
internal enum SignatureResult
{
    Valid,
    NoSecret,
    Missing,
    Duplicated,
    BadTimestamp,
    Expired,
    Mismatch,
}

/// <summary>
/// Slack's request signing: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the signing
/// secret. Fails closed: no secret, no headers, a timestamp more than five minutes away, or any mismatch is refused.
/// </summary>
internal static class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static SignatureResult Verify(string? secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return SignatureResult.NoSecret;
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SignatureResult.Missing;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return SignatureResult.BadTimestamp;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window)
        {
            return SignatureResult.Expired;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        var given = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureResult.Valid : SignatureResult.Mismatch;
    }

    /// <summary>The signature Slack would send for this body (also used by tests to sign requests).</summary>
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return "v0=" + Convert.ToHexStringLower(hash);
    }
}
