using System.Globalization;
using System.Text;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Groups;

/// <summary>
/// The group practice commands: starting rounds (<c>group [role] [questions=N] [deadline=30m]</c>), channel settings
/// (<c>group feedback public|private</c>, <c>group schedule 09:30 [role] [tz=Europe/Berlin]</c>, <c>group schedule off</c>),
/// and everything said in a round's thread: answers, <c>share</c>, and the facilitator's <c>next</c>, <c>wrap</c>, <c>remind</c>.
/// </summary>
internal sealed class GroupTurns(IGroupRounds rounds, TurnAnswers answers, IQuestionBank bank, IOptions<GroupOptions> options, TimeProvider time)
{
    public const string HelpText =
        "Group practice: “group [role] [questions=N] [deadline=2h]” starts a round here. Everyone answers in the round's thread, by text or voice, and gets feedback privately.\n" +
        "In the thread: “share” lets me quote your best line in the summary. The facilitator can say “next”, “remind” (once) or “wrap”.\n" +
        "Channel settings: “group feedback public|private”, “group schedule 09:30 [role] [tz=Europe/London]” for a question every working day, “group schedule off”.";

    public async Task<TurnReply> CommandAsync(CoachingTurn turn, string argument, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(argument);

        // Keywords and roles in lower case; a time zone keeps its case (tz=Europe/London).
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.StartsWith("tz=", StringComparison.OrdinalIgnoreCase) ? "tz=" + w[3..] : w.ToLowerInvariant())
            .ToArray();
        if (turn.IsDirect && words.FirstOrDefault() != "help")
        {
            return TurnReply.Failure("group_in_direct",
                "Group practice runs in a channel or group chat: add me there and say “group start”; everyone answers in the round's thread. Here, say “start” to practise on your own.");
        }

        switch (words.FirstOrDefault())
        {
            case "feedback":
                return await FeedbackAsync(turn, words.Skip(1).FirstOrDefault(), cancellationToken);
            case "schedule":
                return await ScheduleAsync(turn, [.. words.Skip(1)], cancellationToken);
            case "help":
                return Text(HelpText);
            case "start":
                return await StartAsync(turn, [.. words.Skip(1)], cancellationToken);
            default:
                return await StartAsync(turn, words, cancellationToken);
        }
    }

    public async Task<TurnReply> InRoundAsync(CoachingTurn turn, SessionKey key, CancellationToken cancellationToken)
    {
        if (await rounds.GetAsync(turn.RoundId!.Value, cancellationToken) is not { } round)
        {
            return TurnReply.Failure("no_round", "I can't find that practice round any more.");
        }

        var (verb, _) = TurnProcessor.Split(turn.Intent == TurnIntent.CardAction ? turn.Action : turn.Text);
        if (turn.Audio is null && (turn.Intent == TurnIntent.CardAction || ChatCommands.IsRoundCommand(turn.Text)))
        {
            return verb switch
            {
                "share" => await ShareAsync(round, key, cancellationToken),
                "help" => Text(HelpText),
                _ when !IsFacilitator(turn, round) => TurnReply.Failure("not_facilitator",
                    $"Only the facilitator (<@{round.FacilitatorId}>) or an admin can say “{verb}” in this round."),
                "next" => await NextAsync(round, cancellationToken),
                "remind" => await RemindAsync(round, cancellationToken),
                _ => await WrapAsync(round, cancellationToken),
            };
        }

        if (turn.Intent != TurnIntent.Answer)
        {
            return TurnReply.Failure("unknown_command", "In a round's thread, answer the question, or say “share”; the facilitator can say “next”, “remind” or “wrap”.");
        }

        if (round.Wrapped)
        {
            return TurnReply.Failure("round_closed", "This round is wrapped up, so I didn't coach that answer. Say “start” in a direct message to practise on your own.");
        }

        // Coached like a personal answer, and counted in the member's progress, but the round decides the question.
        var outcome = await answers.CoachAsync(
            turn,
            new AnswerRequest(key, turn.Text) { QuestionId = round.CurrentQuestionId, IdempotencyKey = turn.IdempotencyKey, KeepSessionQuestion = true },
            cancellationToken);
        if (outcome.NotAnAnswer is { } notAnswer)
        {
            // Not an answer: nothing counted in the round; the member gets the question (or its points) again.
            return TurnProcessor.NotAnAnswerReply(notAnswer with
            {
                Message = notAnswer.Kind == Scoring.NonAnswerKind.TooShort
                    ? "That's too short for me to judge, so it wasn't counted in the round. Reply in the thread with your full answer (most answers take one to two minutes):"
                    : notAnswer.Message,
            });
        }

        if (outcome.Report is not { } report)
        {
            return TurnReply.Failure(outcome.Error!.Code, outcome.Error.Message);
        }

        var count = await rounds.RecordAnswerAsync(round.Id, new GroupAnswer(key.UserKey, turn.UserId, round.CurrentIndex, report), turn.IdempotencyKey, cancellationToken);
        var isPublic = await rounds.IsFeedbackPublicAsync(round.Channel, round.ConversationId, cancellationToken);
        return new TurnReply
        {
            Kind = TurnReplyKind.Report,
            Text = $"Overall {report.Overall}/100 on “{report.Question.Text}”." + (report.Improvements.Count > 0 ? $" Top improvement: {report.Improvements[0].Title}." : string.Empty),
            Report = report,
            Group = View(round) with { PublicFeedback = isPublic, AnswerCount = count },
        };
    }

    /// <summary>Removes a member's round answers and quote consents (their "forget me").</summary>
    public Task<int> ForgetAsync(CoachingTurn turn, SessionKey key, CancellationToken cancellationToken) =>
        rounds.ForgetMemberAsync(turn.Channel, key.UserKey, turn.UserId, cancellationToken);

    private async Task<TurnReply> StartAsync(CoachingTurn turn, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var role = "general";
        var count = 1;
        var deadline = TimeSpan.FromHours(options.Value.DefaultDeadlineHours);
        foreach (var word in words)
        {
            if (word.StartsWith("questions=", StringComparison.Ordinal))
            {
                if (!int.TryParse(word["questions=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > options.Value.MaxQuestions)
                {
                    return TurnReply.Failure("bad_group", $"questions= takes a number from 1 to {options.Value.MaxQuestions}, for example questions=2.");
                }
            }
            else if (word.StartsWith("deadline=", StringComparison.Ordinal))
            {
                if (ParseDuration(word["deadline=".Length..]) is not { } parsed)
                {
                    return TurnReply.Failure("bad_group", "deadline= takes a duration from 1m to 14d, for example deadline=30m, deadline=2h or deadline=1d.");
                }

                deadline = parsed;
            }
            else if (Roles.Resolve(word) is { } resolved)
            {
                role = resolved;
            }
            else
            {
                return TurnReply.Failure("bad_group", $"I don't understand “{word}”. {HelpText.Split('\n')[0]} Roles: {string.Join(", ", Roles.All)}.");
            }
        }

        var round = await rounds.StartAsync(
            new NewGroupRound(turn.Channel, turn.TenantId, turn.ConversationId, turn.UserId, role, count, time.GetUtcNow().Add(deadline), TurnRouting.Durable(turn.Reply)),
            cancellationToken);
        return RoundCard(round, $"Group practice started by <@{turn.UserId}>.");
    }

    private async Task<TurnReply> NextAsync(GroupRound round, CancellationToken cancellationToken)
    {
        if (round.Wrapped)
        {
            return TurnReply.Failure("round_closed", "This round is already wrapped up.");
        }

        if (await rounds.AdvanceAsync(round.Id, cancellationToken) is not { } moved)
        {
            return TurnReply.Failure("no_more_questions", $"That was the round's last question ({round.QuestionIds.Count}). Say “wrap” to post the summary.");
        }

        return RoundCard(moved, $"Question {moved.CurrentIndex + 1} of {moved.QuestionIds.Count}.");
    }

    private async Task<TurnReply> RemindAsync(GroupRound round, CancellationToken cancellationToken)
    {
        if (round.Wrapped)
        {
            return TurnReply.Failure("round_closed", "This round is already wrapped up.");
        }

        if (!await rounds.MarkRemindedAsync(round.Id, cancellationToken))
        {
            return TurnReply.Failure("already_reminded", "I already reminded everyone for this question; I nudge only once.");
        }

        var answered = (await rounds.AnswersAsync(round.Id, cancellationToken))
            .Where(a => a.Ordinal == round.CurrentIndex).Select(a => a.UserId).Distinct(StringComparer.Ordinal).ToList();
        var question = Question(round);
        return new TurnReply
        {
            Kind = TurnReplyKind.GroupReminder,
            Text = $"Reminder: the round's question is still open until {Deadline(round.Deadline)}: “{question.Text}” Reply in this thread by text or voice.",
            Question = question,
            Group = View(round) with { Answered = answered },
        };
    }

    private async Task<TurnReply> WrapAsync(GroupRound round, CancellationToken cancellationToken)
    {
        var (summary, _) = await rounds.WrapAsync(round.Id, cancellationToken);
        return new TurnReply
        {
            Kind = TurnReplyKind.GroupSummary,
            Text = SummaryText(summary),
            Group = View(round with { Wrapped = true }) with { Summary = summary },
        };
    }

    private async Task<TurnReply> ShareAsync(GroupRound round, SessionKey key, CancellationToken cancellationToken)
    {
        if (round.Wrapped)
        {
            return TurnReply.Failure("round_closed", "This round is already wrapped up; its summary is posted.");
        }

        await rounds.ConsentToHighlightAsync(round.Id, key.UserKey, cancellationToken);
        return Text("Thanks: the round's summary may quote your best line, with your name.");
    }

    private async Task<TurnReply> FeedbackAsync(CoachingTurn turn, string? setting, CancellationToken cancellationToken)
    {
        if (setting is not ("public" or "private"))
        {
            var current = await rounds.IsFeedbackPublicAsync(turn.Channel, turn.ConversationId, cancellationToken);
            return Text($"Feedback in this channel's rounds is {(current ? "public (posted in the thread)" : "private (sent to each member)")}. An admin can change it: “group feedback public” or “group feedback private”.");
        }

        if (!turn.SenderIsAdmin)
        {
            return TurnReply.Failure("not_admin", "Only a workspace or team admin can change where round feedback goes.");
        }

        await rounds.SetFeedbackPublicAsync(turn.Channel, turn.ConversationId, setting == "public", cancellationToken);
        return Text(setting == "public"
            ? "From now on, feedback on round answers in this channel is posted in the round's thread for everyone."
            : "From now on, feedback on round answers in this channel goes to each member privately.");
    }

    private async Task<TurnReply> ScheduleAsync(CoachingTurn turn, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var existing = await rounds.GetScheduleAsync(turn.Channel, turn.ConversationId, cancellationToken);
        if (words.Count == 0)
        {
            return Text(existing is null
                ? "This channel has no question of the day. Set one with “group schedule 09:30 [role] [tz=Europe/London]”."
                : $"Question of the day: every working day at {existing.LocalTime:HH\\:mm} ({existing.TimeZone}), {existing.Role} questions, set by <@{existing.CreatedBy}>. Next: {Deadline(existing.NextRunAt)}.");
        }

        if (existing is not null && existing.CreatedBy != turn.UserId && !turn.SenderIsAdmin)
        {
            return TurnReply.Failure("not_facilitator", $"Only <@{existing.CreatedBy}>, who set this channel's schedule, or an admin can change it.");
        }

        if (words[0] == "off")
        {
            return await rounds.RemoveScheduleAsync(turn.Channel, turn.ConversationId, cancellationToken)
                ? Text("Question of the day turned off for this channel.")
                : Text("This channel had no question of the day.");
        }

        if (!TimeOnly.TryParseExact(words[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return TurnReply.Failure("bad_schedule", "Give the time as HH:mm, for example “group schedule 09:30 tz=Europe/London”.");
        }

        var role = "general";
        var zone = TimeZoneInfo.Utc;
        foreach (var word in words.Skip(1))
        {
            if (word.StartsWith("tz=", StringComparison.Ordinal))
            {
                if (!TimeZoneInfo.TryFindSystemTimeZoneById(word[3..], out var found))
                {
                    return TurnReply.Failure("bad_schedule", $"I don't know the time zone “{word[3..]}”. Use an IANA name such as Europe/London or America/New_York.");
                }

                zone = found;
            }
            else if (Roles.Resolve(word) is { } resolved)
            {
                role = resolved;
            }
            else
            {
                return TurnReply.Failure("bad_schedule", $"I don't understand “{word}”. Example: group schedule 09:30 software-engineer tz=Europe/London");
            }
        }

        var schedule = new GroupSchedule
        {
            Channel = turn.Channel,
            ConversationId = turn.ConversationId,
            TenantId = turn.TenantId,
            CreatedBy = turn.UserId,
            LocalTime = at,
            TimeZone = zone.Id,
            Role = role,
            Routing = TurnRouting.Durable(turn.Reply),
            NextRunAt = GroupSchedules.NextRun(at, zone, time.GetUtcNow()),
        };
        await rounds.SetScheduleAsync(schedule, cancellationToken);
        return Text($"Question of the day set: every working day (Monday to Friday) at {at:HH\\:mm} {zone.Id}, a {role} question. The first one comes {Deadline(schedule.NextRunAt)}.");
    }

    private static bool IsFacilitator(CoachingTurn turn, GroupRound round) => turn.SenderIsAdmin || turn.UserId == round.FacilitatorId;

    private TurnReply RoundCard(GroupRound round, string lead)
    {
        var question = Question(round);
        return new TurnReply
        {
            Kind = TurnReplyKind.GroupRound,
            Text = $"{lead}\n{question.Text}\nReply in this thread by text or voice before {Deadline(round.Deadline)}; I'll send you feedback privately.",
            Question = question,
            Group = View(round),
        };
    }

    private ReportNextQuestion Question(GroupRound round)
    {
        var question = bank.Find(round.CurrentQuestionId);
        return new ReportNextQuestion(round.CurrentQuestionId, question?.Text ?? round.CurrentQuestionId);
    }

    private GroupReply View(GroupRound round) => new()
    {
        RoundId = round.Id,
        ThreadId = round.ThreadId,
        Question = Question(round),
        QuestionNumber = round.CurrentIndex + 1,
        QuestionCount = round.QuestionIds.Count,
        Deadline = round.Deadline,
        FacilitatorId = round.FacilitatorId,
        Role = round.Role,
    };

    private static TurnReply Text(string text) => new() { Kind = TurnReplyKind.Text, Text = text };

    private static string Deadline(DateTimeOffset at) => at.UtcDateTime.ToString("ddd d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Parses 45m, 2h, 1d or a bare number of minutes, between one minute and 14 days.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var unit = char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'm';
        var digits = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        long? minutesPerUnit = unit switch { 'm' => 1, 'h' => 60, 'd' => 24 * 60, _ => null };
        if (minutesPerUnit is null || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 14 * 24 * 60)
        {
            return null;
        }

        // Checked in whole minutes before a TimeSpan is made, so a huge number is refused instead of overflowing.
        var minutes = n * minutesPerUnit.Value;
        return minutes is >= 1 and <= 14 * 24 * 60 ? TimeSpan.FromMinutes(minutes) : null;
    }

    internal static string SummaryText(GroupSummary summary)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Round wrapped up: {summary.Participants.Count} participants, {summary.Answers} answers");
        if (summary.AverageOverall is { } average)
        {
            text.Append(CultureInfo.InvariantCulture, $", average {average:0.0}/100");
        }

        text.Append('.');
        if (summary.CommonStrengths.Count > 0)
        {
            text.Append(" Common strengths: ").AppendJoin("; ", summary.CommonStrengths.Select(s => s.Title)).Append('.');
        }

        if (summary.CommonImprovements.Count > 0)
        {
            text.Append(" To work on: ").AppendJoin("; ", summary.CommonImprovements.Select(s => s.Title)).Append('.');
        }

        return text.ToString();
    }
}
