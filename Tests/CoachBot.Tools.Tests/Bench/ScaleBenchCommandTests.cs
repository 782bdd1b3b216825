using System.Text.Json;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Tools.Tests.Bench;

public sealed class ScaleBenchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BenchScale_FewAnswersOnSqliteAndOnTheTestPostgres_EveryAnswerCoachedAndFiguresPrinted()
    {
        // PostgreSQL rows when the test cluster is there (scripts/test-postgres.sh), SQLite's always.
        var postgres = Environment.GetEnvironmentVariable("COACHBOT_TEST_POSTGRES");
        string[] args = postgres is null
            ? ["scale", "--answers", "6", "--concurrency", "3", "--json"]
            : ["scale", "--answers", "6", "--concurrency", "3", "--instances", "2", "--postgres", postgres, "--json"];
        var (code, stdout, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), args);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(postgres is null ? 1 : 2, rows.Count);
        Assert.Equal("sqlite", rows[0].GetProperty("provider").GetString());
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("ackP50Ms").GetDouble() > 0, stdout);
            Assert.True(row.GetProperty("ackP99Ms").GetDouble() >= row.GetProperty("ackP50Ms").GetDouble(), stdout);
            Assert.True(row.GetProperty("coachedPerSecond").GetDouble() > 0, stdout);
        }

        if (postgres is not null)
        {
            Assert.Equal("postgres", rows[1].GetProperty("provider").GetString());
            Assert.Equal(2, rows[1].GetProperty("instances").GetInt32());
        }
    }

    [Fact]
    public async Task BenchScale_BadInstanceCount_IsAUsageError()
    {
        var (code, _, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "scale", "--instances", "1,x");

        Assert.Equal(BenchRun.Usage, code);
        Assert.Contains("--instances", stderr, StringComparison.Ordinal);
    }
}
