using System.Net;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Coaching.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Downloads a file a user sent in personal chat from its <c>downloadUrl</c>. That URL is pre-authenticated, so no
/// credential is ever attached (a separate client with no token handler, and no redirects that could carry the
/// request elsewhere); only allowlisted hosts are contacted and the download stops at <see cref="AudioOptions.MaxSizeBytes"/>.
/// </summary>
internal sealed class TeamsAudioFetcher(IHttpClientFactory http, IOptions<TeamsOptions> options, IOptions<AudioOptions> audio, ILogger<TeamsAudioFetcher> logger) : IAudioFetcher
{
    public const string HttpClientName = "teams-download";
    private const string Retry = "Please send the recording again, or type your answer.";

    public string Channel => TeamsChannel.Name;

    public async Task FetchAsync(Uri url, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = options.Value;
        var hosts = new HostList(settings.DownloadHosts.Count > 0 ? settings.DownloadHosts : TeamsOptions.DefaultDownloadHosts);
        if (!hosts.Allows(url))
        {
            Log.DownloadRefused(logger, url.Host);
            throw new AudioRejectedException("download_refused", "I can only download files stored in Teams (OneDrive or SharePoint). " + Retry, $"host {url.Host} is not in Teams:DownloadHosts");
        }

        var limit = audio.Value.MaxSizeBytes;
        var tooLarge = $"That recording is larger than {limit / (1024 * 1024)} MB. Please send a shorter one (a couple of minutes is plenty).";
        using var response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new AudioRejectedException("download_failed", "I could not download that file from Teams. " + Retry, $"HTTP {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > limit)
        {
            throw new AudioRejectedException("too_large", tooLarge, $"Content-Length {response.Content.Headers.ContentLength}");
        }

        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    // The declared length lied or was absent: stop at the cap instead of filling the disk.
                    throw new AudioRejectedException("too_large", tooLarge, $"more than {limit} bytes");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
    }
}

/// <summary>The channel name of Teams turns.</summary>
public static class TeamsChannel
{
    public const string Name = "teams";
}
