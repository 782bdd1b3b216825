using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Coaching.Tests.Support.QuestionBuilder;
using CoachBot.Storage;

namespace CoachBot.Coaching.Tests.Sessions;

/// <summary>Practice sessions and attempts, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class PracticeSessionsTests
{
    private static readonly SessionKey Ana = new("slack", "T1/ana");
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task Get_NewUser_StartsWithTheGeneralRoleAndNoQuestion(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var session = await Sessions(storage, Question("a").Build()).GetAsync(Ana, default);

        Assert.Equal(Roles.General, session.Role);
        Assert.Null(session.Difficulty);
        Assert.Null(session.CurrentQuestionId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NextQuestion_NeverRepeatsUntilTheWholeFilteredSetWasUsed(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var questions = Enumerable.Range(1, 6).Select(i => Question($"q-{i:000}").Role("sales").Build())
            .Append(Question("x-001").Role("designer").Build()).ToArray();
        var sessions = Sessions(storage, questions);
        await sessions.SetRoleAsync(Ana, "sales", default);

        var firstCycle = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            firstCycle.Add((await sessions.NextQuestionAsync(Ana, default)).Id);
        }

        var seventh = await sessions.NextQuestionAsync(Ana, default);

        Assert.Equal(6, firstCycle.Distinct().Count());
        Assert.DoesNotContain("x-001", firstCycle);
        Assert.NotEqual(firstCycle[^1], seventh.Id);
        Assert.Equal(seventh.Id, (await sessions.GetAsync(Ana, default)).CurrentQuestionId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NextQuestion_WithDifficulty_OnlyAsksThatLevel(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(storage, Question("e-001").Difficulty(1).Build(), Question("h-001").Difficulty(3).Build(), Question("h-002").Difficulty(3).Build());
        await sessions.SetRoleAsync(Ana, "software-engineer", default);
        await sessions.SetDifficultyAsync(Ana, 3, default);

        var asked = new[] { await sessions.NextQuestionAsync(Ana, default), await sessions.NextQuestionAsync(Ana, default) };

        Assert.All(asked, q => Assert.Equal(3, q.Difficulty));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NextQuestion_PrefersTheCompetencyWhereTheUserScoresLowest(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(
            storage,
            Question("c-001").Competencies("conflict-resolution").Build(),
            Question("c-002").Competencies("conflict-resolution").Build(),
            Question("l-001").Competencies("leadership").Build(),
            Question("l-002").Competencies("leadership").Build());
        await sessions.SetRoleAsync(Ana, "software-engineer", default);
        await sessions.RecordAttemptAsync(Ana, Report("c-001", 30), null, default);
        await sessions.RecordAttemptAsync(Ana, Report("l-001", 90), null, default);
        await sessions.SetCurrentQuestionAsync(Ana, Question("c-001").Build(), default);
        await sessions.SetCurrentQuestionAsync(Ana, Question("l-001").Build(), default);

        var next = await sessions.NextQuestionAsync(Ana, default);

        Assert.Equal("c-002", next.Id);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task RecordAttempt_SameIdempotencyKeyTwice_KeepsOne(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(storage, Question("a").Build());

        Assert.True(await sessions.RecordAttemptAsync(Ana, Report("a", 50), "evt-1", default));
        Assert.False(await sessions.RecordAttemptAsync(Ana, Report("a", 50), "evt-1", default));

        Assert.Equal(1, (await sessions.GetProgressAsync(Ana, default)).Attempts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task GetProgress_ComputesAveragesTrendAndWeakestDimension(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(storage, Question("a").Build());
        foreach (var overall in new[] { 40, 45, 55, 60, 70 })
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await sessions.RecordAttemptAsync(Ana, Report("a", overall, ("structure", overall - 20), ("clarity", 90)), null, default);
        }

        var progress = await sessions.GetProgressAsync(Ana, default);

        Assert.Equal(5, progress.Attempts);
        Assert.Equal(54, progress.AverageOverall);
        Assert.Equal(34, progress.AverageByDimension["structure"]);
        Assert.Equal("structure", progress.WeakestDimension);
        Assert.Equal("improving", progress.Trend.Direction);
        Assert.Equal(30, progress.Trend.Change);
        Assert.Equal(70, progress.Recent[0].Overall);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Forget_AlsoClearsTheUsersAnswersKeptInTheQueue(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(storage, Question("a").Build());
        using var queue = storage.Queue(_time);
        var turn = new CoachBot.Coaching.Queue.CoachingTurn
        {
            Channel = "slack", TenantId = "T1", UserId = "ana", ConversationId = "D1",
            Intent = CoachBot.Coaching.Queue.TurnIntent.Answer, Text = "Ana private answer about the outage.", IdempotencyKey = "evt-ana",
        };
        await queue.EnqueueAsync(turn, default);
        await queue.EnqueueAsync(turn with { UserId = "ben", IdempotencyKey = "evt-ben", Text = "Ben answer about the launch." }, default);
        foreach (var claimed in new[] { await queue.ClaimAsync(default), await queue.ClaimAsync(default) })
        {
            await queue.CompleteAsync(claimed!.Id, default);
        }

        await sessions.ForgetAsync(Ana, default);

        var payloads = string.Join('|', (await storage.TurnsAsync()).Select(t => t.Payload));
        Assert.DoesNotContain("Ana private answer about the outage.", payloads, StringComparison.Ordinal);
        Assert.Contains("Ben answer about the launch.", payloads, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new double[] { 70, 70, 71, 69, 70 }, "steady")]
    [InlineData(new double[] { 80, 70, 60 }, "declining")]
    [InlineData(new double[] { 80, 70 }, "not enough data")]
    public void Trend_ClassifiesTheDirection(double[] scores, string direction) =>
        Assert.Equal(direction, SqlPracticeSessions.Trend(scores).Direction);

    [Theory, OnSqlite, OnPostgres]
    public async Task Forget_RemovesTheUsersDataButNotOthers(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var sessions = Sessions(storage, Question("a").Build());
        var ben = new SessionKey("slack", "T1/ben");
        await sessions.RecordAttemptAsync(Ana, Report("a", 50), null, default);
        await sessions.RecordAttemptAsync(ben, Report("a", 60), null, default);
        await sessions.NextQuestionAsync(Ana, default);

        Assert.True(await sessions.ForgetAsync(Ana, default) >= 3);

        Assert.Equal(0, (await sessions.GetProgressAsync(Ana, default)).Attempts);
        Assert.Equal(1, (await sessions.GetProgressAsync(ben, default)).Attempts);
    }

    private SqlPracticeSessions Sessions(TestStorage storage, params Question[] questions) => storage.Sessions(new QuestionBank(questions), _time);

    private static CoachingReport Report(string questionId, int overall, params (string Name, int Score)[] scores) => new()
    {
        Question = new ReportQuestion(questionId, "Q?", "software-engineer", "behavioral", "bank"),
        Answer = new ReportAnswer("answer", "text", null),
        Overall = overall,
        Scores = [.. (scores.Length == 0 ? [("relevance", overall)] : scores).Select(s => new DimensionScore(s.Name, s.Score, DimensionScore.LabelFor(s.Score), "r", []))],
        Strengths = [],
        Improvements = [],
        MissedPoints = [],
        Advice = new AdviceSource("rules", null),
        Warnings = [],
    };
}
