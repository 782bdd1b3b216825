using System.Diagnostics;

namespace CoachBot.Bot.Tests.Support;

/// <summary>
/// Runs the built bot host (<c>dotnet coachbot.dll</c>) as a real process with settings in environment variables,
/// the way an administrator starts it. Used for start-up failures: a bad setting must stop the program with a
/// message that names it.
/// </summary>
public static class HostProcess
{
    /// <summary>Starts the host and waits for it to stop on its own; fails the test if it keeps running.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilItStopsAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "coachbot.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The host kept running although its settings are bad.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
