using CoachBot.Bot.Cli;
using CoachBot.Bot.Hosting;

// A verb (practice, questions, progress, bench, ...) runs the command line; anything else runs the bot host.
if (CoachBotCli.IsInvocation(args))
{
    return await CoachBotCli.RunAsync(args);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCoachBotHost();

    var app = builder.Build();
    StartupRefusal.Check(app.Services);
    app.MapCoachBot();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupRefusal.Describe(ex) is { } refusal)
{
    // A setting refused the start: one message and exit code 1, not a stack trace (see StartupRefusal).
    await Console.Error.WriteLineAsync(refusal);
    return StartupRefusal.ExitCode;
}

/// <summary>The host's entry point (public for <c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
