using System.Net;
using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class HostStartupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("/privacy", "forget me", "Development")]
    [InlineData("/terms", "practice tool", "Development")]
    [InlineData("/about", "interview-practice coach", "Development")]
    [InlineData("/privacy", "forget-me", "Production")]
    [InlineData("/terms", "practice tool", "Production")]
    [InlineData("/about", "href=\"/privacy\"", "Production")]
    public async Task PolicyPages_TheTeamsPackageLinksTo_AreServed(string path, string expected, string environment)
    {
        await using var factory = new CoachBotFactory(_folder.File("policy.db")).WithEnvironment(environment);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_SaysTheRetentionPeriodsTheHostRunsWith()
    {
        await using var factory = new CoachBotFactory(_folder.File("retention.db"))
            .WithSetting("Queue:RetentionDays", "3").WithSetting("Teams:PendingFeedbackDays", "9");
        using var client = factory.CreateClient();

        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/privacy", UriKind.Relative)));

        Assert.Contains("cleared 3 days later (Queue:RetentionDays)", page, StringComparison.Ordinal);
        Assert.Contains("for at most 9 days (Teams:PendingFeedbackDays)", page, StringComparison.Ordinal);
        foreach (var kept in new[] { "Interview plans", "Mock interviews", "Group practice rounds", "user id", "Recordings" })
        {
            Assert.Contains(kept, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Privacy_AccountsForEveryTableOfTheDatabase()
    {
        // The tables a fresh host creates, and every table any source file creates (an adapter may create its own
        // lazily; a storage provider, its own). A new table fails here until PolicyPages.Tables names it, i.e. until the privacy statement is reviewed.
        await using var factory = new CoachBotFactory(_folder.File("tables.db"));
        _ = factory.Services;
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.File("tables.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knowledge_fts_%';";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var created = new System.Text.RegularExpressions.Regex(@"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        foreach (var folder in new[] { "Coaching", "Adapters", "Bot", "Storage" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CoachBot.Coaching.Tests.Support.TestData.RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                foreach (System.Text.RegularExpressions.Match match in created.Matches(await File.ReadAllTextAsync(file)))
                {
                    tables.Add(match.Groups[1].Value);
                }
            }
        }

        // Both ways found what they must, so an empty scan cannot pass.
        Assert.Contains("attempts", tables);
        Assert.Contains("teams_pending_feedback", tables);
        Assert.Equal(tables, new SortedSet<string>(CoachBot.Bot.Hosting.PolicyPages.Tables.Keys, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Teams:AppId", "6f1c2a4e-8d3b-4a57-9e21-0c5d7b8a9f10", "Teams:AppPassword is required")]
    [InlineData("Teams:PublicBaseUrl", "http://coachbot.example.com", "Teams:PublicBaseUrl must be an https address")]
    [InlineData("Slack:SocketMode", "On", "Slack:SocketMode is On but Slack:AppToken (xapp-…) is not set.")]
    public async Task RefusedSetting_StopsTheProgramWithOneMessageAndExitCode1_NotACrash(string key, string value, string expected)
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("refused.db"),
            [key] = value,
        });

        Assert.Equal(1, code);
        Assert.Contains("CoachBot did not start: the configuration is not valid: " + expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresWithoutRecordingsSigningKey_StopsTheProgramSayingWhyAndHowToSetIt()
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("refused.db"),
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db.example;Database=coachbot;Username=bot;Password=hunter2",
        });

        Assert.Equal(1, code);
        Assert.Contains("Recordings:SigningKey is empty: each instance would sign recorder links with its own random key", output, StringComparison.Ordinal);
        Assert.Contains("Recordings__SigningKey=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
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
        Assert.Equal("sqlite", json.RootElement.GetProperty("database").GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("database").GetProperty("host").ValueKind);
        Assert.True(json.RootElement.GetProperty("questions").GetInt32() >= 150);
        Assert.Equal(0, json.RootElement.GetProperty("queue").GetProperty("pending").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("advice").GetProperty("budgetSeconds").GetProperty("typed").GetDouble());
        Assert.True(File.Exists(_folder.File("bot.db")));
    }

    [Fact]
    public async Task Healthz_ConfiguredInstanceId_ReportsIt()
    {
        await using var factory = new CoachBotFactory(_folder.File("named.db")).WithSetting("Queue:InstanceId", " coachbot-pod-7 ");
        using var client = factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.Equal("coachbot-pod-7", json.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Healthz_NoInstanceIdConfigured_ReportsTheOneNameTheLeasesCarry()
    {
        await using var factory = new CoachBotFactory(_folder.File("unnamed.db"));
        using var client = factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var instance = json.RootElement.GetProperty("instance").GetString();
        Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", instance, StringComparison.Ordinal);
        Assert.Equal(factory.Services.GetRequiredService<ISchedulerLease>().Owner, instance);
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

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
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

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
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

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains("Knowledge:Embeddings", output, StringComparison.Ordinal);
    }
}
