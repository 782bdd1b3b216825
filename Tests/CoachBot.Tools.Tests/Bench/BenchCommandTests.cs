using System.Text.Json;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Tools.Tests.Bench;

/// <summary><c>coachbot-tools bench text</c> and <c>bench llm</c> (figures are printed, not asserted).</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BenchText_FewIterations_PrintsMedianAndP95()
    {
        var (code, stdout, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "text", "--iterations", "5", "--warmup", "1", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("medianMs").GetDouble() > 0);
        Assert.Equal(5, json.RootElement.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public async Task BenchLlm_FewRounds_PrintsDirectChainAndFailoverFigures()
    {
        var (code, stdout, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "llm", "--iterations", "5", "--warmup", "1", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(5, json.RootElement.GetProperty("iterations").GetInt32());
        foreach (var figure in new[] { "directMedianMs", "chainMedianMs", "failoverMedianMs" })
        {
            Assert.True(json.RootElement.GetProperty(figure).GetDouble() > 0, figure);
        }
    }

    [Fact]
    public async Task Bench_NoVerb_IsAUsageErrorListingTheVerbs()
    {
        var (code, _, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"));

        Assert.Equal(BenchRun.Usage, code);
        Assert.Contains("ack", stderr, StringComparison.Ordinal);
        Assert.Contains("knowledge", stderr, StringComparison.Ordinal);
    }
}
