using System.Diagnostics;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.DevChat;

/// <summary>The built host on a loopback port, shared by the browser scenarios (each browser is a new user).</summary>
public sealed class DevChatHostFixture : IAsyncLifetime
{
    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        // PocketSphinx only: the offline engine every machine here has (whisper.cpp needs a model download).
        Host = await RunningHost.StartAsync(new Dictionary<string, string> { ["Speech:Engines:0"] = "pocketsphinx" });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The dev chat in Debian's headless Chromium, driven by playwright-core from tools/js (Browser/devchat.mjs).
/// Screenshots of each final state go to artifacts/screenshots/.
/// </summary>
public sealed class DevChatBrowserTests(DevChatHostFixture fixture, ITestOutputHelper output) : IClassFixture<DevChatHostFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task TypedAnswer_ThenNextQuestion_ShowsAScoredCardThenADifferentQuestion()
    {
        var (code, log) = await RunScenarioAsync("text");

        Assert.True(code == 0, log);
        Assert.Contains("screenshot: ", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Screenshot("devchat-text-report")), log);
        Assert.True(File.Exists(Screenshot("devchat-next-question")), log);
    }

    [Fact]
    public async Task VoiceAnswer_FromTheFakeMicrophone_ShowsTranscriptAndDeliveryMetrics()
    {
        var (code, log) = await RunScenarioAsync("voice", "--wav", TestData.JfkWav);

        Assert.True(code == 0, log);
        Assert.True(File.Exists(Screenshot("recorder-recording")), log);
        Assert.True(File.Exists(Screenshot("devchat-voice-report")), log);
    }

    [Fact]
    public async Task ArticleLink_OpensTheArticlePageInTheBrowser()
    {
        var (code, log) = await RunScenarioAsync("article");

        Assert.True(code == 0, log);
        Assert.True(File.Exists(Screenshot("article-page")), log);
    }

    private static string Screenshots => Path.Combine(TestData.RepositoryRoot, "artifacts", "screenshots");

    private static string Screenshot(string name) => Path.Combine(Screenshots, name + ".png");

    private async Task<(int Code, string Log)> RunScenarioAsync(string scenario, params string[] extra)
    {
        var driver = Path.Combine(TestData.JsTools, "node_modules", "playwright-core", "package.json");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run `bash scripts/prerequisites.sh` (it installs Debian's chromium).");
        Assert.True(File.Exists(driver), "playwright-core is missing from tools/js/node_modules: run `bash scripts/prerequisites.sh`.");
        // Screenshots of an earlier run must not pass for this one's.
        Directory.CreateDirectory(Screenshots);
        string[] shots = scenario switch
        {
            "text" => ["devchat-text-report", "devchat-next-question", "text-failure"],
            "article" => ["article-page", "article-failure"],
            _ => ["recorder-recording", "devchat-voice-report", "voice-failure"],
        };
        foreach (var name in shots)
        {
            File.Delete(Screenshot(name));
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
            Path.Combine(TestData.RepositoryRoot, "Tests", "CoachBot.Bot.Tests", "Browser", "devchat.mjs"),
            "--scenario", scenario,
            "--base", fixture.Host.BaseAddress.ToString(),
            "--tools", TestData.JsTools,
            "--shots", Screenshots,
            "--chromium", Chromium,
            .. extra])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        var log = await stdout + await stderr;
        output.WriteLine(log);
        if (!process.HasExited || process.ExitCode != 0)
        {
            output.WriteLine("---- host output ----");
            output.WriteLine(fixture.Host.Output);
            return (process.HasExited ? process.ExitCode : -1, log + "\n---- host output ----\n" + fixture.Host.Output);
        }

        return (0, log);
    }
}
