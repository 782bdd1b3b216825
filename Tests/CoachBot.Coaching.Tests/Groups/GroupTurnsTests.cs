using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Groups;

/// <summary>Group rounds through the turn processor, with the rounds and sessions on every storage provider.</summary>
public sealed class GroupTurnsTests : IAsyncLifetime, IDisposable
{
    private const string Facilitator = "U-FAC";
    private readonly CoachOnStorage _coaches = new();
    private int _event;

    // Tests of commands refused before anything is stored use a SQLite coach.
    private Coach Subject => _coaches.Subject;

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose() => _coaches.Dispose();

    public async Task DisposeAsync() => await _coaches.DisposeAsync();

    private Task UseAsync(string provider) => _coaches.UseAsync(provider);

    [Theory, OnSqlite, OnPostgres]
    public async Task Round_ThreeMembersAnswerAndTheFacilitatorWraps_SummaryAveragesEqualTheMembersReports(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group software-engineer questions=2 deadline=2h");

        var reports = new List<TurnReply>();
        foreach (var (member, answer) in Answers)
        {
            reports.Add(await InRound(round, member, answer));
        }

        Assert.All(reports, r => Assert.Equal(TurnReplyKind.Report, r.Kind));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Group!.AnswerCount));
        Assert.All(reports, r => Assert.False(r.Group!.PublicFeedback));
        Assert.All(reports, r => Assert.Null(r.Report!.NextQuestion));

        var summary = (await InRound(round, Facilitator, "wrap")).Group!.Summary!;

        Assert.Equal(["U-A", "U-B", "U-C"], summary.Participants);
        Assert.Equal(3, summary.Answers);
        Assert.Equal(Math.Round(reports.Average(r => r.Report!.Overall), 1, MidpointRounding.AwayFromZero), summary.AverageOverall);
        foreach (var average in summary.Averages)
        {
            var expected = reports.Select(r => r.Report!.Scores.Single(s => s.Name == average.Dimension).Score).Average();
            Assert.Equal(Math.Round(expected, 1, MidpointRounding.AwayFromZero), average.Score);
        }

        Assert.InRange(summary.CommonImprovements.Count, 1, 2);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Summary_AMemberWhoAnswersMoreOften_CountsOnceInTheAverages(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group software-engineer questions=2");
        var a1 = (await InRound(round, "U-A", Answers[2].Answer)).Report!;
        var b = (await InRound(round, "U-B", Answers[1].Answer)).Report!;
        await InRound(round, Facilitator, "next");
        var a2 = (await InRound(round, "U-A", Answers[2].Answer + " Then I did more things.")).Report!;

        var summary = (await InRound(round, Facilitator, "wrap")).Group!.Summary!;

        var memberA = (a1.Overall + a2.Overall) / 2.0;
        Assert.Equal(3, summary.Answers);
        Assert.Equal(Math.Round((memberA + b.Overall) / 2, 1, MidpointRounding.AwayFromZero), summary.AverageOverall);
        var relevance = summary.Averages.Single(a => a.Dimension == "relevance");
        var expected = (((a1.Scores.Single(s => s.Name == "relevance").Score + a2.Scores.Single(s => s.Name == "relevance").Score) / 2.0) + b.Scores.Single(s => s.Name == "relevance").Score) / 2;
        Assert.Equal(Math.Round(expected, 1, MidpointRounding.AwayFromZero), relevance.Score);
        Assert.Equal(3, relevance.Answers);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Round_AnswerCountsInTheMembersProgress_WithoutMovingTheirOwnQuestion(string provider)
    {
        await UseAsync(provider);
        var own = (await Send("U-A", "D-A", "start")).Question!.Id;
        var round = await StartRoundAsync("group");

        await InRound(round, "U-A", Answers[0].Answer);

        var session = await Subject.Sessions.GetAsync(SessionKey.For("test", "T1", "U-A"), default);
        var progress = await Subject.Sessions.GetProgressAsync(SessionKey.For("test", "T1", "U-A"), default);
        Assert.Equal(own, session.CurrentQuestionId);
        Assert.Equal(1, progress.Attempts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FacilitatorCommands_FromAnotherMember_AreRefused(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");

        foreach (var command in new[] { "wrap", "next", "remind" })
        {
            var reply = await InRound(round, "U-B", command);
            Assert.Equal("not_facilitator", reply.ErrorCode);
        }

        Assert.False((await Subject.Groups.GetAsync(round, default))!.Wrapped);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FacilitatorCommands_FromAnAdmin_AreAccepted(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");

        var reply = await Subject.Processor.ProcessAsync(Turn("U-ADMIN", "C-TEAM", "wrap") with { RoundId = round, SenderIsAdmin = true }, default);

        Assert.Equal(TurnReplyKind.GroupSummary, reply.Kind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Remind_ListsWhoAnswered_AndHappensOnce(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");
        await InRound(round, "U-A", Answers[0].Answer);

        var first = await InRound(round, Facilitator, "remind");
        var second = await InRound(round, Facilitator, "remind");

        Assert.Equal(TurnReplyKind.GroupReminder, first.Kind);
        Assert.Equal(["U-A"], first.Group!.Answered);
        Assert.Equal("already_reminded", second.ErrorCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Next_MovesToTheRoundsNextQuestion_AndAnswersGoToIt(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group software-engineer questions=2");
        var first = (await Subject.Groups.GetAsync(round, default))!.CurrentQuestionId;

        var next = await InRound(round, Facilitator, "next");
        var answer = await InRound(round, "U-A", Answers[0].Answer);
        var last = await InRound(round, Facilitator, "next");

        Assert.Equal(TurnReplyKind.GroupRound, next.Kind);
        Assert.Equal(2, next.Group!.QuestionNumber);
        Assert.NotEqual(first, next.Question!.Id);
        Assert.Equal(next.Question.Id, answer.Report!.Question.Id);
        Assert.Equal("no_more_questions", last.ErrorCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Highlights_QuoteOnlyMembersWhoShared(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");
        foreach (var (member, answer) in Answers)
        {
            await InRound(round, member, answer);
        }

        await InRound(round, "U-B", "share");
        var summary = (await InRound(round, Facilitator, "wrap")).Group!.Summary!;

        var highlight = Assert.Single(summary.Highlights);
        Assert.Equal("U-B", highlight.UserId);
        Assert.Contains(highlight.Quote.TrimEnd('…'), Answers[1].Answer, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnswerAfterWrap_IsNotCoached(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");
        await InRound(round, Facilitator, "wrap");

        var reply = await InRound(round, "U-A", Answers[0].Answer);

        Assert.Equal("round_closed", reply.ErrorCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task WrapTwice_PostsTheSameSummary(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");
        await InRound(round, "U-A", Answers[0].Answer);

        var first = (await InRound(round, Facilitator, "wrap")).Group!.Summary!;
        await InRound(round, "U-B", Answers[1].Answer);
        var second = (await InRound(round, Facilitator, "wrap")).Group!.Summary!;

        Assert.Equal(1, first.Answers);
        Assert.Equal(first.Answers, second.Answers);
        Assert.Equal(first.AverageOverall, second.AverageOverall);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ForgetMe_RemovesTheMembersRoundAnswers_AndTheirNameFromStoredSummaries(string provider)
    {
        await UseAsync(provider);
        var round = await StartRoundAsync("group");
        await InRound(round, "U-A", Answers[0].Answer);
        await InRound(round, "U-A", "share");
        await InRound(round, "U-B", Answers[1].Answer);
        await InRound(round, Facilitator, "wrap");

        await Send("U-A", "D-A", "forget me confirm");

        var answers = await Subject.Groups.AnswersAsync(round, default);
        Assert.Equal(["U-B"], answers.Select(a => a.UserId));
        var stored = (await Subject.Groups.WrapAsync(round, default)).Summary;
        Assert.DoesNotContain("U-A", stored.Participants);
        Assert.All(stored.Highlights, h => Assert.NotEqual("U-A", h.UserId));
    }

    [Theory]
    [InlineData("group questions=0", "bad_group")]
    [InlineData("group questions=99", "bad_group")]
    [InlineData("group deadline=soon", "bad_group")]
    [InlineData("group deadline=30d", "bad_group")]
    [InlineData("group deadline=2147483647d", "bad_group")]
    [InlineData("group deadline=99999999999999999999h", "bad_group")]
    [InlineData("group deadline=0m", "bad_group")]
    [InlineData("group astronaut", "bad_group")]
    [InlineData("group schedule 25:00", "bad_schedule")]
    [InlineData("group schedule 09:30 tz=Mars/Olympus", "bad_schedule")]
    public async Task BadGroupCommand_ExplainsWhatIsAccepted(string text, string code)
    {
        var reply = await Send(Facilitator, "C-TEAM", text);

        Assert.Equal(code, reply.ErrorCode);
        Assert.NotEmpty(reply.Text);
    }

    [Fact]
    public async Task GroupStart_InADirectChat_IsRefusedWithWhereToRunIt()
    {
        var reply = await Subject.Processor.ProcessAsync(Turn("U-A", "D-A", "group start") with { IsDirect = true }, default);

        Assert.Equal("group_in_direct", reply.ErrorCode);
        Assert.Contains("channel or group chat", reply.Text, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FeedbackSetting_OnlyAdminsChangeIt_AndAnswersFollowIt(string provider)
    {
        await UseAsync(provider);
        var refused = await Send("U-A", "C-TEAM", "group feedback public");
        var accepted = await Subject.Processor.ProcessAsync(Turn("U-ADMIN", "C-TEAM", "group feedback public") with { SenderIsAdmin = true }, default);
        var round = await StartRoundAsync("group");

        var answer = await InRound(round, "U-A", Answers[0].Answer);

        Assert.Equal("not_admin", refused.ErrorCode);
        Assert.Equal(TurnReplyKind.Text, accepted.Kind);
        Assert.True(answer.Group!.PublicFeedback);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Schedule_IsStoredForTheChannel_AndOnlyItsCreatorOrAnAdminChangesIt(string provider)
    {
        await UseAsync(provider);
        var set = await Send(Facilitator, "C-TEAM", "group schedule 09:30 designer tz=Europe/London");
        var other = await Send("U-B", "C-TEAM", "group schedule off");
        var stored = await Subject.Groups.GetScheduleAsync("test", "C-TEAM", default);

        Assert.Equal(TurnReplyKind.Text, set.Kind);
        Assert.Equal("not_facilitator", other.ErrorCode);
        Assert.NotNull(stored);
        Assert.Equal(new TimeOnly(9, 30), stored.LocalTime);
        Assert.Equal("designer", stored.Role);
        Assert.Equal("Europe/London", stored.TimeZone);
        Assert.True(stored.NextRunAt > DateTimeOffset.UtcNow);

        Assert.Equal(TurnReplyKind.Text, (await Send(Facilitator, "C-TEAM", "group schedule off")).Kind);
        Assert.Null(await Subject.Groups.GetScheduleAsync("test", "C-TEAM", default));
    }

    private static readonly (string Member, string Answer)[] Answers =
    [
        ("U-A", "Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, then I split the test suite and added caching. As a result builds went from 40 to 12 minutes."),
        ("U-B", "In my last role our checkout page was slow, so I measured where the time went, found three heavy queries, rewrote them and added an index. Page load fell from four seconds to one, and conversion rose by 6 percent."),
        ("U-C", "I worked on a project. It was good. We did things and it went fine."),
    ];

    private async Task<long> StartRoundAsync(string command)
    {
        var reply = await Send(Facilitator, "C-TEAM", command);
        Assert.Equal(TurnReplyKind.GroupRound, reply.Kind);
        var id = reply.Group!.RoundId;
        await Subject.Groups.AttachThreadAsync(id, "thread-" + id, null, default);
        return id;
    }

    private Task<TurnReply> InRound(long round, string user, string text) =>
        Subject.Processor.ProcessAsync(
            Turn(user, "C-TEAM", text) with { RoundId = round, ThreadId = "thread-" + round, Intent = ChatCommands.IsCommand(text) || ChatCommands.IsRoundCommand(text) ? TurnIntent.Command : TurnIntent.Answer },
            default);

    private Task<TurnReply> Send(string user, string conversation, string text) =>
        Subject.Processor.ProcessAsync(Turn(user, conversation, text), default);

    private CoachingTurn Turn(string user, string conversation, string text) => new()
    {
        Channel = "test",
        TenantId = "T1",
        UserId = user,
        ConversationId = conversation,
        Intent = TurnIntent.Command,
        Text = text,
        IdempotencyKey = $"evt-{++_event}",
    };
}
