using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Bot.Tests.Support;

/// <summary>
/// The built bot host (<c>dotnet coachbot.dll</c>) listening on a free loopback port chosen by Kestrel, with its own
/// database in a private folder: a real socket for a real browser. Keeps the host's output for failure messages.
/// </summary>
public sealed partial class RunningHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningHost(Process process, TempFolder folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>Where the host listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The host's SQLite database, for checking what it stored.</summary>
    public string DatabasePath => _folder.File("coachbot.db");

    /// <summary>Everything the host printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <paramref name="settings"/> and waits until it listens.</summary>
    public static Task<RunningHost> StartAsync(HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return StartAsync(settings.Build());
    }

    public static async Task<RunningHost> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var folder = new TempFolder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.Path };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "coachbot.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__DatabasePath"] = folder.File("coachbot.db");
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var host = new RunningHost(Process.Start(start)!, folder);
        host._process.OutputDataReceived += (_, e) => host.Collect(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Collect(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        _ = host._process.WaitForExitAsync().ContinueWith(_ => host._listening.TrySetException(new InvalidOperationException("The host stopped before it listened:\n" + host.Output)), TaskScheduler.Default);

        // Generous: a shared machine at a load average of 30 has taken over two minutes to start the host and its model.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            host.BaseAddress = await host._listening.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await host.DisposeAsync();
            throw new TimeoutException("The host did not report its address within 5 minutes:\n" + host.Output);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
