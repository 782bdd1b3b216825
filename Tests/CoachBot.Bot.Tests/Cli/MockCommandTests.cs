using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Plans;

namespace CoachBot.Bot.Tests.Cli;

/// <summary>A mock interview on the command line: one verb per step over the same database.</summary>
public sealed class MockCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MockStartOfThePlan_AnswerAndSkip_PrintsTheReportCardAndProgressListsIt()
    {
        var resume = _folder.File("resume.txt");
        await File.WriteAllBytesAsync(resume, PlanDocuments.Text(PlanDocuments.BackendResume));
        Assert.Equal(0, (await Run("plan", "create", "--resume", resume, "--job", string.Join('\n', PlanDocuments.DataAnalystJob))).Code);

        var (startCode, started, _) = await Run("mock", "start", "plan", "--questions", "2");
        Assert.Equal(0, startCode);
        Assert.Contains("Question 1 of 2", started, StringComparison.Ordinal);

        // Answers until the second question (a follow-up may come first), which is skipped.
        var output = started;
        for (var i = 0; i < 3 && !output.Contains("Question 2 of 2", StringComparison.Ordinal); i++)
        {
            output = (await Run("mock", "answer", "--text", CliRun.Answer)).Stdout;
        }

        var (skipCode, report, _) = await Run("mock", "skip", "--json");
        Assert.Equal(0, skipCode);
        using var card = JsonDocument.Parse(report);
        Assert.Equal(1, card.RootElement.GetProperty("skipped").GetInt32());
        Assert.Equal(2, card.RootElement.GetProperty("questions").GetInt32());
        var readiness = card.RootElement.GetProperty("readiness").GetInt32();

        var (_, progress, _) = await Run("progress", "--user", "local");
        Assert.Contains($"readiness {readiness,3}", progress, StringComparison.Ordinal);
        var (answerCode, _, refused) = await Run("mock", "answer", "--text", CliRun.Answer);
        Assert.Equal(1, answerCode);
        Assert.Contains("no mock interview going on", refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("50")]
    public async Task MockStart_QuestionsOutOfRange_SaysSoInCommandLineWords(string questions)
    {
        var (code, _, error) = await Run("mock", "start", "software-engineer", "--questions", questions);

        Assert.Equal(2, code);
        Assert.Contains("--questions must be between 1 and 12", error, StringComparison.Ordinal);
        Assert.DoesNotContain("questions=", error, StringComparison.Ordinal);
        Assert.DoesNotContain("I don't know the role", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingToActOn_EveryVerbRefusesWithExitOneAndCommandLineWords()
    {
        var (planCode, _, noPlan) = await Run("mock", "start", "plan");
        Assert.Equal(1, planCode);
        Assert.Contains("plan create --resume", noPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Say “plan”", noPlan, StringComparison.Ordinal);

        foreach (var verb in new[] { "skip", "stop", "report" })
        {
            var (code, stdout, error) = await Run("mock", verb);
            Assert.True(code == 1, $"mock {verb}: exit {code}, {stdout}{error}");
            Assert.Contains("mock start [plan|<role>] [--questions N]", error, StringComparison.Ordinal);
            Assert.DoesNotContain("questions=N", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MockAnswer_EmptyText_IsRefusedAndTheQuestionStays_AndJsonSaysWhereTheInterviewIs()
    {
        var (_, started, _) = await Run("mock", "start", "general", "--questions", "2", "--json");
        using var first = JsonDocument.Parse(started);
        Assert.Equal(1, first.RootElement.GetProperty("number").GetInt32());
        Assert.Equal(2, first.RootElement.GetProperty("of").GetInt32());
        Assert.Contains("mock skip", first.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);

        var (code, _, error) = await Run("mock", "answer", "--text", " ");

        Assert.Equal(1, code);
        Assert.Contains("--text is empty", error, StringComparison.Ordinal);
        var (_, skipped, _) = await Run("mock", "skip", "--json");
        using var second = JsonDocument.Parse(skipped);
        Assert.Equal(2, second.RootElement.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task ForgetMe_WithoutConfirmDeletesNothing_WithConfirmDeletesTheMockInterviews()
    {
        await Run("mock", "start", "general", "--questions", "1");
        await Run("mock", "answer", "--text", CliRun.Answer);
        for (var i = 0; i < 2 && (await Run("mock", "report")).Code != 0; i++)
        {
            await Run("mock", "answer", "--text", CliRun.Answer);
        }

        Assert.Equal(0, (await Run("mock", "report")).Code);

        var (askCode, _, asked) = await Run("forget", "me");
        Assert.Equal(1, askCode);
        Assert.Contains("--confirm", asked, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("mock", "report")).Code);

        var (code, done, _) = await Run("forget", "me", "--confirm");

        Assert.Equal(0, code);
        Assert.Contains("mock interviews", done, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("mock", "report")).Code);
        Assert.DoesNotContain("readiness", (await Run("progress")).Stdout, StringComparison.Ordinal);
    }

    private Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) => CliRun.RunAsync(_folder.File("cli.db"), [], args);
}
