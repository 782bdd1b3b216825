using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CoachBot.Coaching.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Slack.WebApi;

/// <summary>
/// Downloads a Slack-hosted recording (<c>url_private_download</c>) with the bot token. Only allowlisted hosts over
/// https (http only on loopback, for tests), no redirects (they would leave the allowlist or drop the token), and
/// no more than the size cap.
/// </summary>
internal sealed class SlackAudioFetcher(IHttpClientFactory clients, IOptions<SlackOptions> options, IOptions<AudioOptions> audio, ILogger<SlackAudioFetcher> logger) : IAudioFetcher
{
    public const string HttpClientName = "slack-files";
    private const string Resend = "Please record the voice clip again in Slack, or type your answer.";

    public string Channel => SlackChannel.Name;

    public async Task FetchAsync(Uri url, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = options.Value;
        if (!Allowed(url, settings))
        {
            Log.DownloadRefused(logger, url.Host, "host not allowed");
            throw new AudioRejectedException("download_refused", "I can only download recordings that Slack itself hosts. " + Resend, $"host {url.Host} is not allowed");
        }

        if (string.IsNullOrWhiteSpace(settings.BotToken))
        {
            Log.DownloadRefused(logger, url.Host, "no bot token");
            throw new AudioRejectedException("download_failed", "I can't download recordings here yet (the bot has no Slack token). Please type your answer.", "Slack:BotToken is not set");
        }

        var cap = Math.Min(settings.MaxFileBytes, audio.Value.MaxSizeBytes);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            Log.DownloadRefused(logger, url.Host, ex.Message);
            throw new AudioRejectedException("download_failed", "I couldn't reach Slack to download your recording. " + Resend, ex.Message);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Log.DownloadRefused(logger, url.Host, $"HTTP {(int)response.StatusCode}");
                throw new AudioRejectedException("download_failed", "I couldn't download your recording from Slack. " + Resend, $"HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentType?.MediaType is "text/html")
            {
                // Slack answers a download without a valid token or the files:read scope with its sign-in page.
                Log.DownloadRefused(logger, url.Host, "an HTML page instead of the file (token or files:read scope)");
                throw new AudioRejectedException("download_failed", "Slack didn't let me download your recording. " + Resend, "HTML instead of the file");
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > cap)
            {
                throw TooLarge(cap, $"{declared} bytes declared");
            }

            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81_920, useAsync: true);
            if (await CappedCopy.CopyAsync(source, target, cap, cancellationToken) is not { } total)
            {
                throw TooLarge(cap, $"more than {cap} bytes sent");
            }

            if (total == 0)
            {
                throw new AudioRejectedException("empty_file", "The recording I downloaded was empty. " + Resend, "0 bytes");
            }

            Log.Downloaded(logger, url.Host, total);
        }
    }

    /// <summary>Whether a file URL is on an allowed host: a listed name (any port) or a listed <c>host:port</c>.</summary>
    internal static bool Allowed(Uri url, SlackOptions settings)
    {
        if (!url.IsAbsoluteUri
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        var hosts = settings.FileHosts;
        var host = url.HostNameType == UriHostNameType.IPv6 ? "[" + url.IdnHost.Trim('[', ']') + "]" : url.IdnHost;
        return hosts.Contains(host) || hosts.Contains(host.Trim('[', ']'))
            || hosts.Contains(host + ":" + url.Port.ToString(CultureInfo.InvariantCulture));
    }

    private static AudioRejectedException TooLarge(long cap, string detail) =>
        new("too_large", $"That recording is larger than {cap / (1024 * 1024.0):0.#} MB. Please send a shorter clip (a few minutes at most), or type your answer.", detail);
}
