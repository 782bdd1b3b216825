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

    private Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) => CliRun.RunAsync(_folder.File("cli.db"), [], args);
}
