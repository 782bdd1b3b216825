using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Slack;

/// <summary>
/// Says at start-up how Slack reaches this host (Socket Mode, HTTP, or not at all), as the Teams adapter does, and
/// warns when a token is not of the kind its setting wants: the app-level and bot tokens are easily swapped, and Slack
/// then answers only <c>invalid_auth</c>. Token values are never logged, only their kind.
/// </summary>
internal sealed class SlackStartupCheck(IOptions<SlackOptions> options, ILogger<SlackStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.UsesSocketMode)
        {
            Log.SlackSocketModeOn(logger);
        }
        else if (!string.IsNullOrWhiteSpace(settings.SigningSecret))
        {
            Log.SlackHttpMode(logger);
        }
        else
        {
            Log.SlackNotConfigured(logger);
        }

        foreach (var problem in TokenProblems(settings))
        {
            Log.SlackTokenKind(logger, problem);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What is wrong with the kinds of the configured tokens (nothing when unset or of the right kind).</summary>
    internal static IEnumerable<string> TokenProblems(SlackOptions settings)
    {
        if (settings.AppToken is { Length: > 0 } app && !app.StartsWith("xapp-", StringComparison.Ordinal))
        {
            yield return "Slack:AppToken is not an app-level token (xapp-…, Basic Information → App-Level Tokens, scope connections:write)" +
                (app.StartsWith("xox", StringComparison.Ordinal) ? "; it looks like a bot or user token: are Slack:AppToken and Slack:BotToken swapped?" : ".");
        }

        if (settings.BotToken is { Length: > 0 } bot && !bot.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            yield return "Slack:BotToken is not a bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)" +
                (bot.StartsWith("xapp-", StringComparison.Ordinal) ? "; it is an app-level token: are Slack:AppToken and Slack:BotToken swapped?" : ".");
        }
    }
}
