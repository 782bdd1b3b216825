using System.ComponentModel.DataAnnotations;

namespace CoachBot.Adapters.Slack;

/// <summary>When the bot connects to Slack over Socket Mode instead of receiving HTTP requests.</summary>
public enum SlackSocketMode
{
    /// <summary>Socket Mode when an app-level token is configured, HTTP otherwise.</summary>
    Auto,

    /// <summary>Always Socket Mode (an app-level token is required).</summary>
    On,

    /// <summary>Never Socket Mode; Slack calls the HTTP endpoints.</summary>
    Off,
}

/// <summary>
/// Slack settings. Everything is optional so the host starts without Slack: with no signing secret every Slack
/// HTTP request is refused (401), and with no app token Socket Mode stays off.
/// </summary>
public sealed class SlackOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Slack";

    /// <summary>The host Slack serves file downloads from.</summary>
    public const string DefaultFileHost = "files.slack.com";

    /// <summary>The app's signing secret (Basic Information → App Credentials); requests are verified with it.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) for the Web API and file downloads.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>) for Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>The Web API's base address.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// Hosts besides <c>files.slack.com</c> that recordings may be downloaded from: a name (any port) or <c>host:port</c>
    /// (that port only; IPv6 as <c>[::1]:8080</c>).
    /// </summary>
    public IList<string> AdditionalFileHosts { get; } = [];

    /// <summary>Largest file downloaded, in bytes (the smaller of this and <c>Audio:MaxSizeBytes</c> applies).</summary>
    [Range(1_024, 1_073_741_824)]
    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Socket Mode: auto (on when <see cref="AppToken"/> is set), on or off.</summary>
    public SlackSocketMode SocketMode { get; set; } = SlackSocketMode.Auto;

    /// <summary>The longest wait between Socket Mode reconnection attempts, in seconds.</summary>
    [Range(1, 600)]
    public int MaxReconnectDelaySeconds { get; set; } = 30;

    /// <summary>How often a rate-limited (429) Web API call is retried after its <c>Retry-After</c>.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Time limit of one Web API call, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Whether Socket Mode runs with these settings.</summary>
    public bool UsesSocketMode => SocketMode == SlackSocketMode.On || (SocketMode == SlackSocketMode.Auto && !string.IsNullOrWhiteSpace(AppToken));

    /// <summary>Every host recordings may come from.</summary>
    public IReadOnlySet<string> FileHosts =>
        new HashSet<string>(AdditionalFileHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).Append(DefaultFileHost), StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SocketMode == SlackSocketMode.On && string.IsNullOrWhiteSpace(AppToken))
        {
            yield return new ValidationResult("Slack:SocketMode is On but Slack:AppToken (xapp-…) is not set.", [nameof(AppToken)]);
        }

        if (!ApiBaseUrl.IsAbsoluteUri || ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult("Slack:ApiBaseUrl must be an absolute http(s) address.", [nameof(ApiBaseUrl)]);
        }
    }
}
