using CoachBot.Coaching.Tests.Support;
using CoachBot.Adapters.Slack.Groups;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Adapters.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Adapters.Slack.Tests.Groups;

/// <summary>The admin check's time budget, driven by a fake clock against a fake Slack that holds users.info.</summary>
public sealed class SlackAdminsTests : IAsyncLifetime
{
    private readonly FakeClock _clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeSlack _slack = null!;
    private IHost _host = null!;
    private SlackAdmins _admins = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _host = SlackServices.Build(new RecordingIntake(), SlackServices.Against(_slack));
        _admins = new SlackAdmins(
            _host.Services.GetRequiredService<SlackWebApi>(), _clock, _host.Services.GetRequiredService<IHostApplicationLifetime>(), NullLogger<SlackAdmins>.Instance);
        _slack.Admins.Add("UADM0001");
        _slack.Admins.Add("UADM0002");
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _host.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task IsAdmin_SlackSlowerThanTheBudget_RefusesThenTheFinishedLookupAnswersTheNextCommand()
    {
        _slack.Hold("users.info", _release.Task);
        var received = _clock.GetUtcNow();

        var first = _admins.IsAdminAsync("T1", "UADM0001", received, default);
        await _clock.WaitForTimerDueByAsync(received + SlackAdmins.Budget);
        _clock.Advance(SlackAdmins.Budget);

        Assert.False(await first);
        _release.SetResult();
        Assert.True(await _admins.IsAdminAsync("T1", "UADM0001", _clock.GetUtcNow(), default));
        Assert.Single(_slack.CallsTo("users.info"));
    }

    [Fact]
    public async Task IsAdmin_Budget_CountsFromWhenTheRequestArrived()
    {
        _slack.Hold("users.info", _release.Task);
        var now = _clock.GetUtcNow();
        var arrivedEarlier = now - SlackAdmins.Budget + TimeSpan.FromMilliseconds(500);

        var late = _admins.IsAdminAsync("T1", "UADM0001", arrivedEarlier, default);
        var fresh = _admins.IsAdminAsync("T1", "UADM0002", now, default);
        await _clock.WaitForTimerDueByAsync(now + TimeSpan.FromMilliseconds(500));
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        Assert.False(await late);
        Assert.False(fresh.IsCompleted);
        _release.SetResult();
        Assert.True(await fresh);
    }

    [Fact]
    public async Task IsAdmin_RememberedAnswerNearExpiry_AnsweredAtOnceAndRefreshedInTheBackground()
    {
        Assert.True(await _admins.IsAdminAsync("T1", "UADM0001", _clock.GetUtcNow(), default));
        _clock.Advance(SlackAdmins.Remembered - SlackAdmins.RefreshBefore + TimeSpan.FromSeconds(1));
        _slack.Hold("users.info", _release.Task);

        Assert.True(await _admins.IsAdminAsync("T1", "UADM0001", _clock.GetUtcNow(), default));
        await _slack.WaitForAsync("users.info", 2);
    }
}
