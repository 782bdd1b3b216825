using CoachBot.Coaching.Recordings;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// On PostgreSQL several instances serve one bot, and a recorder link signed by one instance is opened on whichever
/// instance the load balancer picks. Without <c>Recordings:SigningKey</c> each instance signs with its own random key,
/// so most links would be refused; start-up stops instead, saying how to set the key.
/// </summary>
internal sealed class SharedSigningKeyValidator : IValidateOptions<RecordingOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.SigningKey)
            ? ValidateOptionsResult.Fail(
                "Storage:Provider is Postgres (several instances serving one bot) but Recordings:SigningKey is empty: each instance would sign " +
                "recorder links with its own random key, so a link signed on one instance would be refused by the others. Give every instance " +
                "the same key, for example Recordings__SigningKey=\"$(openssl rand -base64 32)\" (base64, at least 32 bytes), kept as a secret.")
            : ValidateOptionsResult.Success;
    }
}
