using System.Net;

namespace CoachBot.Adapters.Teams.Connector;

/// <summary>
/// A list of allowed hosts: exact names, <c>*.suffix</c> wildcards or <c>host:port</c>. https is required, except
/// for loopback hosts that are listed explicitly (a local emulator, the tests' fake service).
/// </summary>
internal sealed class HostList(IEnumerable<string> entries)
{
    private readonly string[] _entries = [.. entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().ToLowerInvariant())];

    public bool Allows(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        var host = url.IdnHost.ToLowerInvariant();
        var loopback = host == "localhost" || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && loopback))
        {
            return false;
        }

        foreach (var entry in _entries)
        {
            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                // A wildcard never matches loopback, so plain http stays limited to hosts named one by one.
                if (!loopback && host.EndsWith(entry[1..], StringComparison.Ordinal) && host.Length > entry.Length - 1)
                {
                    return true;
                }
            }
            else if (entry == host || entry == $"{host}:{url.Port}")
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The service URLs the bot's token may be sent to: Bot Framework's hosts plus configured ones.</summary>
internal sealed class TrustedServiceUrls(IEnumerable<string> configured, bool developmentMode)
{
    /// <summary>Bot Framework connector hosts: public cloud, and the US government clouds.</summary>
    public static readonly string[] BotFrameworkHosts =
    [
        "*.botframework.com", "smba.trafficmanager.net", "*.botframework.us", "*.botframework.azure.us",
        "smba.infra.gcc.teams.microsoft.com", "smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us",
    ];

    private readonly HostList _hosts = new([.. BotFrameworkHosts, .. configured]);

    public bool IsTrusted(Uri url) =>
        _hosts.Allows(url) || (developmentMode && url.IsLoopback && url.Scheme is "http" or "https");
}
