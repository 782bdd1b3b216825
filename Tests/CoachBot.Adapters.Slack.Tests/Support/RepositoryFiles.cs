using System.Diagnostics;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>The repository root, the shared test data beside it, and running node tools from tools/js.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoachBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CoachBot.sln) was not found above " + AppContext.BaseDirectory);
    });

    public static string RepositoryRoot => Root.Value;

    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string ToolsJs => Path.Combine(RepositoryRoot, "tools", "js");

    /// <summary>Runs a program and returns its exit code and output (stdout + stderr).</summary>
    public static (int Code, string Output) Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(true);
            throw new TimeoutException($"{program} timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
