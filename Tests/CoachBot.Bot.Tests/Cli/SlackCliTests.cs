using System.Text.Json;
using CoachBot.Bot.Tests.Support;

namespace CoachBot.Bot.Tests.Cli;

public sealed class SlackCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Practice_CardSlack_PrintsBlockKitMessage()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "practice", "--question", "gen-001", "--text", CliRun.Answer, "--card", "slack");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var blocks = json.RootElement.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.StartsWith("Overall ", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_CardUnknownChannel_IsAUsageError()
    {
        var (code, _, _) = await CliRun.RunAsync(_folder.File("cli.db"), [], "practice", "--text", CliRun.Answer, "--card", "fax");

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task ManifestSlack_BaseUrl_WritesTheManifestFile()
    {
        var target = _folder.File("slack-manifest.json");

        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "manifest", "slack", "--base-url", "https://coach.example.com", "--out", target);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(target));
        Assert.Equal("https://coach.example.com/slack/events", json.RootElement.GetProperty("settings").GetProperty("event_subscriptions").GetProperty("request_url").GetString());
    }

    [Fact]
    public async Task ManifestSlack_OutInAFolderNotYetThere_CreatesIt_AsManifestTeamsDoes()
    {
        var target = _folder.File(Path.Combine("manifests-out", "slack-manifest.json"));

        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "manifest", "slack", "--socket-mode", "--out", target);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(target), stderr);
    }

    [Fact]
    public async Task ManifestSlack_OutThatCannotBeWritten_SaysSoAndNotTheDatabase()
    {
        var folder = Directory.CreateDirectory(_folder.File("a-folder")).FullName;
        var plainFile = _folder.File("plain.txt");
        await File.WriteAllTextAsync(plainFile, "x");

        foreach (var target in new[] { folder, Path.Combine(plainFile, "x.json") })
        {
            var (code, stdout, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "manifest", "slack", "--socket-mode", "--out", target);

            Assert.Equal(1, code);
            Assert.StartsWith($"Cannot write {target}", stderr.Trim(), StringComparison.Ordinal);
            Assert.DoesNotContain("storage", stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DatabasePath", stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, stdout.Trim());
        }
    }

    [Fact]
    public async Task ManifestSlack_HttpBaseUrl_IsAUsageError()
    {
        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "manifest", "slack", "--base-url", "http://coach.example.com");

        Assert.Equal(2, code);
        Assert.Contains("https", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestSlack_BaseUrlWithSocketMode_IsAUsageErrorNotASilentDrop()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [], "manifest", "slack", "--base-url", "https://coach.example.com", "--socket-mode");

        Assert.Equal(2, code);
        Assert.Contains("alternatives", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
    }
}
