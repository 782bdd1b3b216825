using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CoachBot.Coaching.Audio;

/// <summary>What a finished external process left behind.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">The last part of stderr (kept for error messages).</param>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a program with an argument list (never through a shell), captures its output, and kills it with its
/// children when it outlives its timeout or the caller cancels.
/// </summary>
internal static class ProcessRunner
{
    private const int MaxStderrCharacters = 8_000;

    /// <exception cref="TimeoutException">The process ran longer than <paramref name="timeout"/> and was killed.</exception>
    /// <exception cref="FileNotFoundException">The program is not installed.</exception>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                    if (stderr.Length > MaxStderrCharacters * 2)
                    {
                        stderr.Remove(0, stderr.Length - MaxStderrCharacters);
                    }
                }
            }
        };

        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new FileNotFoundException($"'{program}' could not be started: {ex.Message}", program, ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{Path.GetFileName(program)}' ran longer than {timeout.TotalSeconds:0} s and was stopped.");
        }

        // The exit event can come before the last output lines; this waits for the streams to drain.
        process.WaitForExit();
        string output, error;
        lock (stdout)
        {
            output = stdout.ToString();
        }

        lock (stderr)
        {
            error = stderr.Length > MaxStderrCharacters ? stderr.ToString(stderr.Length - MaxStderrCharacters, MaxStderrCharacters) : stderr.ToString();
        }

        return new ProcessResult(process.ExitCode, output, error);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }
}
