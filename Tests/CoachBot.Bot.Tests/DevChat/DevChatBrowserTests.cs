using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Data.Sqlite;

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

    [Fact]
    public async Task MockInterview_ResumeUploadPlanCardFiveQuestionsOneByVoice_ReportFiguresAreMeansOfStoredAnswers()
    {
        using var documents = new TempFolder();
        var resume = documents.File("resume.txt");
        var job = documents.File("job.txt");
        await File.WriteAllTextAsync(resume, Mock.MockInterviewEndToEnd.Resume);
        await File.WriteAllTextAsync(job, Mock.MockInterviewEndToEnd.Job);

        var (code, log) = await RunScenarioAsync("mock", "--wav", TestData.JfkWav, "--resume", resume, "--job", job);

        Assert.True(code == 0, log);
        Assert.True(File.Exists(Screenshot("devchat-mock-report")), log);
        var shown = Regex.Matches(log, @"^competency: (?<name>[a-z-]+)=(?<score>\d+)/(?<answers>\d+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["name"].Value, m => (Score: int.Parse(m.Groups["score"].Value, CultureInfo.InvariantCulture), Answers: int.Parse(m.Groups["answers"].Value, CultureInfo.InvariantCulture)));
        Assert.True(shown.Count > 0, log);

        // The figures the browser showed are the means of the answers the host stored for that interview (one of them spoken).
        await using var connection = new SqliteConnection($"Data Source={fixture.Host.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT a.overall, a.competencies_json, a.report_json FROM mock_answers a
            WHERE a.status = 'answered' AND a.mock_id = (SELECT id FROM mock_interviews WHERE status = 'finished' ORDER BY finished_at DESC LIMIT 1);
            """;
        var stored = new List<(int Overall, List<string> Competencies, bool Spoken)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetInt32(0), JsonSerializer.Deserialize<List<string>>(reader.GetString(1))!, reader.GetString(2).Contains("\"source\":\"voice\"", StringComparison.Ordinal)));
            }
        }

        Assert.Single(stored, a => a.Spoken);
        foreach (var (name, figure) in shown)
        {
            var scores = stored.Where(a => a.Competencies.Contains(name)).Select(a => a.Overall).ToList();
            Assert.True(scores.Count == figure.Answers, $"{name}: the card counts {figure.Answers} answers, {scores.Count} are stored\n{log}");
            Assert.Equal((int)Math.Round(scores.Average(), MidpointRounding.AwayFromZero), figure.Score);
        }
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
            "mock" => ["devchat-mock-plan", "devchat-mock-report", "mock-failure"],
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
