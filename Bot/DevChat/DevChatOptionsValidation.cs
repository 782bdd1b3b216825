using System.Globalization;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.DevChat;

/// <summary>Refuses a <c>DevChat:Token</c> with less than 128 bits of estimated entropy, saying how to make a good one.</summary>
internal sealed class DevChatOptionsValidation : IValidateOptions<DevChatOptions>
{
    public ValidateOptionsResult Validate(string? name, DevChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Token))
        {
            return ValidateOptionsResult.Success;
        }

        var bits = TokenStrength.EstimateBits(options.Token);
        return bits >= TokenStrength.RequiredBits
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"DevChat:Token is too weak to guard the dev chat: about {Math.Floor(bits)} bits of entropy, and {TokenStrength.RequiredBits} are needed. " +
                $"Generate one with `{TokenStrength.HowToGenerate}` and set it as DevChat__Token (environment) or with user-secrets."));
    }
}
