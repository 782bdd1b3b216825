using CoachBot.Tools.Bench;

namespace CoachBot.Tools.Tests.Bench;

/// <summary>Runs <c>coachbot-tools bench …</c> in-process over a test's own database, capturing what it prints.</summary>
internal static class BenchRun
{
    public const int Refused = 1;
    public const int Usage = 2;

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string databasePath, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await BenchCli.RunAsync(["bench", .. args], stdout, stderr, b =>
        {
            b.Configuration["Storage:DatabasePath"] = databasePath;
            b.Configuration["CoachBot:DataRoot"] = Path.GetDirectoryName(databasePath);
        });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
