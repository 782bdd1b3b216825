namespace CoachBot.Coaching.Audio;

/// <summary>
/// Downloads a recording that a platform hosts (a Slack file URL, a Teams download URL) to a local file, with the
/// platform's credentials, host allowlist and size cap. Each adapter registers one for its channel.
/// </summary>
public interface IAudioFetcher
{
    /// <summary>The channel whose URLs this fetcher downloads.</summary>
    string Channel { get; }

    /// <summary>Downloads <paramref name="url"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="AudioRejectedException">The URL is not allowed, too large, or the download failed.</exception>
    Task FetchAsync(Uri url, string destination, CancellationToken cancellationToken);
}
