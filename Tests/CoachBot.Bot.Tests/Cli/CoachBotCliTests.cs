using System.Diagnostics;
using System.Text.Json;
using CoachBot.Bot.Cli;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Cli;

public sealed class CoachBotCliTests : IDisposable
{
    private const string Answer = CliRun.Answer;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Practice_Json_PrintsTheReportWithSchemaVersion1()
    {
        var (code, stdout, _) = await Run("practice", "--question", "swe-001", "--text", Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("swe-001", json.RootElement.GetProperty("question").GetProperty("id").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("scores").GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("nextQuestion").ValueKind);
    }

    [Theory]
    [InlineData("Give either --text or --audio, not both.", "practice", "--text", Answer, "--audio", "x.wav")]
    [InlineData("Give either --json or --card, not both.", "practice", "--text", Answer, "--json", "--card", "slack")]
    public async Task Practice_OptionsThatExcludeEachOther_AreAUsageErrorSayingWhich(string message, params string[] args)
    {
        var (code, stdout, stderr) = await Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith(message, stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Practice_AudioThatIsAFolder_SaysItIsAFolder()
    {
        var (code, _, stderr) = await Run("practice", "--question", "swe-001", "--audio", _folder.Path);

        Assert.Equal(1, code);
        Assert.Contains($"{_folder.Path} is a folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedVerb_IsReportedAsUnrecognised_NotAsAMissingVerb()
    {
        var (code, _, stderr) = await Run("pratice", "--text", Answer);

        Assert.Equal(2, code);
        Assert.Contains("pratice", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_WithoutUser_IsTheLocalUsersLikeEveryOtherVerb()
    {
        Assert.Equal(0, (await Run("practice", "--question", "swe-001", "--text", Answer)).Code);

        var (code, stdout, stderr) = await Run("progress", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Practice_CardTeams_PrintsTheAdaptiveCardForThatAnswer()
    {
        var (code, stdout, _) = await Run("practice", "--question", "swe-001", "--text", Answer, "--card", "teams");

        Assert.Equal(0, code);
        using var card = JsonDocument.Parse(stdout);
        Assert.Equal("AdaptiveCard", card.RootElement.GetProperty("type").GetString());
        Assert.Equal("1.5", card.RootElement.GetProperty("version").GetString());
        Assert.Contains("builds went from 40 to 12 minutes", stdout, StringComparison.Ordinal);
        Assert.Contains(card.RootElement.GetProperty("actions").EnumerateArray(), a => a.GetProperty("title").GetString() == "Next question");
    }

    [Fact]
    public async Task Practice_Readable_ShowsScoresImprovementsAndNextQuestion()
    {
        var (code, stdout, _) = await Run("practice", "--question", "swe-001", "--text", Answer);

        Assert.Equal(0, code);
        Assert.Contains("Overall:", stdout, StringComparison.Ordinal);
        Assert.Contains("Improvements", stdout, StringComparison.Ordinal);
        Assert.Contains("Next question", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_QuestionTextOfABankQuestion_IsThatQuestionWithNoWarning()
    {
        var (code, stdout, _) = await Run("practice", "--question-text", "why do you want to work at this company and what do you know about us", "--text", Answer);

        Assert.Equal(0, code);
        Assert.Contains("(gen-019, general", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not in the bank", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_QuestionText_SaysTheRubricWasDerived()
    {
        var (code, stdout, _) = await Run("practice", "--question-text", "Tell me about a time you calmed an angry customer.", "--role", "support", "--text", Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var question = json.RootElement.GetProperty("question");
        Assert.StartsWith("custom-", question.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("behavioral", question.GetProperty("category").GetString());
        Assert.NotEqual("bank", question.GetProperty("rubricSource").GetString());
    }

    [Fact]
    public async Task Practice_QuestionTextWithARole_AsksTheNextQuestionForThatRole()
    {
        var (code, stdout, _) = await Run("practice", "--question-text", "Walk me through a deal you won last year.", "--role", "sales", "--text", Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("story", json.RootElement.GetProperty("question").GetProperty("type").GetString());
        var next = json.RootElement.GetProperty("nextQuestion").GetProperty("id").GetString()!;
        Assert.True(next.StartsWith("sales-", StringComparison.Ordinal) || next.StartsWith("gen-", StringComparison.Ordinal), next);
    }

    [Fact]
    public async Task Practice_NoQuestionGiven_AnswersTheSessionsQuestion()
    {
        var (code, stdout, _) = await Run("practice", "--role", "sales", "--text", Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Contains(json.RootElement.GetProperty("question").GetProperty("role").GetString(), new[] { "sales", "general" });
    }

    [Fact]
    public async Task Practice_EmptyAnswer_ExplainsAndExits1()
    {
        var (code, _, stderr) = await Run("practice", "--question", "swe-001", "--text", "  ");

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains("empty", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("practice", "--text")]
    [InlineData("practice", "--question", "swe-001", "--question-text", "Why us?", "--text", "x")]
    [InlineData("practice", "--role", "astronaut", "--text", "x")]
    [InlineData("questions", "list", "--category", "trivia")]
    [InlineData("practice", "--text", "x", "--bogus")]
    [InlineData("practice", "--question", "gen-001")]
    [InlineData("practice", "--text", "x", "--audio", "x.m4a")]
    public async Task BadArguments_PrintUsageAndExit2(params string[] args)
    {
        var (code, _, stderr) = await Run(args);

        Assert.Equal(CoachBotCli.Usage, code);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_Audio_PrintsDeliveryAndEmotions()
    {
        var clip = Path.Combine(_folder.Path, "answer.m4a");
        TestData.Encode(TestData.JfkWav, clip, "-c:a", "aac");

        var (code, stdout, stderr) = await Run("practice", "--question", "gen-001", "--audio", clip, "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("voice", json.RootElement.GetProperty("answer").GetProperty("source").GetString());
        Assert.True(json.RootElement.GetProperty("delivery").GetProperty("wordsPerMinute").GetDouble() > 0);
        Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("emotions").ValueKind);
    }

    [Fact]
    public async Task Practice_UnreadableAudio_ExplainsAndExits1()
    {
        var fake = Path.Combine(_folder.Path, "answer.m4a");
        await File.WriteAllTextAsync(fake, "not audio");

        var (code, _, stderr) = await Run("practice", "--question", "gen-001", "--audio", fake);

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains("not a recording", stderr, StringComparison.Ordinal);
        // The command line's own way to answer, not the chat's.
        Assert.Contains("--text", stderr, StringComparison.Ordinal);
        Assert.Contains("--audio <file>", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("paste the text as a message", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_AudioFileMissing_SaysNoFileAtThePathAndExits1()
    {
        var missing = Path.Combine(_folder.Path, "nowhere.m4a");

        var (code, stdout, stderr) = await Run("practice", "--question", "gen-001", "--audio", missing, "--json");

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains($"No file at {missing}", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("missing_file", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Practice_DatabaseInAFolderThatCannotExist_ExplainsAndExits1()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CoachBotCli.RunAsync(["practice", "--question", "swe-001", "--text", Answer], stdout, stderr,
            b => b.Configuration["Storage:DatabasePath"] = "/proc/coachbot-cannot-exist/x.db");

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains("Storage:DatabasePath", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_StorageProviderPostgresNotListening_SaysWhereItLookedAndExits1()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var code = await CoachBotCli.RunAsync(["practice", "--question", "swe-001", "--text", Answer], stdout, stderr, b =>
        {
            b.Configuration["Storage:Provider"] = "Postgres";
            b.Configuration["Storage:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=coachbot;Username=bot;Password=secret;Timeout=5";
            b.Configuration["Storage:DatabasePath"] = _folder.File("unused.db");
        });

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains($"PostgreSQL at 127.0.0.1:{port}/coachbot cannot be reached", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Check Storage:ConnectionString", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(stdout.ToString());
        Assert.False(File.Exists(_folder.File("unused.db")));
    }

    [Fact]
    public async Task QuestionsList_ByRoleAndCategory_ListsOnlyThose()
    {
        var (code, stdout, _) = await Run("questions", "list", "--role", "designer", "--category", "technical", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.NotEmpty(json.RootElement.EnumerateArray());
        Assert.All(json.RootElement.EnumerateArray(), q =>
        {
            Assert.Contains(q.GetProperty("role").GetString(), new[] { "designer", "general" });
            Assert.Equal("technical", q.GetProperty("category").GetString());
        });
    }

    [Fact]
    public async Task Progress_AfterTwoAnswers_CountsThem()
    {
        await Run("practice", "--user", "kim", "--question", "swe-001", "--text", Answer);
        await Run("practice", "--user", "kim", "--question", "swe-002", "--text", "I am not sure, maybe we did fine with the bug, I think we found it in the logs in the end.");

        var (code, stdout, _) = await Run("progress", "--user", "kim", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("weakestDimension").GetString()));
    }

    [Fact]
    public async Task Bench_NotInTheShippedProgram_IsAnUnknownVerbAndNoBenchTypeShips()
    {
        var (code, _, stderr) = await Run("bench", "text");

        Assert.Equal(2, code);
        Assert.Contains("bench", stderr, StringComparison.Ordinal);
        // The benchmark verbs live in tools/CoachBot.Tools; neither the host nor the coaching library carries them.
        var shipped = new[] { typeof(CoachBotCli).Assembly, typeof(CoachBot.Coaching.Queue.ITurnQueue).Assembly };
        Assert.Empty(shipped.SelectMany(a => a.GetTypes()).Where(t => t.Name.Contains("Bench", StringComparison.Ordinal)).Select(t => t.FullName));
    }

    [Fact]
    public async Task BuiltProgram_UnknownVerbAndEnvironmentSettings_BehaveAsDocumented()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "coachbot.dll");

        var unknown = await Process(dll, ["frobnicate"]);
        var practice = await Process(dll, ["practice", "--question", "gen-001", "--text", Answer, "--json"]);

        Assert.Equal(2, unknown.Code);
        Assert.Contains("Usage:", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, practice.Code);
        Assert.Equal("gen-001", JsonDocument.Parse(practice.Stdout).RootElement.GetProperty("question").GetProperty("id").GetString());
        // Storage__DatabasePath from the environment decided where the attempt went.
        Assert.True(File.Exists(_folder.File("process.db")));
    }

    private Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) =>
        CliRun.RunAsync(_folder.File("cli.db"), [], args);

    private async Task<(int Code, string Stdout, string Stderr)> Process(string dll, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder.Path };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__DatabasePath"] = _folder.File("process.db");
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
