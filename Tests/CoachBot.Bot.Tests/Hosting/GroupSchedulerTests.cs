using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class GroupSchedulerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Db => _folder.File("groups.db");

    [Fact]
    public async Task DeadlinePassedWhileTheBotWasDown_RoundIsWrappedOnRestart_Once()
    {
        long roundId;
        await using (var before = Factory(new RecordingReplier()))
        {
            var rounds = before.Services.GetRequiredService<IGroupRounds>();
            var round = await rounds.StartAsync(
                new NewGroupRound("test", "T1", "C-TEAM", "U-FAC", "general", 1, DateTimeOffset.UtcNow.AddSeconds(2), new Dictionary<string, string> { ["route"] = "r1" }),
                default);
            await rounds.AttachThreadAsync(round.Id, "thread-1", null, default);
            roundId = round.Id;
        }

        // The bot is down while the deadline passes.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var replier = new RecordingReplier();
        await using var after = Factory(replier);
        _ = after.Services;
        await replier.WaitForAsync();

        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Equal(TurnReplyKind.GroupSummary, reply.Kind);
        Assert.Equal(roundId, reply.Group!.RoundId);
        Assert.Equal("thread-1", turn.ThreadId);
        Assert.Equal("r1", turn.Reply["route"]);
        Assert.True((await after.Services.GetRequiredService<IGroupRounds>().GetAsync(roundId, default))!.Wrapped);

        // Later checks find nothing due: one summary, not one per check.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Single(replier.Replies);
    }

    [Fact]
    public async Task ScheduleDue_StartsARoundInThatChannel_AndMovesToTheNextWorkingDay()
    {
        var replier = new RecordingReplier();
        await using var factory = Factory(replier);
        var rounds = factory.Services.GetRequiredService<IGroupRounds>();
        var due = DateTimeOffset.UtcNow.AddSeconds(-5);
        await rounds.SetScheduleAsync(new GroupSchedule
        {
            Channel = "test", ConversationId = "C-DAILY", TenantId = "T1", CreatedBy = "U-FAC", LocalTime = new TimeOnly(9, 30),
            TimeZone = "UTC", Role = "designer", Routing = new Dictionary<string, string>(), NextRunAt = due,
        }, default);

        await replier.WaitForAsync();

        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Equal(TurnReplyKind.GroupRound, reply.Kind);
        Assert.Equal("C-DAILY", turn.ConversationId);
        Assert.Equal("designer", reply.Group!.Role);
        var schedule = await rounds.GetScheduleAsync("test", "C-DAILY", default);
        Assert.True(schedule!.NextRunAt > due);
        Assert.NotEqual(DayOfWeek.Saturday, schedule.NextRunAt.DayOfWeek);
        Assert.NotEqual(DayOfWeek.Sunday, schedule.NextRunAt.DayOfWeek);
    }

    private CoachBotFactory Factory(RecordingReplier replier) =>
        new CoachBotFactory(Db).WithReplier(replier).WithSetting("Groups:CheckSeconds", "1");
}
