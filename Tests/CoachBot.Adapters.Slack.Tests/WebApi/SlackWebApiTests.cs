using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Audio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Adapters.Slack.Tests.WebApi;

public sealed class SlackWebApiTests : IAsyncLifetime
{
    private FakeSlack _slack = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _host = SlackServices.Build(new RecordingIntake(), SlackServices.Against(_slack));
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _slack.DisposeAsync();
    }

    private SlackWebApi Api => _host.Services.GetRequiredService<SlackWebApi>();

    private IAudioFetcher Fetcher => _host.Services.GetServices<IAudioFetcher>().Single(f => f.Channel == "slack");

    [Fact]
    public async Task PostMessage_RateLimitedOnce_WaitsAndSucceeds()
    {
        var calls = 0;
        _slack.Override("chat.postMessage", _ => Interlocked.Increment(ref calls) == 1 ? (429, "{\"ok\":false,\"error\":\"ratelimited\"}", "1") : null);

        var posted = await Api.PostMessageAsync("D1", "1.1", "hello", null, default);

        Assert.Equal(2, _slack.CallsTo("chat.postMessage").Count);
        Assert.Equal("D1", posted.Channel);
        Assert.Equal("Bearer xoxb-test", _slack.CallsTo("chat.postMessage")[0].Authorization);
        Assert.Equal("1.1", _slack.CallsTo("chat.postMessage")[1].Body["thread_ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_SlackSaysOkFalse_ThrowsWithTheErrorCode()
    {
        _slack.Override("chat.update", _ => (200, "{\"ok\":false,\"error\":\"message_not_found\"}", null));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => Api.UpdateAsync("D1", "1.1", "x", null, default));

        Assert.Equal("chat.update", ex.Method);
        Assert.Equal("message_not_found", ex.Error);
        Assert.Single(_slack.CallsTo("chat.update"));
    }

    [Fact]
    public async Task UserInfo_KnownUser_ReturnsNameAndBotFlag()
    {
        var (isBot, name, isAdmin) = await Api.UserInfoAsync("U123", default);

        Assert.False(isBot);
        Assert.False(isAdmin);
        Assert.Equal("Ada", name);
        Assert.Equal("U123", _slack.CallsTo("users.info")[0].Body["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task UserInfo_WorkspaceAdmin_ReportsAdmin()
    {
        _slack.Admins.Add("UADM0001");

        var (_, _, isAdmin) = await Api.UserInfoAsync("UADM0001", default);

        Assert.True(isAdmin);
    }

    [Fact]
    public async Task ConversationMembers_SeveralPages_FollowsTheCursorToTheEnd()
    {
        _slack.ChannelMembers = ["U1", "U2", "U3", "U4", "U5"];

        var members = await Api.ConversationMembersAsync("C0001", default);

        Assert.Equal(["U1", "U2", "U3", "U4", "U5"], members);
        var calls = _slack.CallsTo("conversations.members");
        Assert.Equal(3, calls.Count);
        Assert.Null(calls[0].Body["cursor"]);
        Assert.Equal("2", calls[1].Body["cursor"]!.GetValue<string>());
        Assert.All(calls, c => Assert.Equal("C0001", c.Body["channel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fetch_AllowedHost_DownloadsWithTheBotToken()
    {
        var url = _slack.AddFile("clip.mp4", [1, 2, 3, 4]);
        var target = Path.GetTempFileName();
        try
        {
            await Fetcher.FetchAsync(url, target, default);
            Assert.Equal([1, 2, 3, 4], await File.ReadAllBytesAsync(target));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task Fetch_HostNotAllowed_IsRefusedWithoutARequest()
    {
        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Fetcher.FetchAsync(new Uri("https://evil.example.com/files/clip.mp4"), Path.GetTempFileName(), default));

        Assert.Equal("download_refused", ex.Code);
    }

    [Fact]
    public async Task Fetch_PlainHttpToAnotherHost_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => Fetcher.FetchAsync(new Uri("http://files.slack.com/files-pri/x"), Path.GetTempFileName(), default));

        Assert.Equal("download_refused", ex.Code);
    }

    [Fact]
    public async Task Fetch_LargerThanTheCap_IsRefused()
    {
        using var host = SlackServices.Build(new RecordingIntake(), SlackServices.Against(_slack, ("Slack:MaxFileBytes", "2048")));
        var url = _slack.AddFile("big.mp4", new byte[4096]);
        var fetcher = host.Services.GetServices<IAudioFetcher>().Single();

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => fetcher.FetchAsync(url, Path.GetTempFileName(), default));

        Assert.Equal("too_large", ex.Code);
    }

    [Fact]
    public async Task Fetch_SlackAnswersWithItsSignInPage_IsRefused()
    {
        using var host = SlackServices.Build(new RecordingIntake(), SlackServices.Against(_slack, ("Slack:BotToken", "xoxb-wrong")));
        var url = _slack.AddFile("clip.mp4", [1, 2, 3]);

        var ex = await Assert.ThrowsAsync<AudioRejectedException>(() => host.Services.GetServices<IAudioFetcher>().Single().FetchAsync(url, Path.GetTempFileName(), default));

        Assert.Equal("download_failed", ex.Code);
    }
}
