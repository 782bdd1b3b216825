using System.CommandLine;
using System.Text.Json;
using CoachBot.Bot.Hosting;
using CoachBot.Coaching;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Sessions;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Cli;

/// <summary>
/// The <c>coachbot</c> command line: <c>practice</c>, <c>questions list</c>, <c>progress</c>, <c>plan create</c>, <c>mock</c>, <c>forget me</c>, <c>knowledge</c> and <c>manifest</c>
/// (the benchmark verbs live in <c>coachbot-tools</c>, outside the shipped program).
/// Exit codes: 0 success, 1 the input or configuration was refused (the message says why), 2 usage error.
/// </summary>
internal static class CoachBotCli
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    /// <summary>The channel name under which command-line practice is recorded.</summary>
    public const string Channel = "cli";

    /// <summary>True when the arguments name a verb (or ask for help) rather than host settings such as <c>--urls</c>.</summary>
    public static bool IsInvocation(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || args[0] is "-h" or "--help" or "-?" or "--version");

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
        Action<IHostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default) =>
        RunAsync(Build, args, output, error, configure, cancellationToken);

    /// <summary>
    /// Runs the verbs that <paramref name="build"/> defines with this command line's services, exit codes and error
    /// handling (the benchmark verbs of <c>coachbot-tools</c> use it, so they behave like the product's own).
    /// </summary>
    public static async Task<int> RunAsync(Func<CliContext, RootCommand> build, string[] args, TextWriter? output = null, TextWriter? error = null,
        Action<IHostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        output ??= Console.Out;
        error ??= Console.Error;
        var context = new CliContext(output, error, configure);
        var root = build(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // A mistyped verb is also reported as a missing one; a verb is not required (none starts the host), so the
            // unrecognised word is the whole story.
            var problems = parsed.Errors.Select(e => e.Message).ToList();
            if (problems.Count > 1)
            {
                problems.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
            }

            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }

            await error.WriteLineAsync();
            PrintUsage(parsed, error);
            return Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            await error.WriteLineAsync();
            PrintUsage(parsed, error);
            return Usage;
        }
        catch (QuestionBankException ex)
        {
            await error.WriteLineAsync($"The question bank could not be loaded: {ex.Message}");
            return Refused;
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"The configuration is not valid: {Hosting.StartupRefusal.Failures(ex)}");
            return Refused;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Data.Common.DbException)
        {
            // PostgreSQL that cannot be reached or refuses the login: the message says where it looked and what to check.
            await error.WriteLineAsync($"CoachBot could not use its storage: {ex.Message}");
            return Refused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Usually the database: a folder that cannot be created, a read-only file, a locked or damaged database.
            await error.WriteLineAsync($"CoachBot could not use its storage ({ex.Message}). Check Storage:DatabasePath (now '{context.DatabasePath}') and that the folder is writable.");
            return Refused;
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private static void PrintUsage(ParseResult parsed, TextWriter writer)
    {
        // Help for the command the user was typing: re-parse its path with --help, written to stderr.
        var path = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command.Name);
        }

        path.Add("--help");
        parsed.RootCommandResult.Command.Parse(path).Invoke(new InvocationConfiguration { Output = writer });
    }

    private static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("CoachBot: interview practice with scored, evidence-based feedback, interview plans from a résumé and a job description, and mock interviews with a report card. Run with no verb to start the bot host.");
        root.Subcommands.Add(Practice(context));
        root.Subcommands.Add(Questions(context));
        root.Subcommands.Add(Progress(context));
        root.Subcommands.Add(KnowledgeCommand.Create(context));
        root.Subcommands.Add(PlanCommand.Create(context));
        root.Subcommands.Add(MockCommand.Create(context));
        root.Subcommands.Add(ForgetCommand.Create(context));
        root.Subcommands.Add(new Command("manifest", "Write the app manifest or package for installing CoachBot in a chat platform.") { SlackManifestCommand.Create(context), TeamsManifestCommand.Create(context) });
        return root;
    }

    private static string TextDocumentWords(string text) => Coaching.Text.TextDocument.Words(Coaching.Text.TextDocument.Parse(text).WordCount);

    private static Command Practice(CliContext context)
    {
        var text = new Option<string>("--text") { Description = "The answer to coach, as you would say it." };
        var audio = new Option<FileInfo>("--audio") { Description = "A recording of the answer (m4a, mp4, webm, ogg, mp3, wav, aac, flac)." };
        var question = new Option<string>("--question") { Description = "A question id from the bank (see 'questions list')." };
        var questionText = new Option<string>("--question-text") { Description = "A question that is not in the bank." };
        var role = new Option<string>("--role") { Description = "The role: " + string.Join(", ", Roles.All) + "." };
        var user = new Option<string>("--user") { Description = "Whose practice this is (progress is kept per user).", DefaultValueFactory = _ => "local" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var confirm = new Option<bool>("--confirm") { Description = "Coach the answer even when it is too short to judge well." };
        var card = CardPreview.Option();
        var command = new Command("practice", "Coach one answer and print the report.") { text, audio, question, questionText, role, user, json, confirm, card };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var answer = parse.GetValue(text);
            var recording = parse.GetValue(audio);
            if (answer is null && recording is null)
            {
                throw new UsageException("practice needs either --text \"<your answer>\" or --audio <file>.");
            }

            if (answer is not null && recording is not null)
            {
                throw new UsageException("Give either --text or --audio, not both.");
            }

            if (parse.GetValue(json) && parse.GetValue(card) is not null)
            {
                throw new UsageException("Give either --json or --card, not both.");
            }
            if (recording is { Exists: false })
            {
                // The command line names the path the user typed; the chat wording ("send it again") does not fit here.
                var missing = Directory.Exists(recording.FullName)
                    ? new CoachingError("missing_file", $"{recording.FullName} is a folder; give --audio a recording file.")
                    : new CoachingError("missing_file", $"No file at {recording.FullName}");
                if (parse.GetValue(json))
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { schemaVersion = 1, error = missing }, ReportJson.Options));
                }

                await context.Error.WriteLineAsync(missing.Message);
                return Refused;
            }

            var questionId = parse.GetValue(question);
            var customText = parse.GetValue(questionText);
            if (questionId is not null && customText is not null)
            {
                throw new UsageException("Give either --question or --question-text, not both.");
            }

            var resolvedRole = CliArguments.Role(parse.GetValue(role));

            var services = context.Services;
            var key = new SessionKey(Channel, parse.GetValue(user)!);
            var sessions = services.GetRequiredService<IPracticeSessions>();
            if (resolvedRole is not null)
            {
                // The role asked for is the one practised, whoever wrote the question: the next question is for it too.
                await sessions.SetRoleAsync(key, resolvedRole, cancellationToken);
            }

            if (questionId is null && customText is null)
            {
                // No question named: answer the session's open question, or the next one for the role.
                var session = await sessions.GetAsync(key, cancellationToken);
                var bank = services.GetRequiredService<IQuestionBank>();
                questionId = session.CurrentQuestionId is { } current && bank.Find(current) is not null
                    ? current
                    : (await sessions.NextQuestionAsync(key, cancellationToken)).Id;
            }

            var outcome = await services.GetRequiredService<ICoachingPipeline>().CoachAsync(
                new AnswerRequest(key, answer) { QuestionId = questionId, QuestionText = customText, Role = resolvedRole, AudioPath = recording?.FullName, Confirmed = parse.GetValue(confirm) },
                cancellationToken);
            var asJson = parse.GetValue(json);
            if (outcome.NotAnAnswer is { } notAnswer)
            {
                // Not an answer: nothing was scored or stored; say why, and what to do instead.
                var message = notAnswer.Kind == NonAnswerKind.TooShort
                    ? $"Not coached: at {TextDocumentWords(notAnswer.Text)} this is too short to judge. Send a fuller answer, or run again with --confirm to coach it anyway."
                    : $"Not coached: {CliWording.For(notAnswer.Message)}\n{notAnswer.Question.Text}" +
                      (notAnswer.Kind is NonAnswerKind.DontKnow or NonAnswerKind.QuestionToCoach ? "\n" + string.Join("\n", notAnswer.Hints.Select(h => "• " + h)) : string.Empty);
                if (asJson)
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { schemaVersion = 1, notAnAnswer = new { kind = notAnswer.Kind.ToString(), message, question = notAnswer.Question.Text } }, ReportJson.Options));
                }

                await context.Error.WriteLineAsync(message);
                return Refused;
            }

            if (outcome.Error is { } problem)
            {
                if (asJson)
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { schemaVersion = 1, error = problem }, ReportJson.Options));
                }

                await context.Error.WriteLineAsync(CliWording.For(problem.Message));
                return Refused;
            }

            await context.Output.WriteLineAsync(parse.GetValue(card) is { } channel
                ? CardPreview.Render(channel, outcome.Report!)
                : asJson ? ReportJson.Serialize(outcome.Report!) : ReportPrinter.Format(outcome.Report!));
            return Ok;
        });
        return command;
    }

    private static Command Questions(CliContext context)
    {
        var role = new Option<string>("--role") { Description = "Only questions for this role (general questions included)." };
        var category = new Option<string>("--category") { Description = "behavioral, situational, technical or motivation." };
        var difficulty = new Option<int?>("--difficulty") { Description = "1, 2 or 3." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List the questions of the bank.") { role, category, difficulty, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var resolvedRole = CliArguments.Role(parse.GetValue(role));
            var categoryValue = CliArguments.Category(parse.GetValue(category));

            var level = parse.GetValue(difficulty);
            if (level is not null and not (1 or 2 or 3))
            {
                throw new UsageException("--difficulty is 1, 2 or 3.");
            }

            var questions = context.Services.GetRequiredService<IQuestionBank>().Filter(resolvedRole, categoryValue, level);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(questions.Select(q => new
                {
                    q.Id, q.Text, q.Role, q.Category, q.Difficulty, q.Competencies,
                    Rubric = q.Rubric.Select(r => r.Point), q.FollowUps,
                }), ReportJson.Options));
            }
            else
            {
                foreach (var q in questions)
                {
                    await context.Output.WriteLineAsync($"{q.Id,-11} {q.Role,-19} {q.Category,-11} {q.Difficulty}  {q.Text}");
                }

                await context.Output.WriteLineAsync($"{questions.Count} questions");
            }

            return Ok;
        });
        return new Command("questions", "Browse the question bank.") { list };
    }

    private static Command Progress(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Whose progress.", DefaultValueFactory = _ => "local" };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("progress", "Show a user's progress from their coached answers.") { user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var progress = await context.Services.GetRequiredService<IPracticeSessions>()
                .GetProgressAsync(new SessionKey(Channel, parse.GetValue(user)!), cancellationToken);
            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(progress, ReportJson.Options)
                : ReportPrinter.Format(progress));
            return Ok;
        });
        return command;
    }
}

/// <summary>Arguments that parse but make no sense together; reported like a parse error (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The services of one command-line run, built on first use so that usage errors never touch the database.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Action<IHostApplicationBuilder>? configure) : IAsyncDisposable
{
    private IHost? _host;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public IServiceProvider Services => (_host ??= BuildHost()).Services;

    public Action<IHostApplicationBuilder>? Configure { get; } = configure;

    /// <summary>The configured database path, for messages.</summary>
    public string DatabasePath => _host?.Services.GetService<IOptions<CoachBot.Coaching.Storage.StorageOptions>>()?.Value.DatabasePath ?? "unknown";

    public async ValueTask DisposeAsync()
    {
        // Close this run's pooled connections so its database file is free (a bench deletes its own).
        try
        {
            (_host?.Services.GetService<SqliteDatabase>())?.ReleasePooledConnections();
        }
        catch (OptionsValidationException)
        {
            // The storage settings were refused (and said so): no database was ever opened.
        }
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "coachbot",
        });
        SettingsFiles.AddBesideProgram(builder.Configuration, builder.Environment);
        // Logs go to stderr and only when something is wrong, so stdout stays clean for --json.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The Development settings file turns CoachBot's logs up for the host; the command line stays quiet anyway.
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Warning;
        });
        // The caller's settings first: composition reads some of them (Storage:Provider chooses the stores).
        Configure?.Invoke(builder);
        builder.AddCoaching();
        builder.AddStorage();
        builder.AddDataPaths();
        return builder.Build();
    }
}
