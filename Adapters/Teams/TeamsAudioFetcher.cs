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
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AudioRejectedException("download_failed", "I could not reach Teams to download that file. " + Retry, ex.Message);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new AudioRejectedException("download_failed", "I could not download that file from Teams. " + Retry, $"HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > limit)
            {
                throw new AudioRejectedException("too_large", tooLarge, $"Content-Length {response.Content.Headers.ContentLength}");
            }

            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);

            // The declared length can lie or be absent: the count stops at the cap instead of filling the disk.
            if (await CappedCopy.CopyAsync(source, target, limit, cancellationToken) is not { } total)
            {
                throw new AudioRejectedException("too_large", tooLarge, $"more than {limit} bytes");
            }

            if (total == 0)
            {
                throw new AudioRejectedException("empty_file", "That file is empty. " + Retry, "0 bytes");
            }
        }
    }
}

/// <summary>The channel name of Teams turns.</summary>
public static class TeamsChannel
{
    public const string Name = "teams";
}
