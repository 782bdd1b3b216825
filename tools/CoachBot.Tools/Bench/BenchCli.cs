using System.CommandLine;
using CoachBot.Bot.Cli;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench …</c>: the benchmark verbs, run with the product command line's services, exit codes and
/// error handling (0 success, 1 refused, 2 usage), so they measure what the shipped program does.
/// </summary>
internal static class BenchCli
{
    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
        Action<IHostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default) =>
        CoachBotCli.RunAsync(
            context => new RootCommand("coachbot-tools: CoachBot's benchmarks.") { BenchCommand.Create(context) },
            args, output, error, configure, cancellationToken);
}
