using System.Text.Json;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Tools.Tests.Bench;

public sealed class AckBenchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BenchAck_FewRequests_MeasuresBothPlatformsOverRealHttp()
    {
        var (code, stdout, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "ack", "--requests", "5", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        foreach (var platform in new[] { "slack", "teams" })
        {
            var figures = json.RootElement.GetProperty(platform);
            Assert.True(figures.GetProperty("medianMs").GetDouble() > 0, platform);
            Assert.True(figures.GetProperty("maxMs").GetDouble() >= figures.GetProperty("p95Ms").GetDouble(), platform);
        }
    }

    [Fact]
    public async Task BenchAck_BadCount_IsAUsageError()
    {
        var (code, _, stderr) = await BenchRun.RunAsync(_folder.File("cli.db"), "ack", "--requests", "0");

        Assert.Equal(BenchRun.Usage, code);
        Assert.Contains("--requests", stderr, StringComparison.Ordinal);
    }
}
