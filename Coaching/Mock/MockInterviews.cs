using System.Globalization;
using System.Text;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Text;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Mock;

/// <summary>An open mock interview: its questions, the one being answered, and a follow-up when one is open.</summary>
internal sealed record MockState(string Id, string Title, IReadOnlyList<Question> Questions, int Position, string? FollowUp);

/// <summary>What the command line asks of mock interviews beyond the chat commands.</summary>
public interface IMockInterviews
{
    /// <summary>True when the user has a mock interview going on.</summary>
    Task<bool> IsOpenAsync(SessionKey key, CancellationToken cancellationToken);
}

/// <summary>
/// Mock interviews: questions one after another with the bank's follow-ups when an answer leaves them open
/// (<see cref="FollowUpRule"/>), no feedback until the end, then a report card. Answers are scored like practice answers
/// but kept with the interview (table <c>mock_answers</c>), not as practice attempts.
/// </summary>
internal sealed class MockInterviews(
    TurnAnswers answers,
    IPracticeSessions sessions,
    IInterviewPlans plans,
    IQuestionBank bank,
    IMockInterviewStore store,
    TimeProvider time,
    ILogger<MockInterviews> logger) : IMockInterviews
{
    public const int DefaultQuestions = 5;
    public const int MaxQuestions = 12;

    public const string Usage = "Say “mock start” for a mock interview of 5 questions from your newest plan (or your role), " +
                                "“mock start plan”, “mock start <role>”, and “questions=N” for 1–12 questions. “mock stop” ends one early.";

    private static readonly string[] CategoryOrder = [Categories.Behavioral, Categories.Technical, Categories.Situational, Categories.Motivation];

    public async Task<bool> IsOpenAsync(SessionKey key, CancellationToken cancellationToken) => await ActiveAsync(key, cancellationToken) is not null;

    public Task<MockState?> ActiveAsync(SessionKey key, CancellationToken cancellationToken) => store.ActiveAsync(key, cancellationToken);

    /// <summary><c>mock start [plan|role] [questions=N]</c>.</summary>
    public async Task<TurnReply> StartAsync(SessionKey key, string argument, CancellationToken cancellationToken)
    {
        var count = DefaultQuestions;
        string? source = null;
        foreach (var word in argument.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var asked = word.StartsWith("questions=", StringComparison.Ordinal);
            var number = asked ? word["questions=".Length..] : word;
            if (int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || asked)
            {
                if (n is < 1 or > MaxQuestions)
                {
                    return TurnReply.Failure("bad_mock", $"A mock interview has 1 to {MaxQuestions} questions (“{number}” is not). For example: mock start questions=5");
                }

                count = n;
            }
            else if (word is not "questions")
            {
                source = source is null ? word : source + " " + word;
            }
        }

        List<Question> questions;
        string title;
        var plan = source is null or "plan" ? await plans.LatestAsync(key, cancellationToken) : null;
        if (plan is not null)
        {
            questions = Spread(plan.Questions, count).Select(q => q.ToQuestion(plan.Role)).ToList();
            title = plan.JobTitle is { Length: > 0 } job ? $"{job} (your plan)" : $"{plan.Role} (your plan)";
        }
        else if (source == "plan")
        {
            return TurnReply.Failure("no_plan", "You have no interview plan here yet. Say “plan” to make one from your résumé and a job description, or “mock start <role>” for bank questions.");
        }
        else
        {
            var role = source is null ? (await sessions.GetAsync(key, cancellationToken)).Role : Roles.Resolve(source);
            if (role is null)
            {
                return TurnReply.Failure("unknown_role", $"I don't know the role “{source}”. Roles: {string.Join(", ", Roles.All)}. {Usage}");
            }

            questions = FromBank(key, role, count);
            title = role;
        }

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var state = new MockState(id, title, questions, 0, null);
        var closed = await store.OpenAsync(key, state, time.GetUtcNow(), cancellationToken);
        Log.MockStarted(logger, id, key.Channel, plan is null ? "bank" : "plan", questions.Count);
        return Ask(state,
            (closed > 0 ? "Your unfinished mock interview was closed. " : string.Empty) +
            $"Mock interview: {title}, {questions.Count} {(questions.Count == 1 ? "question" : "questions")}. " +
            "I'll hold my feedback until the end, as an interviewer would. Answer each question as you would out loud, typed or as a voice note. " +
            "Say “skip” to move on, “repeat” to hear a question again, “mock stop” to end early.");
    }

    /// <summary>Scores an answer to the open question, stores it, and asks what comes next (or ends with the report card).</summary>
    public async Task<TurnReply> AnswerAsync(CoachingTurn turn, SessionKey key, MockState mock, bool confirmed, CancellationToken cancellationToken)
    {
        if (await AnsweredAsync(turn.IdempotencyKey, cancellationToken))
        {
            // The same event again (a retry after a crash): the answer is stored, the interview has moved on.
            return await NextAsync(key, cancellationToken);
        }

        var question = Current(mock);
        var request = new AnswerRequest(key, turn.Text) { Question = question, ForMockInterview = true, IdempotencyKey = turn.IdempotencyKey, Confirmed = confirmed };
        var outcome = await answers.CoachAsync(turn, request, cancellationToken);
        if (outcome.NotAnAnswer is { } notAnswer)
        {
            if (notAnswer.Kind == NonAnswerKind.Skip)
            {
                return await SkipAsync(key, mock, turn.IdempotencyKey, cancellationToken);
            }

            if (notAnswer.Kind == NonAnswerKind.TooShort && turn.Audio is null)
            {
                await sessions.HoldShortAnswerAsync(key, notAnswer.Text, cancellationToken);
            }

            // As in practice nothing is stored and the interview stays on this question, but an interviewer gives no
            // answer key: "I don't know" or a question to the coach gets the question again, not the rubric's points.
            if (notAnswer.Kind is NonAnswerKind.DontKnow or NonAnswerKind.QuestionToCoach)
            {
                return TurnProcessor.Ask(notAnswer.Question, NoHintInMock) with { InMockInterview = true, MockStep = Step(mock) };
            }

            if (notAnswer.Kind == NonAnswerKind.TooShort && turn.Audio is null)
            {
                // Nothing is coached during an interview: "yes" keeps the short answer as the answer to this question.
                var words = TextDocument.Parse(notAnswer.Text).WordCount;
                notAnswer = notAnswer with
                {
                    Message = $"Is that your whole answer? At {TextDocument.Words(words)} it is short for an interview answer. " +
                              "Reply “yes” to keep it as your answer, or send a fuller one (most answers take one to two minutes).",
                };
            }

            return TurnProcessor.NotAnAnswerReply(notAnswer) with { InMockInterview = true, MockStep = Step(mock) };
        }

        if (outcome.Report is not { } report)
        {
            return TurnReply.Failure(outcome.Error!.Code, outcome.Error.Message);
        }

        var followUp = mock.FollowUp is null ? FollowUpRule.Choose(question, report) : null;
        var next = followUp is not null ? mock with { FollowUp = followUp } : mock with { Position = mock.Position + 1, FollowUp = null };
        await StoreAsync(key, mock, question, report, turn.IdempotencyKey, next, cancellationToken);
        // A spoken answer says what was heard (and, below the engine's calibrated confidence, that it was not heard
        // reliably), so the user knows what the interview took as their answer before it moves on.
        var heard = report.Answer is { Source: "voice" } spoken ? HeardLead(spoken) : null;
        return next.Position >= mock.Questions.Count
            ? await FinishAsync(key, mock, cancellationToken)
            : Ask(next, heard);
    }

    /// <summary>What was heard of a spoken answer, and whether it could be heard reliably.</summary>
    internal static string HeardLead(ReportAnswer answer)
    {
        var engine = string.Create(CultureInfo.InvariantCulture,
            $"{answer.Engine ?? "transcriber"}{(answer.Confidence is { } c ? $", confidence {c * 100:0}%" : string.Empty)}");
        return answer.Reliable is false
            ? $"I couldn't hear that reliably ({engine}); the rough transcript is “{TextDocument.Quote(answer.Text, 160)}”. It is kept, but its content scores are uncertain: type your answer for an accurate one, or {TranscriptQuality.EnableWhisperAdvice}."
            : $"I heard ({engine}): “{TextDocument.Quote(answer.Text, 240)}”";
    }

    /// <summary>The reply to "I don't know" or a question to the coach during a mock interview.</summary>
    internal const string NoHintInMock =
        "Nothing was stored. In a mock interview there are no hints, as in a real one: take a moment, answer as best you can, or say “skip” to move on. The question again:";

    /// <summary>Moves on from the open question, recording it as skipped.</summary>
    public async Task<TurnReply> SkipAsync(SessionKey key, MockState mock, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (await AnsweredAsync(idempotencyKey, cancellationToken))
        {
            return await NextAsync(key, cancellationToken);
        }

        var next = mock with { Position = mock.Position + 1, FollowUp = null };
        await StoreAsync(key, mock, Current(mock), null, idempotencyKey, next, cancellationToken);
        return next.Position >= mock.Questions.Count
            ? await FinishAsync(key, mock, cancellationToken)
            : Ask(next, "Skipped: nothing was scored for that question.");
    }

    /// <summary>The open question again.</summary>
    public TurnReply Repeat(MockState mock) => Ask(mock, "Here is your question again:");

    /// <summary>Ends the open interview now: the report card covers the questions answered or skipped so far.</summary>
    public async Task<TurnReply> StopAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (await ActiveAsync(key, cancellationToken) is not { } mock)
        {
            return new TurnReply { Kind = TurnReplyKind.Text, Text = "There is no mock interview going on. " + Usage };
        }

        var stored = await store.AnswersAsync(mock.Id, cancellationToken);
        if (stored.Count == 0)
        {
            await store.AbandonAsync(mock.Id, time.GetUtcNow(), cancellationToken);
            return new TurnReply { Kind = TurnReplyKind.Text, Text = "Mock interview ended. Nothing was answered, so there is no report card." };
        }

        return await FinishAsync(key, mock, cancellationToken);
    }

    /// <summary>The report card of the newest finished interview again.</summary>
    public async Task<TurnReply> LastReportAsync(SessionKey key, CancellationToken cancellationToken) =>
        await store.LastReportAsync(key, cancellationToken) is { } card
            ? Card(card)
            : new TurnReply { Kind = TurnReplyKind.Text, Text = "You have not finished a mock interview yet. " + Usage };

    /// <summary>The question being answered: a main question, or its follow-up.</summary>
    internal Question Current(MockState mock)
    {
        var main = mock.Questions[mock.Position];
        return mock.FollowUp is { } followUp
            ? CustomQuestions.Create(followUp, main.Role, bank) with { Id = main.Id + "-follow-up", Competencies = main.Competencies }
            : main;
    }

    /// <summary>The report card as a reply on every channel (the card renderers draw <see cref="TurnReply.Mock"/>).</summary>
    internal static TurnReply Card(MockReportCard card) => new() { Kind = TurnReplyKind.MockReport, Text = MockReportText.Describe(card), Mock = card };

    private async Task<TurnReply> NextAsync(SessionKey key, CancellationToken cancellationToken) =>
        await ActiveAsync(key, cancellationToken) is { } open ? Ask(open, null) : await LastReportAsync(key, cancellationToken);

    private TurnReply Ask(MockState mock, string? lead)
    {
        var question = Current(mock);
        var where = mock.FollowUp is null
            ? $"Question {mock.Position + 1} of {mock.Questions.Count}:"
            : $"Follow-up to question {mock.Position + 1} of {mock.Questions.Count}:";
        var intro = lead is null || lead == where ? where : lead + "\n" + where;
        return new TurnReply
        {
            Kind = TurnReplyKind.Question,
            Text = $"{intro}\n{question.Text}",
            Question = new ReportNextQuestion(question.Id, question.Text),
            InMockInterview = true,
            MockStep = new MockStep(mock.Position + 1, mock.Questions.Count, mock.FollowUp is not null),
        };
    }

    private static MockStep Step(MockState mock) => new(mock.Position + 1, mock.Questions.Count, mock.FollowUp is not null);

    private async Task<bool> AnsweredAsync(string? idempotencyKey, CancellationToken cancellationToken) =>
        idempotencyKey is not null && await store.AnsweredAsync(idempotencyKey, cancellationToken);

    private Task StoreAsync(
        SessionKey key, MockState mock, Question question, CoachingReport? report, string? idempotencyKey, MockState next, CancellationToken cancellationToken) =>
        store.StoreAnswerAsync(key, mock, question, report, idempotencyKey, next, time.GetUtcNow(), cancellationToken);

    private async Task<TurnReply> FinishAsync(SessionKey key, MockState mock, CancellationToken cancellationToken)
    {
        var stored = await store.AnswersAsync(mock.Id, cancellationToken);
        var now = time.GetUtcNow();
        var previous = await store.FinishedBeforeAsync(key, mock.Id, cancellationToken);
        var asked = stored.Select(a => a.Position).Distinct().Count();
        var card = MockReportCards.Build(mock.Id, mock.Title, asked, stored, previous, now);
        await store.FinishAsync(mock.Id, card, now, cancellationToken);
        Log.MockFinished(logger, mock.Id, card.Readiness, card.Answered, card.Skipped, card.FollowUps);
        return Card(card);
    }

    /// <summary>
    /// Bank questions for a role: categories taken in turn (behavioral, technical, situational, motivation) so the
    /// interview mixes them, the role's own questions before general ones, in an order of the user's own.
    /// </summary>
    private List<Question> FromBank(SessionKey key, string role, int count)
    {
        var salt = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var queues = CategoryOrder
            .Select(c => new Queue<Question>(bank.Filter(role, c)
                .OrderBy(q => q.Role == role ? 0 : 1)
                .ThenBy(q => Hash($"{key}|{salt}|{q.Id}"))))
            .Where(q => q.Count > 0)
            .ToList();
        var chosen = new List<Question>();
        while (chosen.Count < count && queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
            {
                if (chosen.Count < count)
                {
                    chosen.Add(queue.Dequeue());
                }
            }
        }

        return chosen;
    }

    /// <summary>Evenly spaced questions of the plan, so a short interview still spans its categories.</summary>
    private static IEnumerable<PlanQuestion> Spread(IReadOnlyList<PlanQuestion> questions, int count) =>
        count >= questions.Count ? questions : Enumerable.Range(0, count).Select(i => questions[i * questions.Count / count]);

    private static ulong Hash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
