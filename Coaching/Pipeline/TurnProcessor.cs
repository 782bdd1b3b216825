using System.Globalization;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Pipeline;

/// <summary>Turns a queued turn (answer, command or card action) into a reply. Channel-neutral.</summary>
public interface ITurnProcessor
{
    /// <summary>Processes the turn and returns the reply to send.</summary>
    Task<TurnReply> ProcessAsync(CoachingTurn turn, CancellationToken cancellationToken);
}

/// <summary>
/// The chat commands every channel shares: <c>start [role]</c>, <c>next</c>, <c>hint</c>, <c>repeat</c>,
/// <c>progress</c>, <c>role &lt;name&gt;</c>, <c>difficulty &lt;1-3|any&gt;</c>, <c>help</c>, <c>forget me</c>, and
/// <c>mock start|stop|report</c> (while a mock interview is open, answers, skip, next and repeat go to it).
/// </summary>
internal sealed class TurnProcessor(TurnAnswers answers, IPracticeSessions sessions, IQuestionBank bank, GroupTurns groups, MockInterviews? mocks = null, Plans.PlanChat? planChat = null) : ITurnProcessor
{
    public const string HelpText =
        "I'm CoachBot, your interview practice coach. Answer the question I ask by typing or with a voice note, and I'll score it and tell you what to improve. " +
        "I also make interview plans from your résumé and a job description, and run mock interviews that end with a report card.\n" +
        "Commands: start [role] · next · hint · repeat · progress · role <name> · difficulty <1-3|any> · forget me · help\n" +
        "Interview plan: send your résumé file here and paste the job as plan job: <the posting> (either order) · plan show · plan regenerate · plan skip <n>\n" +
        "Mock interview: mock start [plan|role] [questions=N] asks 1–12 questions in a row (5 by default) with follow-ups, holds the feedback and ends with a report card · skip · mock stop · mock report\n" +
        "Roles: software-engineer, ai-engineer, data-analyst, product-manager, engineering-manager, designer, sales, customer-support, general.";

    /// <summary>What "forget me" deletes, asked before it does.</summary>
    public const string ForgetPrompt =
        "This deletes your practice history and scores, your mock interviews and report cards, your interview plans and the facts kept from your résumé, " +
        "and your settings in this workspace. It cannot be undone. Reply “forget me confirm” (or press the button below) to go ahead.";

    public async Task<TurnReply> ProcessAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var key = SessionKey.For(turn.Channel, turn.TenantId, turn.UserId);
        if (turn.RoundId is not null)
        {
            return await groups.InRoundAsync(turn, key, cancellationToken);
        }

        if (turn.Document is not null && planChat is not null)
        {
            return await planChat.DocumentAsync(turn, key, cancellationToken);
        }

        var said = turn.Intent == TurnIntent.CardAction ? turn.Action : turn.Text;
        if (turn.Intent != TurnIntent.Answer && planChat is not null && Split(said) is ("plan", _))
        {
            // Keeps the original text: a pasted job description is read as written.
            return await planChat.CommandAsync(turn, key, said!.Trim().TrimStart('/'), cancellationToken);
        }

        if (turn.Intent != TurnIntent.Answer && Split(said) is ("group", _))
        {
            // Keeps the original case: time zone names are case-sensitive.
            var raw = said!.Trim().TrimStart('/');
            return await groups.CommandAsync(turn, raw.Length > "group".Length ? raw["group".Length..].Trim() : string.Empty, cancellationToken);
        }

        return turn.Intent switch
        {
            TurnIntent.Answer => await AnswerAsync(turn, key, cancellationToken),
            TurnIntent.CardAction => await CommandAsync(turn, key, turn.Action ?? string.Empty, turn.QuestionId, cancellationToken),
            _ => await CommandAsync(turn, key, turn.Text ?? string.Empty, turn.QuestionId, cancellationToken),
        };
    }

    private async Task<TurnReply> AnswerAsync(CoachingTurn turn, SessionKey key, CancellationToken cancellationToken)
    {
        if (mocks is not null && await mocks.ActiveAsync(key, cancellationToken) is { } mock)
        {
            if (turn.Audio is null && IsYes(turn.Text) && await sessions.TakeShortAnswerAsync(key, cancellationToken) is { } heldForMock)
            {
                return await mocks.AnswerAsync(turn with { Text = heldForMock }, key, mock, confirmed: true, cancellationToken);
            }

            return await mocks.AnswerAsync(turn, key, mock, confirmed: false, cancellationToken);
        }

        var request = new AnswerRequest(key, turn.Text) { QuestionId = turn.QuestionId, IdempotencyKey = turn.IdempotencyKey };
        if (turn.Audio is null && IsYes(turn.Text) && await sessions.TakeShortAnswerAsync(key, cancellationToken) is { } held)
        {
            // "Yes, that was my answer": coach the short answer held for confirmation.
            var confirmed = await answers.CoachAsync(turn with { Text = held }, request with { Text = held, Confirmed = true }, cancellationToken);
            return await ReplyAsync(confirmed, key, cancellationToken);
        }

        var outcome = await answers.CoachAsync(turn, request, cancellationToken);
        if (outcome.NotAnAnswer is { Kind: NonAnswerKind.TooShort } shortAnswer && turn.Audio is null)
        {
            await sessions.HoldShortAnswerAsync(key, shortAnswer.Text, cancellationToken);
        }

        return await ReplyAsync(outcome, key, cancellationToken);
    }

    private async Task<TurnReply> ReplyAsync(CoachingOutcome outcome, SessionKey key, CancellationToken cancellationToken)
    {
        if (outcome.Report is { } report)
        {
            return new TurnReply { Kind = TurnReplyKind.Report, Text = Summary(report), Report = report };
        }

        if (outcome.NotAnAnswer is { } notAnswer)
        {
            return NotAnAnswerReply(notAnswer);
        }

        if (outcome.Error!.Code == "no_question")
        {
            // Someone who writes before a session started gets a first question rather than an error.
            var first = await sessions.NextQuestionAsync(key, cancellationToken);
            return Ask(first, "Let's practise! Here is your first question. Answer it in one message, as you would out loud.");
        }

        return TurnReply.Failure(outcome.Error.Code, outcome.Error.Message);
    }

    /// <summary>
    /// The reply to a message that was not an answer, on every channel: the question again (skip, repeat, gibberish,
    /// too short), or its hint points ("I don't know", a question to the coach). Nothing was stored; the session stays.
    /// </summary>
    internal static TurnReply NotAnAnswerReply(NotAnAnswer notAnswer) =>
        notAnswer.Kind is NonAnswerKind.DontKnow or NonAnswerKind.QuestionToCoach
            ? new TurnReply
            {
                Kind = TurnReplyKind.Hint,
                Text = $"{notAnswer.Message}\n{notAnswer.Question.Text}\n" +
                       string.Join("\n", notAnswer.Hints.Select(h => "• " + h)),
                Question = new ReportNextQuestion(notAnswer.Question.Id, notAnswer.Question.Text),
                Points = notAnswer.Hints,
            }
            : Ask(notAnswer.Question, notAnswer.Message);

    private static bool IsYes(string? text) =>
        (text ?? string.Empty).Trim().TrimEnd('.', '!').ToLowerInvariant() is "yes" or "y" or "yes please" or "yep" or "yeah" or "coach it" or "yes, coach it";

    private async Task<TurnReply> CommandAsync(CoachingTurn turn, SessionKey key, string text, string? questionId, CancellationToken cancellationToken)
    {
        var (verb, argument) = Split(text);
        if (mocks is not null && verb is "mock")
        {
            var (sub, rest) = Split(argument);
            return sub switch
            {
                "start" => await mocks.StartAsync(key, rest, cancellationToken),
                "stop" or "end" => await mocks.StopAsync(key, cancellationToken),
                "report" => await mocks.LastReportAsync(key, cancellationToken),
                "skip" when await mocks.ActiveAsync(key, cancellationToken) is { } skipped => await mocks.SkipAsync(key, skipped, turn.IdempotencyKey, cancellationToken),
                "skip" => TurnReply.Failure("no_mock", "There is no mock interview going on, so there is nothing to skip. " + MockInterviews.Usage),
                _ => new TurnReply { Kind = TurnReplyKind.Text, Text = MockInterviews.Usage },
            };
        }

        if (mocks is not null && verb is "next" or "repeat" or "retry" or "hint" or "start"
            && await mocks.ActiveAsync(key, cancellationToken) is { } mock)
        {
            // A mock interview is open: its questions come one after another, as in a real interview.
            var asked = mocks.Current(mock);
            return verb switch
            {
                "next" when questionId is null || questionId == asked.Id => await mocks.SkipAsync(key, mock, turn.IdempotencyKey, cancellationToken),
                "hint" => new TurnReply { Kind = TurnReplyKind.Text, Text = "There are no hints in a mock interview, as in a real one. Answer as best you can, or say “skip” to move on." },
                "start" => new TurnReply { Kind = TurnReplyKind.Text, Text = "You are in a mock interview. Answer its question, say “skip”, or “mock stop” to end it and get the report card." },
                _ => mocks.Repeat(mock),
            };
        }

        switch (verb)
        {
            case "start":
                if (argument.Length > 0)
                {
                    if (Roles.Resolve(argument) is not { } startRole)
                    {
                        return UnknownRole(argument);
                    }

                    await sessions.SetRoleAsync(key, startRole, cancellationToken);
                }

                var session = await sessions.GetAsync(key, cancellationToken);
                return Ask(await sessions.NextQuestionAsync(key, cancellationToken),
                    $"Practising for {session.Role}{(session.Difficulty is { } d ? $" at difficulty {d}" : string.Empty)}. Here is your question:");

            case "next":
                // A button says which question it was shown with: "next after Q". When the open question is already
                // another one (the report card offered it), ask that one instead of skipping it unseen.
                if (questionId is not null
                    && (await sessions.GetAsync(key, cancellationToken)).CurrentQuestionId is { } open
                    && open != questionId
                    && bank.Find(open) is { } offered)
                {
                    return Ask(offered, "Next question:");
                }

                return Ask(await sessions.NextQuestionAsync(key, cancellationToken), "Next question:");

            case "retry":
            case "repeat":
                var again = questionId is not null ? bank.Find(questionId) : await CurrentAsync(key, cancellationToken);
                if (again is null)
                {
                    return Ask(await sessions.NextQuestionAsync(key, cancellationToken), "There was no open question, so here is a new one:");
                }

                await sessions.SetCurrentQuestionAsync(key, again, cancellationToken);
                return Ask(again, verb == "retry" ? "Try this one again:" : "Here is your question again:");

            case "hint":
                var current = questionId is not null ? bank.Find(questionId) : await CurrentAsync(key, cancellationToken);
                if (current is null)
                {
                    return TurnReply.Failure("no_question", "There is no open question yet. Say “start” and I'll ask you one.");
                }

                return new TurnReply
                {
                    Kind = TurnReplyKind.Hint,
                    Text = $"Hint for “{current.Text}”: a strong answer covers " +
                           string.Join("; ", current.Rubric.Select(r => char.ToLowerInvariant(r.Point[0]) + r.Point[1..].TrimEnd('.'))) + ".",
                    Question = new ReportNextQuestion(current.Id, current.Text),
                    Points = [.. current.Rubric.Select(r => r.Point)],
                };

            case "progress":
                var progress = await sessions.GetProgressAsync(key, cancellationToken);
                return new TurnReply { Kind = TurnReplyKind.Progress, Text = ProgressText(progress), Progress = progress };

            case "role":
                if (Roles.Resolve(argument) is not { } role)
                {
                    return UnknownRole(argument);
                }

                await sessions.SetRoleAsync(key, role, cancellationToken);
                return new TurnReply { Kind = TurnReplyKind.Text, Text = $"Role set to {role}. Say “next” for a {role} question." };

            case "difficulty":
                int? level = argument is "any" or "all" ? null
                    : int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 3 ? n : -1;
                if (level == -1)
                {
                    return TurnReply.Failure("bad_difficulty", "Difficulty is 1 (common questions), 2, 3 (senior, hard) or “any”. For example: difficulty 2");
                }

                await sessions.SetDifficultyAsync(key, level, cancellationToken);
                return new TurnReply { Kind = TurnReplyKind.Text, Text = level is null ? "Difficulty cleared: questions of every level." : $"Difficulty set to {level}." };

            case "forget":
            case "forget-me":
                if (argument is "confirm" or "me confirm")
                {
                    var removed = await sessions.ForgetAsync(key, cancellationToken);
                    removed += await groups.ForgetAsync(turn, key, cancellationToken);
                    return new TurnReply
                    {
                        Kind = TurnReplyKind.Text,
                        Text = $"Done: I deleted your practice history, mock interviews, interview plans and settings here ({removed} records).",
                        Forgotten = true,
                    };
                }

                return new TurnReply { Kind = TurnReplyKind.Confirm, Text = ForgetPrompt };

            case "help":
                return new TurnReply { Kind = TurnReplyKind.Text, Text = HelpText };

            default:
                return TurnReply.Failure("unknown_command", $"I don't know the command “{text.Trim()}”.\n{HelpText}");
        }
    }

    private async Task<Question?> CurrentAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(key, cancellationToken);
        return session.CurrentQuestionId is null ? null : bank.Find(session.CurrentQuestionId);
    }

    internal static TurnReply Ask(Question question, string lead) => new()
    {
        Kind = TurnReplyKind.Question,
        Text = $"{lead}\n{question.Text}",
        Question = new ReportNextQuestion(question.Id, question.Text),
    };

    private static TurnReply UnknownRole(string value) => TurnReply.Failure("unknown_role",
        $"I don't know the role “{value}”. Roles: {string.Join(", ", Roles.All)}.");

    internal static (string Verb, string Argument) Split(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim().TrimStart('/').ToLowerInvariant();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (trimmed, string.Empty) : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }

    internal static string Summary(CoachingReport report) =>
        (report.Headline is { } headline ? headline.Text + " " : string.Empty) +
        $"Overall {report.Overall}/100 on “{report.Question.Text}”. " +
        (report.Improvements.Count > 0 ? $"Top improvement: {report.Improvements[0].Title}. " : string.Empty) +
        (report.NextQuestion is { } next ? $"Next question: {next.Text}" : string.Empty);

    internal static string ProgressText(ProgressSummary progress) =>
        (progress.Attempts == 0
            ? progress.Mocks.Count == 0 ? "No coached answers yet. Say “start” to practise." : "No single practice questions answered yet."
            : $"{progress.Attempts} answers coached, average {progress.AverageOverall}/100, trend {progress.Trend.Direction}" +
              (progress.Trend.Change is { } c ? $" ({c.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture)} over the last {progress.Trend.Window})" : string.Empty) +
              $". Weakest: {progress.WeakestDimension}.") +
        (progress.Mocks.Count == 0 ? string.Empty : " " + MockProgressText(progress.Mocks));

    /// <summary>The mock interviews line of a progress reply: how many, the newest readiness and its change on the one before.</summary>
    internal static string MockProgressText(IReadOnlyList<MockSummary> mocks)
    {
        var last = mocks[0];
        // Like with like: the change is on the one before of the same role or plan, never across roles.
        var before = mocks.Skip(1).FirstOrDefault(m => string.Equals(m.Title, last.Title, StringComparison.Ordinal));
        var change = before is null ? (int?)null : last.Readiness - before.Readiness;
        return $"Mock interviews: {mocks.Count}{(mocks.Count == 10 ? "+" : string.Empty)}, the last one ({last.Title}) readiness {last.Readiness}/100" +
               (change is { } d ? $" ({d.ToString("+0;-0;0", CultureInfo.InvariantCulture)} on your {last.Title} interview before)" : string.Empty) + ".";
    }
}
