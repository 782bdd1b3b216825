using System.Net;
using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class HostStartupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("/privacy", "forget me")]
    [InlineData("/terms", "practice tool")]
    public async Task PolicyPages_TheTeamsPackageLinksTo_AreServed(string path, string expected)
    {
        await using var factory = new CoachBotFactory(_folder.File("policy.db"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_FreshHost_ReportsDatabaseQuestionsAndQueue()
    {
        await using var factory = new CoachBotFactory(_folder.File("bot.db"));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.True(json.RootElement.GetProperty("database").GetProperty("schemaVersion").GetInt32() >= 1);
        Assert.True(json.RootElement.GetProperty("questions").GetInt32() >= 150);
        Assert.Equal(0, json.RootElement.GetProperty("queue").GetProperty("pending").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("advice").GetProperty("budgetSeconds").GetProperty("typed").GetDouble());
        Assert.True(File.Exists(_folder.File("bot.db")));
    }

    [Fact]
    public async Task DevelopmentSettingsFile_AtTheRepositoryRoot_ArrivesInOptions()
    {
        await using var development = new CoachBotFactory(_folder.File("dev.db"));
        await using var production = new CoachBotFactory(_folder.File("prod.db")).WithEnvironment("Production");

        var dev = development.Services.GetRequiredService<IOptions<TurnQueueOptions>>().Value;
        var prod = production.Services.GetRequiredService<IOptions<TurnQueueOptions>>().Value;

        // 0.25 s is set only in appsettings.Development.json; the built-in default is 1 s.
        Assert.Equal(0.25, dev.PollSeconds);
        Assert.Equal(1, prod.PollSeconds);
    }

    [Fact]
    public async Task EnvironmentVariableStyleSetting_OverridesTheDevelopmentFile()
    {
        await using var factory = new CoachBotFactory(_folder.File("env.db")).WithSetting("Queue:PollSeconds", "0.5");

        Assert.Equal(0.5, factory.Services.GetRequiredService<IOptions<TurnQueueOptions>>().Value.PollSeconds);
    }

    [Fact]
    public async Task BadQuestionFile_StopsStartUpWithTheFileNameAndProblem()
    {
        var extra = Directory.CreateDirectory(_folder.File("extra-questions"));
        await File.WriteAllTextAsync(Path.Combine(extra.FullName, "acme.json"), """{ "role": "sales", "questions": [ { "id": "acme-001" } ] }""");

        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("bank.db"),
            ["Questions:AdditionalDirectories:0"] = extra.FullName,
        });

        Assert.NotEqual(0, code);
        Assert.Contains("'acme.json'", output, StringComparison.Ordinal);
        Assert.Contains("\"text\" must be", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSetting_StopsStartUpWithTheSettingNamed()
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("opt.db"),
            ["Queue:MaxAttempts"] = "0",
        });

        Assert.NotEqual(0, code);
        Assert.Contains("MaxAttempts", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadEmbeddingProvider_StopsStartUpWithTheSettingNamed()
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("emb.db"),
            ["Knowledge:Embeddings:Provider"] = "word2vec",
        });

        Assert.NotEqual(0, code);
        Assert.Contains("Knowledge:Embeddings", output, StringComparison.Ordinal);
    }
}
