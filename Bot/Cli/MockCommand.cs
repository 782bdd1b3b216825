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

    private static Option<string> User() => new("--user") { Description = "Whose mock interview.", DefaultValueFactory = _ => "local" };

    private static Option<bool> Json() => new("--json") { Description = "Print the reply as JSON (the report card's JSON at the end)." };

    private static Command Start(CliContext context)
    {
        var source = new Argument<string?>("source") { Description = "'plan' for your newest plan, or a role; default: your newest plan, else your practice role.", Arity = ArgumentArity.ZeroOrOne };
        var questions = new Option<int?>("--questions") { Description = "How many questions (1–12, default 5)." };
        var user = User();
        var json = Json();
        var command = new Command("start", "Start a mock interview and print its first question.") { source, questions, user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = "mock start" + (parse.GetValue(source) is { } s ? " " + s : string.Empty) +
                       (parse.GetValue(questions) is { } n ? $" questions={n}" : string.Empty);
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

            if (recording is { Exists: false })
            {
                await context.Error.WriteLineAsync($"No file at {recording.FullName}");
                return CoachBotCli.Refused;
            }

            var key = new SessionKey(CoachBotCli.Channel, parse.GetValue(user)!);
            if (!await context.Services.GetRequiredService<IMockInterviews>().IsOpenAsync(key, cancellationToken))
            {
                await context.Error.WriteLineAsync("There is no mock interview going on. Start one with: mock start [plan|<role>] [--questions N]");
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
            await SendAsync(context, parse.GetValue(user)!, TurnIntent.Command, said, null, parse.GetValue(json), cancellationToken));
        return command;
    }

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
        if (asJson)
        {
            object document = reply.Mock is { } card
                ? card
                : new { schemaVersion = 1, kind = reply.Kind.ToString(), text = reply.Text, question = reply.Question, error = reply.ErrorCode };
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, ReportJson.Options));
        }
        else if (reply.Kind != TurnReplyKind.Error)
        {
            await context.Output.WriteLineAsync(reply.Text);
        }

        if (reply.Kind == TurnReplyKind.Error)
        {
            await context.Error.WriteLineAsync(reply.Text);
            return CoachBotCli.Refused;
        }

        return CoachBotCli.Ok;
    }
}
