using System.CommandLine;
using System.Text.Json;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Bot.Cli;

/// <summary>
/// <c>coachbot mock start|answer|skip|stop|report</c>: a mock interview on the command line, one verb per step. Each step
/// is the same turn a chat sends (<c>mock start</c>, an answer, <c>skip</c>…), so the interview behaves as in every channel.
/// </summary>
internal static class MockCommand
{
    public static Command Create(CliContext context) => new("mock", "Mock interviews: questions in a row, feedback held until the report card at the end.")
    {
        Start(context), Answer(context), Step(context, "skip", "Skip the open question (recorded as skipped).", "mock skip"),
        Step(context, "stop", "End the mock interview now; the report card covers what was answered.", "mock stop"),
        Step(context, "report", "Show the report card of your newest finished mock interview.", "mock report"),
    };

    // As the chat's "mock start" allows (MockInterviews.MaxQuestions in the coaching core).
    private const int MaxQuestions = 12;

    private static Option<string> User() => new("--user") { Description = "Whose mock interview.", DefaultValueFactory = _ => "local" };

    private static Option<bool> Json() => new("--json") { Description = "Print the reply as JSON (the report card's JSON at the end)." };

    private static Command Start(CliContext context)
    {
        var source = new Argument<string?>("source") { Description = "'plan' for your newest plan, or a role; default: your newest plan, else your practice role.", Arity = ArgumentArity.ZeroOrOne };
        var questions = new Option<int?>("--questions") { Description = $"How many questions (1–{MaxQuestions}, default {5})." };
        var user = User();
        var json = Json();
        var command = new Command("start", "Start a mock interview and print its first question.") { source, questions, user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here, in the command line's own words: the chat's ("questions=5") would not work when typed.
            if (parse.GetValue(questions) is { } n && n is < 1 or > MaxQuestions)
            {
                throw new UsageException($"--questions must be between 1 and {MaxQuestions} (you gave {n}). For example: mock start software-engineer --questions 5");
            }

            var named = parse.GetValue(source);
            if (named is not null && named != "plan")
            {
                _ = CliArguments.Role(named);
            }

            var text = "mock start" + (named is { } s ? " " + s : string.Empty) +
                       (parse.GetValue(questions) is { } count ? $" questions={count}" : string.Empty);
            return await SendAsync(context, parse.GetValue(user)!, TurnIntent.Command, text, null, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static Command Answer(CliContext context)
    {
        var text = new Option<string>("--text") { Description = "Your answer, as you would say it." };
        var audio = new Option<FileInfo>("--audio") { Description = "A recording of your answer (m4a, mp4, webm, ogg, mp3, wav, aac, flac)." };
        var user = User();
        var json = Json();
        var command = new Command("answer", "Answer the open question; prints the next question, or the report card after the last one.") { text, audio, user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var answer = parse.GetValue(text);
            var recording = parse.GetValue(audio);
            if ((answer is null) == (recording is null))
            {
                throw new UsageException("mock answer needs either --text \"<your answer>\" or --audio <file>.");
            }

            if (answer is { } typed && string.IsNullOrWhiteSpace(typed))
            {
                await context.Error.WriteLineAsync("--text is empty: give your answer as --text \"<your answer>\", or record it and use --audio <file>. The question stays open.");
                return CoachBotCli.Refused;
            }

            if (recording is { Exists: false })
            {
                await context.Error.WriteLineAsync($"No file at {recording.FullName}");
                return CoachBotCli.Refused;
            }

            var key = new SessionKey(CoachBotCli.Channel, parse.GetValue(user)!);
            if (!await context.Services.GetRequiredService<IMockInterviews>().IsOpenAsync(key, cancellationToken))
            {
                await context.Error.WriteLineAsync(NoInterview);
                return CoachBotCli.Refused;
            }

            var reference = recording is null ? null : new AudioReference(recording.FullName, null, recording.Name, recording.Length);
            return await SendAsync(context, key.UserKey, TurnIntent.Answer, answer, reference, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static Command Step(CliContext context, string name, string description, string said)
    {
        var user = User();
        var json = Json();
        var command = new Command(name, description) { user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = new SessionKey(CoachBotCli.Channel, parse.GetValue(user)!);
            if (name is "skip" or "stop" && !await context.Services.GetRequiredService<IMockInterviews>().IsOpenAsync(key, cancellationToken))
            {
                await context.Error.WriteLineAsync(NoInterview);
                return CoachBotCli.Refused;
            }

            return await SendAsync(context, key.UserKey, TurnIntent.Command, said, null, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static bool NoReportYet(TurnReply reply) =>
        reply.Kind == TurnReplyKind.Text && reply.Text.StartsWith("You have not finished a mock interview yet", StringComparison.Ordinal);

    private const string NoInterview = "There is no mock interview going on. Start one with: mock start [plan|<role>] [--questions N]";

    /// <summary>
    /// The chat's wording, said in the command line's terms: what a chat user types ("skip", "yes", "plan") is a verb
    /// with options here.
    /// </summary>
    private static string CommandLineText(TurnReply reply) => reply.ErrorCode switch
    {
        "no_plan" => "You have no interview plan yet. Make one with: plan create --resume <file> --job <file|text>; or start with a role: mock start <role>.",
        _ when NoReportYet(reply) =>
            "You have not finished a mock interview yet. Start one with: mock start [plan|<role>] [--questions N]",
        _ => CliWording.For(reply.Text),
    };

    private static async Task<int> SendAsync(
        CliContext context, string user, TurnIntent intent, string? text, AudioReference? audio, bool asJson, CancellationToken cancellationToken)
    {
        var turn = new CoachingTurn
        {
            Channel = CoachBotCli.Channel,
            UserId = user,
            ConversationId = user,
            IsDirect = true,
            Intent = intent,
            Text = text,
            Audio = audio,
            IdempotencyKey = $"cli:mock:{Guid.NewGuid():N}",
        };
        var reply = await context.Services.GetRequiredService<ITurnProcessor>().ProcessAsync(turn, cancellationToken);
        var said = CommandLineText(reply);
        // "mock report" with no finished interview is refused like the other verbs with nothing to act on.
        var refused = reply.Kind == TurnReplyKind.Error || NoReportYet(reply);
        if (asJson)
        {
            object document = reply.Mock is { } card
                ? card
                : new
                {
                    schemaVersion = 1, kind = reply.Kind.ToString(), text = said, question = reply.Question,
                    number = reply.MockStep?.Number, of = reply.MockStep?.Of, followUp = reply.MockStep?.FollowUp, error = reply.ErrorCode,
                };
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, ReportJson.Options));
        }
        else if (!refused)
        {
            await context.Output.WriteLineAsync(said);
        }

        if (refused)
        {
            await context.Error.WriteLineAsync(said);
            return CoachBotCli.Refused;
        }

        return CoachBotCli.Ok;
    }
}
