using CoachBot.Bot.Cli;

namespace CoachBot.Bot.Tests.Support;

/// <summary>Runs the command line in-process over a test's own database, capturing what it prints.</summary>
public static class CliRun
{
    /// <summary>A realistic behavioral answer for tests that need one.</summary>
    public const string Answer =
        "Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, " +
        "then I split the test suite and added caching. As a result builds went from 40 to 12 minutes.";

    internal static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string databasePath, IEnumerable<(string Key, string Value)> settings, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CoachBotCli.RunAsync(args, stdout, stderr, b =>
        {
            b.Configuration["Storage:DatabasePath"] = databasePath;
            // Relative data paths (the Whisper model a voice answer may try to download) stay in the test's folder.
            b.Configuration["CoachBot:DataRoot"] = Path.GetDirectoryName(databasePath);
            foreach (var (key, value) in settings)
            {
                b.Configuration[key] = value;
            }
        });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
