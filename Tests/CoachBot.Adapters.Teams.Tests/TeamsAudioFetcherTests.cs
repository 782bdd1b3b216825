using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Coaching.Audio;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Adapters.Teams.Tests;

public sealed class TeamsAudioFetcherTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-teams-");
    private FakeBotFramework _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        var settings = TeamsServices.For(_fake);
        settings["Audio:MaxSizeBytes"] = "4096";
        _services = TeamsServices.Build(settings);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private IAudioFetcher Fetcher => _services.GetServices<IAudioFetcher>().Single(f => f.Channel == "teams");

    private string Target => Path.Combine(_folder.FullName, "recording");

    [Fact]
    public async Task Fetch_AllowedHost_DownloadsWithoutAnyCredential()
    {
        _fake.Files["answer.m4a"] = [1, 2, 3, 4, 5];

        await Fetcher.FetchAsync(new Uri(_fake.ServiceUrl + "files/answer.m4a"), Target, default);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await File.ReadAllBytesAsync(Target));
        var call = Assert.Single(_fake.Calls);
        Assert.Null(call.Authorization);
        Assert.Equal(0, _fake.TokenRequests);
    }

    [Fact]
    public async Task Fetch_HostNotAllowed_RefusesWithoutARequest()
    {
        var url = new Uri($"http://localhost:{_fake.BaseAddress.Port}/files/answer.m4a");

        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Fetcher.FetchAsync(url, Target, default));

        Assert.Equal("download_refused", error.Code);
        Assert.Empty(_fake.Calls);
        Assert.False(File.Exists(Target));
    }

    [Theory]
    [InlineData("https://contoso-my.sharepoint.com/personal/x/answer.m4a", true)]
    [InlineData("https://contoso.sharepoint.com.evil.example/answer.m4a", false)]
    [InlineData("http://contoso-my.sharepoint.com/answer.m4a", false)]
    public void DefaultHosts_SharePointOverHttpsOnly(string url, bool allowed)
    {
        var hosts = new CoachBot.Adapters.Teams.Connector.HostList(TeamsOptions.DefaultDownloadHosts);

        Assert.Equal(allowed, hosts.Allows(new Uri(url)));
    }

    [Fact]
    public async Task Fetch_LargerThanTheCap_Refuses()
    {
        _fake.Files["long.m4a"] = new byte[5000];

        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Fetcher.FetchAsync(new Uri(_fake.ServiceUrl + "files/long.m4a"), Target, default));

        Assert.Equal("too_large", error.Code);
    }

    [Fact]
    public async Task Fetch_MissingFile_RefusesWithAMessageForTheUser()
    {
        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Fetcher.FetchAsync(new Uri(_fake.ServiceUrl + "files/gone.m4a"), Target, default));

        Assert.Equal("download_failed", error.Code);
        Assert.Contains("type your answer", error.Message, StringComparison.Ordinal);
    }
}
