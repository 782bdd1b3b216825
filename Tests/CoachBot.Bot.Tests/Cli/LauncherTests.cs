using System.Diagnostics;
using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Cli;

/// <summary>
/// scripts/coachbot, the launcher the README names, run as a user runs it: from their own working directory, with
/// stdout piped. It runs this test's build of the program (COACHBOT_PROGRAM), so it never builds during a test.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PracticeJson_ThroughTheLauncher_StdoutIsExactlyOneJsonDocument()
    {
        var (code, stdout, stderr) = await Launch(["practice", "--question", "swe-001", "--text", CliRun.Answer, "--json"]);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("swe-001", json.RootElement.GetProperty("question").GetProperty("id").GetString());
        Assert.DoesNotContain("Using launch settings", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PracticeAudio_RelativePath_ResolvesAgainstTheCallersWorkingDirectory()
    {
        TestData.Encode(TestData.JfkWav, _folder.File("my-answer.m4a"), "-c:a", "aac");

        var (code, stdout, stderr) = await Launch(["practice", "--question", "gen-002", "--audio", "my-answer.m4a", "--json"]);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("voice", json.RootElement.GetProperty("answer").GetProperty("source").GetString());
    }

    [Fact]
    public async Task PracticeAudio_NoSuchFile_SaysNoFileAtThePathWithoutChatWording()
    {
        var (code, stdout, stderr) = await Launch(["practice", "--question", "gen-002", "--audio", "missing.m4a"]);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains($"No file at {_folder.File("missing.m4a")}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("send it again", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ManifestSlackOut_RelativePath_WritesIntoTheCallersWorkingDirectory()
    {
        var (code, stdout, stderr) = await Launch(["manifest", "slack", "--socket-mode", "--out", "slack-manifest.json"]);

        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(_folder.File("slack-manifest.json")));
        Assert.Equal(JsonValueKind.Object, manifest.RootElement.ValueKind);
    }

    private async Task<(int Code, string Stdout, string Stderr)> Launch(string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder.Path };
        start.ArgumentList.Add(Path.Combine(TestData.RepositoryRoot, "scripts", "coachbot"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["COACHBOT_PROGRAM"] = Path.Combine(AppContext.BaseDirectory, "coachbot.dll");
        start.Environment["Storage__DatabasePath"] = _folder.File("launcher.db");
        start.Environment["CoachBot__DataRoot"] = _folder.Path;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
