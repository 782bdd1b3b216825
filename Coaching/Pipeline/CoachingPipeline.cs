using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Text;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Pipeline;

/// <summary>Coaches one answer: scores it, writes advice, records the attempt and picks the next question.</summary>
public interface ICoachingPipeline
{
    /// <summary>Coaches a typed answer (or a transcript).</summary>
    Task<CoachingOutcome> CoachAsync(AnswerRequest request, CancellationToken cancellationToken);
}

/// <summary>An answer to coach.</summary>
/// <param name="Session">Whose answer.</param>
/// <param name="Text">The answer.</param>
public sealed record AnswerRequest(SessionKey Session, string? Text)
{
    /// <summary>A bank question id; otherwise <see cref="QuestionText"/>, otherwise the session's current question.</summary>
    public string? QuestionId { get; init; }

    /// <summary>A question outside the bank.</summary>
    public string? QuestionText { get; init; }

    /// <summary>The role for a question outside the bank.</summary>
    public string? Role { get; init; }

    /// <summary>Coach the text even when it is short (the user confirmed "yes, this is my answer").</summary>
    public bool Confirmed { get; init; }

    /// <summary>Makes recording the attempt idempotent (the platform event id).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A local recording of the answer; when set, it is transcribed and <see cref="AnswerRequest.Text"/> is ignored.</summary>
    public string? AudioPath { get; init; }

    /// <summary>
    /// Records the attempt (it counts in the user's progress) but leaves the user's own practice session where it was,
    /// and offers no next question: a group round answer, where the round decides what comes next.
    /// </summary>
    public bool KeepSessionQuestion { get; init; }

    /// <summary>
    /// The question itself, when it is neither in the bank nor the session's (a plan's question, or a mock interview's
    /// follow-up). Takes precedence over <see cref="QuestionId"/> and <see cref="QuestionText"/>.
    /// </summary>
    public Question? Question { get; init; }

    /// <summary>
    /// Scores the answer for a mock interview: nothing is recorded as a practice attempt and the session does not move;
    /// the mock interview keeps the report and holds the feedback until its end.
    /// </summary>
    public bool ForMockInterview { get; init; }
}

/// <summary>A report, or an error that tells the user why the answer could not be coached.</summary>
public sealed record CoachingOutcome
{
    /// <summary>The report, when coaching succeeded.</summary>
    public CoachingReport? Report { get; init; }

    /// <summary>The error, when it did not.</summary>
    public CoachingError? Error { get; init; }

    /// <summary>
    /// Set when the message was not an answer (skip, "repeat the question", "I don't know", a question to the coach,
    /// gibberish, too short): nothing was scored or stored and the session did not move.
    /// </summary>
    public NotAnAnswer? NotAnAnswer { get; init; }

    /// <summary>A successful outcome.</summary>
    public static CoachingOutcome Success(CoachingReport report) => new() { Report = report };

    /// <summary>A failed outcome.</summary>
    public static CoachingOutcome Failure(string code, string message) => new() { Error = new CoachingError(code, message) };
}

/// <summary>A message that was not (yet) an answer to the question.</summary>
/// <param name="Kind">What it asks for.</param>
/// <param name="Question">The question it was sent for.</param>
/// <param name="Text">The message itself (kept only until the user confirms a short answer).</param>
/// <param name="Message">What to tell the user.</param>
public sealed record NotAnAnswer(NonAnswerKind Kind, Question Question, string Text, string Message)
{
    /// <summary>The question's hint points (rubric), for "I don't know" and questions to the coach.</summary>
    public IReadOnlyList<string> Hints => [.. Question.Rubric.Select(r => r.Point)];
}

internal sealed class CoachingPipeline(
    IQuestionBank bank,
    IContentScorer scorer,
    IAdviceWriter advice,
    IPracticeSessions sessions,
    IVoiceAnswers voice,
    ILogger<CoachingPipeline> logger,
    AdviceKnowledge? knowledge = null,
    QuestionTypeReader? types = null) : ICoachingPipeline
{
    public async Task<CoachingOutcome> CoachAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ForMockInterview && request.IdempotencyKey is { } retried &&
            await sessions.FindAttemptAsync(request.Session, retried, cancellationToken) is { } stored)
        {
            // The same platform event again (a retry): the same report, and the session does not move on twice.
            return CoachingOutcome.Success(stored);
        }

        if (request.AudioPath is null)
        {
            return await CoachTextAsync(request, null, cancellationToken);
        }

        VoiceAnswer spoken;
        try
        {
            spoken = await voice.ListenAsync(request.AudioPath, cancellationToken);
        }
        catch (AudioRejectedException ex)
        {
            Log.AudioRefused(logger, ex.Code, ex.Detail ?? "no detail");
            return CoachingOutcome.Failure(ex.Code, ex.Message);
        }

        return await CoachTextAsync(request with { Text = spoken.Transcript.Text }, spoken, cancellationToken);
    }

    private async Task<CoachingOutcome> CoachTextAsync(AnswerRequest request, VoiceAnswer? spoken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return CoachingOutcome.Failure("empty_answer",
                "Your answer is empty. Type your answer (or send a voice note) and I will coach it.");
        }

        if (TextDocument.Parse(request.Text).WordCount == 0)
        {
            return CoachingOutcome.Failure("no_words",
                "I could not find any words in your answer, only symbols or emoji. Type your answer in sentences, as you would say it to an interviewer.");
        }

        var warnings = new List<string>();
        Question question;
        if (request.Question is { } given)
        {
            question = given;
        }
        else if (request.QuestionId is { } id)
        {
            if (bank.Find(id) is not { } found)
            {
                return CoachingOutcome.Failure("unknown_question",
                    $"There is no question '{id}' in the bank. `questions list` shows the ids.");
            }

            question = found;
        }
        else if (!string.IsNullOrWhiteSpace(request.QuestionText))
        {
            question = types is null
                ? CustomQuestions.Create(request.QuestionText, request.Role, bank)
                : await CustomQuestions.CreateAsync(request.QuestionText, request.Role, bank, types, cancellationToken);
            var kind = QuestionTypes.Of(question).Name;
            // A bank question typed as the bank asks it is that question: nothing to warn about.
            if (question.RubricSource != "bank")
            {
                warnings.Add(question.RubricSource.StartsWith("closest:", StringComparison.Ordinal)
                    ? $"This question is not in the bank: I read it as a {kind} question, and its key points come from the bank question that asks the same thing: “{bank.Find(question.RubricSource["closest:".Length..])?.Text}” ({question.RubricSource["closest:".Length..]})."
                    : $"This question is not in the bank and no bank question asks the same thing: I read it as a {kind} question and listen for what a good answer to that kind of question has.");
            }
        }
        else
        {
            var session = await sessions.GetAsync(request.Session, cancellationToken);
            if (session.CurrentQuestionId is null || bank.Find(session.CurrentQuestionId) is not { } current)
            {
                return CoachingOutcome.Failure("no_question",
                    "There is no open question to answer yet. Start a practice session first and I will ask you one.");
            }

            question = current;
        }

        if (AnswerGate.Check(request.Text) is { } gated && !(request.Confirmed && gated.Kind == NonAnswerKind.TooShort))
        {
            Log.NotAnAnswer(logger, question.Id, gated.Kind.ToString());
            return new CoachingOutcome { NotAnAnswer = new NotAnAnswer(gated.Kind, question, request.Text, NonAnswerReplies.For(gated, spoken is not null)) };
        }

        var quality = spoken is null ? null : TranscriptQuality.Of(spoken.Transcript);
        var content = await scorer.ScoreAsync(question, request.Text, cancellationToken);
        warnings.AddRange(content.Warnings);
        var snippets = knowledge is null ? [] : await knowledge.ForAnswerAsync(question, content, cancellationToken);
        var written = await advice.WriteAsync(
            new AdviceRequest(question, content) { Delivery = spoken?.Delivery.Delivery, Emotions = spoken?.Delivery.Emotions, Knowledge = snippets },
            cancellationToken);
        var improvements = knowledge is null ? written.Improvements : await knowledge.PointersAsync(question, written.Improvements, cancellationToken);

        // Content scores as measured, or as blended with an LLM's view (never above the measured ones).
        var scores = written.Scores ?? content.Scores;
        var overall = written.Overall ?? content.Overall;
        var answer = new ReportAnswer(request.Text.Length > ContentScorer.MaxScoredCharacters ? request.Text[..ContentScorer.MaxScoredCharacters] : request.Text, "text", null);
        ReportHeadline? headline = content.OffTopic
            ? new ReportHeadline("off_topic", $"This answer does not address the question. It was: “{question.Text}”")
            : content.Hypothetical
                ? new ReportHeadline("hypothetical", "The question asks about something you did; this answer says what you would do.")
                : content.Concern is { } concern
                    ? new ReportHeadline("judgement", concern.Headline)
                    : null;
        var uncertain = false;
        if (spoken is not null)
        {
            var delivery = DeliveryScore.Score(spoken.Delivery.Delivery, request.Text);
            scores = [.. scores, delivery];
            overall = OverallScore.WithDelivery(overall, delivery.Score);
            uncertain = quality is { Reliable: false };
            answer = new ReportAnswer(request.Text, "voice", spoken.Delivery.Delivery.DurationSeconds)
            {
                Engine = spoken.Transcript.Engine,
                Words = spoken.Transcript.Words,
                Confidence = quality?.Confidence,
                Reliable = quality?.Reliable,
            };
            warnings.InsertRange(0, spoken.Warnings);
            if (uncertain)
            {
                headline = new ReportHeadline("unreliable_transcript", TranscriptQuality.Explain(spoken.Transcript.Engine, quality!.Confidence));
            }
        }

        var report = new CoachingReport
        {
            Question = new ReportQuestion(question.Id, question.Text, question.Role, question.Category, question.RubricSource) { Type = content.Type.Id },
            Answer = answer,
            Overall = overall,
            Scores = uncertain ? [.. scores.Select(d => d.Name == Dimensions.Delivery ? d : d with { Evidence = [] })] : scores,
            Delivery = spoken?.Delivery.Delivery,
            Emotions = spoken?.Delivery.Emotions,
            Strengths = uncertain ? [.. written.Strengths.Select(TranscriptQuality.WithoutQuote)] : written.Strengths,
            Improvements = uncertain ? [.. improvements.Select(i => i with { Evidence = string.Empty })] : improvements,
            MissedPoints = written.MissedPoints,
            VaguePoints = content.OffTopic ? [] : [.. content.Rubric.Where(r => r.Unclear && !r.Covered && !r.Unmatched).Select(r => r.Point.Point)],
            UncoveredPoints = [.. RuleBasedCoach.MissedPoints(content).Select(r => r.Point.Point)],
            ImprovedExample = uncertain ? null : written.ImprovedExample,
            Advice = written.Source,
            Warnings = warnings,
            References = [.. written.References.Concat(improvements.Select(i => i.Reference).OfType<ReportReference>()).Distinct()],
            Headline = headline,
            ContentUncertain = uncertain,
        };

        // Record the attempt before the session moves on: if anything fails in between, a retry of the same event finds
        // this attempt instead of scoring the answer against the next question; and the next question already
        // counts this answer's score when it prefers the user's weakest competencies.
        if (request.ForMockInterview)
        {
            Log.AnswerCoached(logger, question.Id, report.Overall, written.Source.Source, false);
            return CoachingOutcome.Success(report);
        }

        var recorded = await sessions.RecordAttemptAsync(request.Session, report, request.IdempotencyKey, cancellationToken);
        if (request.KeepSessionQuestion)
        {
            Log.AnswerCoached(logger, question.Id, report.Overall, written.Source.Source, recorded);
            return CoachingOutcome.Success(report);
        }

        // A user who never chose a role and answers one role's question (by its id, as the command line does) is
        // practising for that role: the next question comes from it, not from the general questions.
        if (question.Role != Roles.General && Roles.All.Contains(question.Role, StringComparer.Ordinal) &&
            (await sessions.GetAsync(request.Session, cancellationToken)).Role == Roles.General)
        {
            await sessions.SetRoleAsync(request.Session, question.Role, cancellationToken);
        }

        var next = await sessions.NextQuestionAsync(request.Session, cancellationToken);
        if (next.Id == question.Id)
        {
            // A question answered by its id was never asked by the session: the next one is never the one just answered.
            next = await sessions.NextQuestionAsync(request.Session, cancellationToken);
        }

        report = report with { NextQuestion = new ReportNextQuestion(next.Id, next.Text) };
        if (request.IdempotencyKey is { } eventKey)
        {
            await sessions.UpdateAttemptReportAsync(request.Session, eventKey, report, cancellationToken);
        }

        Log.AnswerCoached(logger, question.Id, report.Overall, written.Source.Source, recorded);
        return CoachingOutcome.Success(report);
    }
}
