using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;

namespace CoachBot.Coaching.Tests.Groups;

/// <summary>The group rounds store, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class GroupRoundsTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task FindOpen_TwoRoundsInAChatOneWrapped_ReturnsTheOpenOneOfThatChatOnly(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var rounds = storage.GroupRounds(Bank.BuiltIn, _time);
        var first = await StartAsync(rounds, "chat-1");
        var second = await StartAsync(rounds, "chat-1");
        await StartAsync(rounds, "chat-2");
        await rounds.WrapAsync(second.Id, default);

        var found = await rounds.FindOpenAsync("teams", "chat-1", default);
        await rounds.WrapAsync(first.Id, default);
        var afterWrap = await rounds.FindOpenAsync("teams", "chat-1", default);

        Assert.Equal(first.Id, found?.Id);
        Assert.Null(afterWrap);
        Assert.Null(await rounds.FindOpenAsync("slack", "chat-2", default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Wrap_TwoInstancesAtOnce_OneSummaryStoredAndBothReturnIt(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var a = storage.GroupRounds(Bank.BuiltIn, _time);
        var b = storage.GroupRounds(Bank.BuiltIn, _time);
        var round = await StartAsync(a, "chat-1");
        await a.RecordAnswerAsync(round.Id, new GroupAnswer("teams/T1/U-A", "U-A", 0, Report(round.CurrentQuestionId, 70)), "evt-1", default);
        // The same event delivered to the other instance is one answer, not two.
        var count = await b.RecordAnswerAsync(round.Id, new GroupAnswer("teams/T1/U-A", "U-A", 0, Report(round.CurrentQuestionId, 70)), "evt-1", default);

        var wraps = await Task.WhenAll(Task.Run(() => a.WrapAsync(round.Id, default)), Task.Run(() => b.WrapAsync(round.Id, default)));

        Assert.Equal(1, count);
        Assert.Single(wraps, w => w.JustWrapped);
        Assert.Equal(wraps[0].Summary.Participants, wraps[1].Summary.Participants);
        Assert.Equal(["U-A"], wraps[0].Summary.Participants);
        Assert.True((await b.GetAsync(round.Id, default))!.Wrapped);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Due_RoundsPastTheirDeadlineAndSchedulesPastTheirRun_AreFoundOnce(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var a = storage.GroupRounds(Bank.BuiltIn, _time);
        var b = storage.GroupRounds(Bank.BuiltIn, _time);
        var overdue = await StartAsync(a, "chat-1", _time.GetUtcNow().AddMinutes(5));
        await StartAsync(a, "chat-2", _time.GetUtcNow().AddHours(5));
        var runAt = _time.GetUtcNow().AddMinutes(30);
        await a.SetScheduleAsync(new GroupSchedule
        {
            Channel = "teams", ConversationId = "chat-3", TenantId = "T1", CreatedBy = "U-FAC", LocalTime = new TimeOnly(9, 30),
            TimeZone = "Europe/London", Role = "general", Routing = new Dictionary<string, string> { ["serviceUrl"] = "https://smba.example/" }, NextRunAt = runAt,
        }, default);
        _time.Advance(TimeSpan.FromHours(1));

        var due = await b.DueAsync(_time.GetUtcNow(), default);
        var schedule = Assert.Single(await b.DueSchedulesAsync(_time.GetUtcNow(), default));
        var next = runAt.AddDays(1);
        // Two instances moving the same run on: one does, the other learns it was moved.
        var moved = await Task.WhenAll(a.AdvanceScheduleAsync(schedule, schedule.NextRunAt, next, default), b.AdvanceScheduleAsync(schedule, schedule.NextRunAt, next, default));

        Assert.Equal([overdue.Id], due.Select(r => r.Id));
        Assert.Equal(overdue.Deadline, due[0].Deadline);
        Assert.Equal(runAt, schedule.NextRunAt);
        Assert.Equal(new TimeOnly(9, 30), schedule.LocalTime);
        Assert.Equal("https://smba.example/", schedule.Routing["serviceUrl"]);
        Assert.Single(moved, m => m);
        Assert.Empty(await a.DueSchedulesAsync(_time.GetUtcNow(), default));
        Assert.Equal(next, (await b.GetScheduleAsync("teams", "chat-3", default))!.NextRunAt);
    }

    private Task<GroupRound> StartAsync(SqlGroupRounds rounds, string conversation, DateTimeOffset? deadline = null) =>
        rounds.StartAsync(
            new NewGroupRound("teams", "T1", conversation, "U-FAC", "general", 1, deadline ?? _time.GetUtcNow().AddHours(1), new Dictionary<string, string>()),
            default);

    private static CoachingReport Report(string questionId, int overall) => new()
    {
        Question = new ReportQuestion(questionId, "Q?", "general", "behavioral", "bank"),
        Answer = new ReportAnswer("answer", "text", null),
        Overall = overall,
        Scores = [new DimensionScore("relevance", overall, DimensionScore.LabelFor(overall), "r", [])],
        Strengths = [],
        Improvements = [],
        MissedPoints = [],
        Advice = new AdviceSource("rules", null),
        Warnings = [],
    };
}
