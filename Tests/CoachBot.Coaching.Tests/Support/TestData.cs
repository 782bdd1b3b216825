using System.Diagnostics;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>Locates the shared test data beside the repository and makes audio from it with real tools.</summary>
public static class TestData
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

    /// <summary>JFK's "ask not" sentence: 11 s of real speech, 16 kHz mono.</summary>
    public static string JfkWav => Path.Combine(Shared, "testdata", "speech", "jfk.wav");

    /// <summary>The npm tools installed by scripts/prerequisites.sh (tools/js).</summary>
    public static string JsTools => Path.Combine(RepositoryRoot, "tools", "js");

    /// <summary>Runs a tool (ffmpeg, sox, espeak-ng) and fails the test with its stderr when it fails.</summary>
    public static void Run(string program, params string[] arguments) => Capture(program, arguments);

    /// <summary>Runs a tool and returns its standard output; fails the test with its stderr when it fails.</summary>
    public static string Capture(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(600_000))
        {
            process.Kill(true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Runs a program in <paramref name="workingDirectory"/> and returns its exit code and output (stdout, then stderr), failing or not.</summary>
    public static (int Code, string Output) Try(string program, string workingDirectory, params string[] arguments)
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
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Encodes <paramref name="source"/> with ffmpeg using the given output options.</summary>
    public static string Encode(string source, string target, params string[] options)
    {
        Run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", source, .. options, target]);
        return target;
    }
}
