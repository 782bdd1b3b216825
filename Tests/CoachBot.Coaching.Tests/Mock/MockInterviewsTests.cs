using System.Text.Json;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Plans;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;

namespace CoachBot.Coaching.Tests.Mock;

/// <summary>Mock interviews through the turn processor, with the built-in bank, on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class MockInterviewsTests : IAsyncLifetime, IDisposable
{
    private const string StoryAnswer =
        "Last year I led the migration of our billing service to a new queue. The situation was that nightly jobs failed twice a week. " +
        "My task was to make them reliable before the quarter ended. I measured every failure, then I split the job into retryable steps, " +
        "added monitoring and wrote a runbook with the on-call team. As a result failures dropped from eight a month to one, " +
        "and I learned to agree on the metric with stakeholders before changing anything.";

    private readonly TempFolder _folder = new();
    private readonly CoachOnStorage _coaches = new();

    // Tests that run on one provider only use a SQLite coach.
    private Coach Subject => _coaches.Subject;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _coaches.DisposeAsync();

    private Task UseAsync(string provider) => _coaches.UseAsync(provider);
    private int _event;

    public void Dispose()
    {
        _coaches.Dispose();
        _folder.Dispose();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MockStart_FiveQuestions_HoldsFeedbackThenReportCardIsMeansOfStoredAnswers(string provider)
    {
        await UseAsync(provider);
        var reply = await Send(TurnIntent.Command, "mock start software-engineer questions=5");
        Assert.Equal(TurnReplyKind.Question, reply.Kind);
        Assert.True(reply.InMockInterview);
        Assert.Contains("Question 1 of 5", reply.Text, StringComparison.Ordinal);

        var (card, asked) = await AnswerUntilReportAsync(reply);

        // Feedback was held: every reply before the card was a question, never a report.
        Assert.All(asked, r => Assert.Equal(TurnReplyKind.Question, r.Kind));
        Assert.Equal(5, card.Questions);
        Assert.Equal(5 + card.FollowUps, card.Answered);
        var stored = await StoredAnswersAsync();
        Assert.Equal(card.Answered, stored.Count);
        foreach (var competency in card.Competencies)
        {
            var scores = stored.Where(a => a.Competencies.Contains(competency.Name)).Select(a => a.Overall).ToList();
            Assert.Equal((int)Math.Round(scores.Average(), MidpointRounding.AwayFromZero), competency.Score);
            Assert.Equal(scores.Count, competency.Answers);
        }

        // Readiness and the strongest answer come from the main questions' answers (a follow-up is a short probe).
        var main = stored.Where(a => !a.FollowUp).ToList();
        Assert.Equal(5, main.Count);
        Assert.Equal((int)Math.Round(main.Average(a => a.Overall), MidpointRounding.AwayFromZero), card.Readiness);
        Assert.Equal(["content", "structure", "evidence"], card.Criteria.Select(c => c.Name));
        Assert.NotNull(card.Strongest);
        Assert.Equal(main.Max(a => a.Overall), card.Strongest!.Overall);
        Assert.InRange(card.WorkOn.Count, 1, 3);
        Assert.Contains("first mock interview", card.Comparison.Text, StringComparison.Ordinal);

        // Mock answers are not practice attempts; progress shows the interview.
        var progress = await Subject.Sessions.GetProgressAsync(Key, default);
        Assert.Equal(0, progress.Attempts);
        var summary = Assert.Single(progress.Mocks);
        Assert.Equal(card.Readiness, summary.Readiness);
        var progressReply = await Send(TurnIntent.Command, "progress");
        Assert.Contains($"readiness {card.Readiness}/100", progressReply.Text, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Skip_MovesOnAndCountsAsSkippedWithZeroInReadiness(string provider)
    {
        await UseAsync(provider);
        await Send(TurnIntent.Command, "mock start general questions=2");

        var second = await Send(TurnIntent.Answer, "skip");
        Assert.Equal(TurnReplyKind.Question, second.Kind);
        Assert.Contains("Question 2 of 2", second.Text, StringComparison.Ordinal);
        var (card, _) = await AnswerUntilReportAsync(second);

        Assert.Equal(1, card.Skipped);
        // Over the main questions: a follow-up's answer is folded out of readiness.
        var stored = (await StoredAnswersAsync()).Where(a => !a.FollowUp).ToList();
        Assert.Equal((int)Math.Round(stored.Sum(a => a.Overall) / (stored.Count + 1.0), MidpointRounding.AwayFromZero), card.Readiness);
        Assert.Equal(["answered", "skipped"], (await StatusesAsync()).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("repeat the question")]
    [InlineData("I don't know")]
    [InlineData("asdf qwer zxcv")]
    public async Task NonAnswer_IsNotStoredAndDoesNotAdvance(string said)
    {
        var first = await Send(TurnIntent.Command, "mock start general questions=2");

        var reply = await Send(TurnIntent.Answer, said);

        Assert.NotEqual(TurnReplyKind.MockReport, reply.Kind);
        Assert.Equal(first.Question!.Id, reply.Question!.Id);
        Assert.Empty(await StatusesAsync());
        var again = await Send(TurnIntent.Command, "repeat");
        Assert.Equal(first.Question.Id, again.Question!.Id);
    }

    [Theory]
    [InlineData("I don't know")]
    [InlineData("What should I say here?")]
    public async Task DontKnowOrQuestionToTheCoach_GetsTheQuestionAgainWithoutTheRubricsPoints(string said)
    {
        var first = await Send(TurnIntent.Command, "mock start general questions=2");

        var reply = await Send(TurnIntent.Answer, said);

        Assert.NotEqual(TurnReplyKind.Hint, reply.Kind);
        Assert.True(reply.Points is null || reply.Points.Count == 0);
        Assert.Equal(first.Question!.Id, reply.Question!.Id);
        Assert.Contains("no hints", reply.Text, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ShortAnswerConfirmedWithYes_IsScoredInTheInterview(string provider)
    {
        await UseAsync(provider);
        await Send(TurnIntent.Command, "mock start general questions=1");
        var held = await Send(TurnIntent.Answer, "I fixed it.");
        // Nothing is coached during an interview: "yes" keeps the short answer as the answer.
        Assert.Contains("short for an interview answer", held.Text, StringComparison.Ordinal);
        Assert.Contains("keep it as your answer", held.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("coached", held.Text, StringComparison.Ordinal);

        var card = await Send(TurnIntent.Answer, "yes");

        Assert.True(card.Kind is TurnReplyKind.MockReport or TurnReplyKind.Question, card.Text);
        Assert.Equal(["answered"], await StatusesAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SecondInterview_ComparesWithTheFirst_AndForgetMeDeletesBoth(string provider)
    {
        await UseAsync(provider);
        var first = await AnswerUntilReportAsync(await Send(TurnIntent.Command, "mock start general questions=1"));
        var second = await AnswerUntilReportAsync(await Send(TurnIntent.Command, "mock start general questions=1"));

        Assert.Equal(1, second.Card.Comparison.Previous);
        Assert.Equal(first.Card.Readiness, second.Card.Comparison.LastReadiness);
        Assert.Equal(second.Card.Readiness - first.Card.Readiness, second.Card.Comparison.Change);

        await Send(TurnIntent.Command, "forget me confirm");

        await using var connection = await Subject.StoreDatabase.OpenConnectionAsync(default);
        Assert.Equal(0, await connection.ValueAsync<long>("SELECT COUNT(*) FROM mock_interviews;", default));
        Assert.Equal(0, await connection.ValueAsync<long>("SELECT COUNT(*) FROM mock_answers;", default));
        Assert.Empty((await Subject.Sessions.GetProgressAsync(Key, default)).Mocks);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MockStartPlan_AsksThePlansOwnQuestions(string provider)
    {
        await UseAsync(provider);
        var resume = _folder.File("resume.txt");
        await File.WriteAllLinesAsync(resume, PlanDocuments.BackendResume);
        var plan = await Subject.Plans.CreateAsync(new PlanRequest(Key, resume) { JobText = string.Join('\n', PlanDocuments.DataAnalystJob) }, default);

        var reply = await Send(TurnIntent.Command, "mock start plan questions=3");

        Assert.Contains("Data Analyst (your plan)", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.Question!.Id, plan.Questions.Select(q => q.Id));
        var (card, asked) = await AnswerUntilReportAsync(reply);
        Assert.Equal(3, card.Questions);
        Assert.Contains(asked.Prepend(reply).Select(r => r.Question!.Text), t => plan.Questions.Any(q => q.Text == t && q.Source == PlanQuestion.Written));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MockStartPlan_WithoutAPlan_SaysHowToMakeOne(string provider)
    {
        await UseAsync(provider);
        var reply = await Send(TurnIntent.Command, "mock start plan");

        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal("no_plan", reply.ErrorCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NextButton_DuringTheInterview_SkipsAndHintIsRefused(string provider)
    {
        await UseAsync(provider);
        var first = await Send(TurnIntent.Command, "mock start general questions=3");

        var hint = await Send(TurnIntent.CardAction, null, action: "hint", questionId: first.Question!.Id);
        var next = await Send(TurnIntent.CardAction, null, action: "next", questionId: first.Question.Id);

        Assert.Contains("no hints", hint.Text, StringComparison.Ordinal);
        Assert.Contains("Question 2 of 3", next.Text, StringComparison.Ordinal);
        Assert.Equal(["skipped"], await StatusesAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MockStop_AfterOneAnswer_GivesTheCardForWhatWasAnswered(string provider)
    {
        await UseAsync(provider);
        await Send(TurnIntent.Command, "mock start general questions=4");
        await Send(TurnIntent.Answer, StoryAnswer);

        var reply = await Send(TurnIntent.Command, "mock stop");

        Assert.Equal(TurnReplyKind.MockReport, reply.Kind);
        Assert.Equal(1, reply.Mock!.Questions);
        Assert.Equal(reply.Text, (await Send(TurnIntent.Command, "mock report")).Text);
    }

    [Fact]
    public void FollowUpRule_MissedPointTheFollowUpIsAbout_AsksIt()
    {
        var question = QuestionBuilder.Question("t-001").Build() with
        {
            Rubric = [new RubricPoint("Explains how the rollout was monitored", ["monitor*", "dashboard*"]), new RubricPoint("Gives the result", ["result*"])],
            FollowUps = ["What would you monitor differently next time?"],
        };

        Assert.Equal(question.FollowUps[0], FollowUpRule.Choose(question, Report("We shipped it.", missed: ["Explains how the rollout was monitored"])));
        Assert.Null(FollowUpRule.Choose(question, Report("We monitored it on a dashboard.", missed: ["Gives the result"])));
    }

    [Fact]
    public void FollowUpRule_FollowUpBeyondTheRubric_AskedOnlyWhenTheAnswerNeverTouchedItsTopic()
    {
        var question = QuestionBuilder.Question("t-001").Build() with
        {
            Rubric = [new RubricPoint("Gives the result", ["result*"])],
            FollowUps = ["How did your manager react?"],
        };

        Assert.NotNull(FollowUpRule.Choose(question, Report("The result was good.", missed: [])));
        Assert.Null(FollowUpRule.Choose(question, Report("My manager reacted well to the result.", missed: [])));
    }

    [Fact]
    public async Task Help_SaysInItsFirstLineThatThereArePlansAndMockInterviews()
    {
        var help = await Send(TurnIntent.Command, "help");

        var intro = help.Text.Split('\n')[0];
        Assert.Contains("interview plans", intro, StringComparison.Ordinal);
        Assert.Contains("mock interviews", intro, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressLine_ComparesWithTheInterviewBeforeOfTheSameRoleOnly()
    {
        var at = DateTimeOffset.UnixEpoch;
        MockSummary[] newestFirst = [new("m3", "sales", 45, 5, at.AddHours(3)), new("m2", "software-engineer", 53, 5, at.AddHours(2)), new("m1", "sales", 40, 5, at.AddHours(1))];

        Assert.Contains("(+5 on your sales interview before)", TurnProcessor.MockProgressText(newestFirst), StringComparison.Ordinal);
        Assert.DoesNotContain(" on ", TurnProcessor.MockProgressText(newestFirst[..2]), StringComparison.Ordinal);
    }

    [Fact]
    public void FollowUpRule_PointLeftVague_AsksTheFollowUpAboutIt()
    {
        var question = QuestionBuilder.Question("t-001").Build() with
        {
            Rubric = [new RubricPoint("Explains how the rollout was monitored", ["monitor*", "dashboard*"]), new RubricPoint("Gives the result", ["result*"])],
            FollowUps = ["What would you monitor differently next time?"],
        };

        // Neither covered nor missed: the answer came near the point but left it vague.
        var vague = Report("We kept an eye on things and it went fine.", missed: []) with { VaguePoints = ["Explains how the rollout was monitored"] };

        Assert.Equal(question.FollowUps[0], FollowUpRule.Choose(question, vague));
    }

    [Fact]
    public void FollowUpRule_SpokenAnswerNotHeardReliably_AsksNoFollowUp()
    {
        var question = QuestionBuilder.Question("t-001").Build() with
        {
            Rubric = [new RubricPoint("Explains how the rollout was monitored", ["monitor*", "dashboard*"])],
            FollowUps = ["What would you monitor differently next time?"],
        };
        var heard = Report("and not what your country can do", missed: ["Explains how the rollout was monitored"]);

        Assert.NotNull(FollowUpRule.Choose(question, heard));
        Assert.Null(FollowUpRule.Choose(question, heard with
        {
            ContentUncertain = true,
            Answer = new ReportAnswer("and not what your country can do", "voice", 11) { Engine = "pocketsphinx", Confidence = 0.47, Reliable = false },
        }));
    }

    [Fact]
    public async Task VagueAnswer_ReportListsThePointsTouchedOnlyInPassing_AndTheBanksFollowUpIsAskedForThem()
    {
        var question = Subject.Bank.Find("swe-016")!;
        // A first-time user's answer (the mock-interview trial): the scorer credits two points only in passing.
        const string Vague = "Well, the browser goes and finds the website and then it loads it. There's some networking stuff that happens in between, " +
                             "servers and so on, and then the page shows up on the screen. It's usually pretty fast.";

        var outcome = await Subject.Pipeline.CoachAsync(new AnswerRequest(Key, Vague) { QuestionId = question.Id, ForMockInterview = true }, default);

        var report = outcome.Report!;
        Assert.NotEmpty(report.VaguePoints);
        Assert.Empty(report.VaguePoints.Intersect(report.MissedPoints));
        Assert.All(report.VaguePoints, p => Assert.Contains(p, question.Rubric.Select(r => r.Point)));
        // "There's some networking stuff … servers and so on": the interviewer asks how the name becomes a server to connect to.
        var followUp = FollowUpRule.Choose(question, report);
        Assert.True(followUp is not null && followUp.Contains("name you typed", StringComparison.Ordinal),
            $"asked: {followUp}; vague: {string.Join(" | ", report.VaguePoints)}; missed: {string.Join(" | ", report.MissedPoints)}");
    }

    private static CoachingReport Report(string answer, IReadOnlyList<string> missed) => new()
    {
        Question = new ReportQuestion("q", "q", "general", "behavioral", "bank"),
        Answer = new ReportAnswer(answer, "text", null),
        Overall = 50,
        Scores = [],
        Strengths = [],
        Improvements = [],
        MissedPoints = missed,
        Advice = new AdviceSource("rules", null),
        Warnings = [],
    };

    private async Task<(MockReportCard Card, List<TurnReply> Asked)> AnswerUntilReportAsync(TurnReply reply)
    {
        var asked = new List<TurnReply>();
        for (var i = 0; i < 30 && reply.Kind != TurnReplyKind.MockReport; i++)
        {
            reply = await Send(TurnIntent.Answer, StoryAnswer + $" It took {i + 3} weeks.");
            if (reply.Kind != TurnReplyKind.MockReport)
            {
                asked.Add(reply);
            }
        }

        Assert.Equal(TurnReplyKind.MockReport, reply.Kind);
        return (reply.Mock!, asked);
    }

    private async Task<List<(int Overall, List<string> Competencies, bool FollowUp)>> StoredAnswersAsync()
    {
        await using var connection = await Subject.StoreDatabase.OpenConnectionAsync(default);
        return await connection.RowsAsync(
            "SELECT overall, competencies_json, follow_up FROM mock_answers WHERE status = 'answered' AND mock_id = (SELECT id FROM mock_interviews ORDER BY started_at DESC, id DESC LIMIT 1) ORDER BY id;",
            r => (r.Int(0), JsonSerializer.Deserialize<List<string>>(r.GetString(1))!, r.Int(2) == 1), default);
    }

    private async Task<List<string>> StatusesAsync()
    {
        await using var connection = await Subject.StoreDatabase.OpenConnectionAsync(default);
        return await connection.RowsAsync("SELECT status FROM mock_answers ORDER BY id;", r => r.GetString(0), default);
    }

    private static SessionKey Key => SessionKey.For("test", "T1", "U1");

    private Task<TurnReply> Send(TurnIntent intent, string? text, string? action = null, string? questionId = null) =>
        Subject.Processor.ProcessAsync(new CoachingTurn
        {
            Channel = "test",
            TenantId = "T1",
            UserId = "U1",
            ConversationId = "D1",
            Intent = intent,
            Text = text,
            Action = action,
            QuestionId = questionId,
            IdempotencyKey = $"evt-{++_event}",
        }, default);
}
