using CoachBot.Bot.Hosting;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Two bot instances sharing one database (the test PostgreSQL, or one SQLite file), each with its own connections,
/// queue and scheduler, on one clock that moves only when the test moves it: deadline wraps and the question of the
/// day run on one instance, once, and another instance takes over when that one dies.
/// </summary>
public sealed class GroupSchedulerInstancesTests
{
    private static readonly Lazy<QuestionBank> Bank = new(() => QuestionBankLoader.LoadDirectories([Path.Combine(AppContext.BaseDirectory, "questions")]));
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)); // a Monday
    private readonly GroupOptions _options = new() { CheckSeconds = 30 };

    // The daily run due at 08:05 on the first day, as the scheduler keys it.
    private static readonly string ScheduleKey = "group-schedule:test:C-DAILY:" + new DateTimeOffset(2026, 11, 23, 8, 5, 0, TimeSpan.Zero).UtcTicks;

    [Theory, OnSqlite, OnPostgres]
    public async Task TwoInstances_DueRoundAndSchedule_RunOnceOnOneInstance_AndTheOtherTakesOverWhenItDies(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queueA = storage.Queue(_time, instance: "instance-a");
        using var queueB = storage.Queue(_time, instance: "instance-b");
        var roundsA = storage.GroupRounds(Bank.Value, _time);
        var roundsB = storage.GroupRounds(Bank.Value, _time);
        using var a = new GroupScheduler(roundsA, queueA, storage.SchedulerLease("instance-a", _time), Options.Create(_options), _time, NullLogger<GroupScheduler>.Instance);
        using var b = new GroupScheduler(roundsB, queueB, storage.SchedulerLease("instance-b", _time), Options.Create(_options), _time, NullLogger<GroupScheduler>.Instance);

        var first = await StartRoundAsync(roundsA, "C-ONE", _time.GetUtcNow().AddMinutes(10));
        await roundsB.SetScheduleAsync(new GroupSchedule
        {
            Channel = "test", ConversationId = "C-DAILY", TenantId = "T1", CreatedBy = "U-FAC", LocalTime = new TimeOnly(8, 5),
            TimeZone = "UTC", Role = "general", Routing = new Dictionary<string, string>(), NextRunAt = _time.GetUtcNow().AddMinutes(5),
        }, default);
        _time.Advance(TimeSpan.FromMinutes(11));

        // Both instances check at the same moment, several times over: one of them holds the lease and does the work.
        var checks = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            checks.AddRange(await Task.WhenAll(Task.Run(() => a.RunDueAsync(default)), Task.Run(() => b.RunDueAsync(default))));
        }

        Assert.Equal(3, checks.Count(c => c));
        var (leader, follower) = checks[0] ? (a, b) : (b, a);
        Assert.Equal([$"group-round:{first.Id}:deadline", ScheduleKey], await KeysAsync(storage));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 5, 0, TimeSpan.Zero), (await roundsA.GetScheduleAsync("test", "C-DAILY", default))!.NextRunAt);

        // The leader dies (it checks no more). Within its lease the other instance still waits, though a round is due...
        var second = await StartRoundAsync(roundsB, "C-TWO", _time.GetUtcNow().AddSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await follower.RunDueAsync(default));
        Assert.Equal(2, (await KeysAsync(storage)).Count);

        // ...and once the lease has run out (three checks without a renewal), it takes over and wraps that round, once.
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await follower.RunDueAsync(default));
        Assert.True(await follower.RunDueAsync(default));

        // The dead instance restarted under its name finds the lease taken and leaves the work to the new holder.
        Assert.False(await leader.RunDueAsync(default));
        Assert.Equal(
            [$"group-round:{first.Id}:deadline", ScheduleKey, $"group-round:{second.Id}:deadline"],
            await KeysAsync(storage));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Stop_TheHolderShutsDownCleanly_AnotherInstanceTakesOverAtItsNextCheck(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        var rounds = storage.GroupRounds(Bank.Value, _time);
        using var a = new GroupScheduler(rounds, queue, storage.SchedulerLease("instance-a", _time), Options.Create(_options), _time, NullLogger<GroupScheduler>.Instance);
        using var b = new GroupScheduler(rounds, queue, storage.SchedulerLease("instance-b", _time), Options.Create(_options), _time, NullLogger<GroupScheduler>.Instance);
        Assert.True(await a.RunDueAsync(default));
        Assert.False(await b.RunDueAsync(default));

        await a.StopAsync(default);

        Assert.True(await b.RunDueAsync(default));
        Assert.False(await a.RunDueAsync(default));
    }

    private static Task<GroupRound> StartRoundAsync(SqlGroupRounds rounds, string conversation, DateTimeOffset deadline) =>
        rounds.StartAsync(new NewGroupRound("test", "T1", conversation, "U-FAC", "general", 1, deadline, new Dictionary<string, string>()), default);

    private static async Task<List<string>> KeysAsync(TestStorage storage) =>
        [.. (await storage.TurnsAsync()).Select(t => t.Key)];
}
