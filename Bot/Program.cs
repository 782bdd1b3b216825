using CoachBot.Bot.Cli;
using CoachBot.Bot.Hosting;

// A verb (practice, questions, progress, bench, ...) runs the command line; anything else runs the bot host.
if (CoachBotCli.IsInvocation(args))
{
    return await CoachBotCli.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCoachBotHost();

var app = builder.Build();
app.MapCoachBot();
await app.RunAsync();
return 0;

/// <summary>The host's entry point (public for <c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
