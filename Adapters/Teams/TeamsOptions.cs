using System.ComponentModel.DataAnnotations;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Settings of the Microsoft Teams adapter (section <c>Teams</c>). With no <see cref="AppId"/> the adapter runs in
/// local development mode: only requests from this machine are accepted and no outbound token is requested.
/// </summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The bot's Microsoft App ID (the Azure Bot registration). Empty means local development mode.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of that app registration (environment variable <c>Teams__AppPassword</c> or user-secrets).</summary>
    public string? AppPassword { get; set; }

    /// <summary>
    /// The Microsoft Entra tenant of a single-tenant bot. When set, outbound tokens come from that tenant and tokens
    /// issued by the tenant's Entra authority are accepted besides Bot Framework's.
    /// </summary>
    public string? TenantId { get; set; }

    /// <summary>Where the signing keys are published (an OpenID configuration document naming the JWKS).</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The token issuers accepted on inbound requests.</summary>
    public IList<string> ValidIssuers { get; } = ["https://api.botframework.com"];

    /// <summary>
    /// The client-credentials token endpoint. The default uses the <c>botframework.com</c> tenant (multi-tenant
    /// bots); with <see cref="TenantId"/> and the default endpoint, that tenant's endpoint is used instead.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>The scope of outbound tokens.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TokenScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>
    /// Service URL hosts that may receive the bot's token, besides Bot Framework's own. An entry is a host name
    /// (<c>smba.example.net</c>), a wildcard (<c>*.example.net</c>) or <c>host:port</c>. Plain http is allowed only for loopback hosts.
    /// </summary>
    public IList<string> TrustedServiceUrlHosts { get; } = [];

    /// <summary>Hosts a Teams file <c>downloadUrl</c> may point at (wildcards as above). Defaults to SharePoint and OneDrive.</summary>
    public IList<string> DownloadHosts { get; } = [];

    /// <summary>
    /// The bot's public HTTPS address (for example <c>https://coachbot.example.com</c>), used for the recorder
    /// dialog. Without it, "Record my answer" is not offered.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Microsoft Entra object ids (<c>from.aadObjectId</c>) of the people who administer CoachBot in Teams: they may run
    /// any group round's facilitator commands and change channel settings (Teams does not say who owns a team in a message).
    /// </summary>
    public IList<string> AdminUserIds { get; } = [];

    /// <summary>How long feedback that could not be sent privately (the member had not installed CoachBot) is kept for them (days).</summary>
    [Range(1, 90)]
    public int PendingFeedbackDays { get; set; } = 14;

    /// <summary>How often the signing keys are fetched again at most after this long (hours; at least daily).</summary>
    [Range(1, 24)]
    public int KeyRefreshHours { get; set; } = 24;

    /// <summary>The shortest time between two key fetches triggered by an unknown key id (seconds).</summary>
    [Range(1, 3_600)]
    public int UnknownKeyRefreshSeconds { get; set; } = 300;

    /// <summary>Retries of a connector call after 429 or 5xx.</summary>
    [Range(0, 10)]
    public int ConnectorRetries { get; set; } = 3;

    /// <summary>The first retry delay (doubled per attempt, with jitter); a <c>Retry-After</c> header wins.</summary>
    [Range(0, 60_000)]
    public int ConnectorRetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>How long a card button (<c>Action.Execute</c>) may take before Teams is answered with a "still working" card.</summary>
    [Range(1, 14)]
    public int CardActionTimeoutSeconds { get; set; } = 8;

    /// <summary>
    /// Whether a post cut off by a crash (its slot begun, no id stored) is looked up in Microsoft Graph before it is
    /// posted again. Needs app credentials and, per conversation, the permission Graph asks for there (README).
    /// </summary>
    public bool GraphLookup { get; set; } = true;

    /// <summary>Microsoft Graph's base address (with the API version).</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The Microsoft Entra authority Graph tokens come from (<c>{authority}/{tenant}/oauth2/v2.0/token</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string GraphAuthority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>How long one Graph look-up may take in all (token, team details, every page) before the reply is posted again (seconds).</summary>
    [Range(1, 120)]
    public int GraphLookupSeconds { get; set; } = 10;

    /// <summary>The most pages (of 50 messages) one look-up reads.</summary>
    [Range(1, 100)]
    public int GraphLookupMaxPages { get; set; } = 10;

    internal const string DefaultTokenEndpoint = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    internal static readonly string[] DefaultDownloadHosts = ["*.sharepoint.com", "*.sharepoint.us", "*.sharepoint-df.com", "*.onedrive.com", "*.1drv.com"];

    /// <summary>True when no app id is configured: loopback requests only, no outbound token.</summary>
    internal bool IsDevelopmentMode => string.IsNullOrWhiteSpace(AppId);

    internal string ResolvedTokenEndpoint =>
        !string.IsNullOrWhiteSpace(TenantId) && TokenEndpoint == DefaultTokenEndpoint
            ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token"
            : TokenEndpoint;

    internal IReadOnlyList<string> ResolvedIssuers =>
        string.IsNullOrWhiteSpace(TenantId)
            ? [.. ValidIssuers]
            : [.. ValidIssuers, $"https://sts.windows.net/{TenantId}/", $"https://login.microsoftonline.com/{TenantId}/v2.0"];
}
