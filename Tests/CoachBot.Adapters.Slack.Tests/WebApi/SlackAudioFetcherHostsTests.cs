using CoachBot.Adapters.Slack.WebApi;

namespace CoachBot.Adapters.Slack.Tests.WebApi;

public sealed class SlackAudioFetcherHostsTests
{
    [Theory]
    [InlineData("files.example.com:8443", "https://files.example.com:8443/clip.mp4", true)]
    [InlineData("files.example.com:8443", "https://files.example.com/clip.mp4", false)]
    [InlineData("files.example.com:8443", "https://files.example.com:9443/clip.mp4", false)]
    [InlineData("files.example.com", "https://files.example.com:8443/clip.mp4", true)]
    [InlineData("127.0.0.1:5055", "http://127.0.0.1:5055/files/clip.mp4", true)]
    [InlineData("127.0.0.1:5055", "http://127.0.0.1:5056/files/clip.mp4", false)]
    [InlineData("[::1]:5055", "http://[::1]:5055/files/clip.mp4", true)]
    [InlineData("files.example.com:8443", "https://evil.example.com:8443/clip.mp4", false)]
    public void Allowed_AdditionalFileHostWithAPort_MatchesThatHostAndPortOnly(string entry, string url, bool allowed)
    {
        var options = new SlackOptions();
        options.AdditionalFileHosts.Add(entry);

        Assert.Equal(allowed, SlackAudioFetcher.Allowed(new Uri(url), options));
    }

    [Fact]
    public void Allowed_SlackFilesHost_IsAlwaysAllowed() =>
        Assert.True(SlackAudioFetcher.Allowed(new Uri("https://files.slack.com/files-pri/T1-F1/clip.mp4"), new SlackOptions()));
}
