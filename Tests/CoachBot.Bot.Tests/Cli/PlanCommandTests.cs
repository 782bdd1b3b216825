using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Plans;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Cli;

public sealed class PlanCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PlanCreate_Json_PrintsOnlyThePlanAndLeavesTheResume()
    {
        var resume = Write("resume.docx", PlanDocuments.Docx(PlanDocuments.BackendResume));
        var job = Write("job.txt", PlanDocuments.Text(PlanDocuments.DataAnalystJob));

        var (code, stdout, _) = await Run("plan", "create", "--resume", resume, "--job", job, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("data-analyst", root.GetProperty("role").GetString());
        var questions = root.GetProperty("questions").EnumerateArray().ToList();
        Assert.InRange(questions.Count, 8, 12);
        Assert.All(questions, q =>
        {
            Assert.False(string.IsNullOrWhiteSpace(q.GetProperty("id").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(q.GetProperty("text").GetString()));
            Assert.Contains(q.GetProperty("source").GetString(), new[] { "bank", "written" });
            Assert.InRange(q.GetProperty("rubric").GetArrayLength(), 3, 6);
        });
        Assert.Contains(questions, q => q.GetProperty("source").GetString() == "written");
        Assert.Contains(root.GetProperty("skills").EnumerateArray(), s => s.GetProperty("name").GetString() == "SQL" && s.GetProperty("inResume").GetBoolean());
        Assert.True(File.Exists(resume));
    }

    [Fact]
    public async Task PlanCreate_JobAsText_ReadsTheRoleFromIt()
    {
        var resume = Write("resume.pdf", PlanDocuments.Pdf(PlanDocuments.BackendResume));

        var (code, stdout, _) = await Run("plan", "create", "--resume", resume, "--job", string.Join('\n', PlanDocuments.ProductManagerJob));

        Assert.Equal(0, code);
        Assert.Contains("(product-manager, senior)", stdout, StringComparison.Ordinal);
        Assert.Contains("[written, ", stdout, StringComparison.Ordinal);
        Assert.Contains("[bank, ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanCreate_EncryptedResume_RefusedWithTheReason()
    {
        var resume = Write("resume.pdf", PlanDocuments.EncryptedPdf());
        var job = Write("job.txt", PlanDocuments.Text(PlanDocuments.DataAnalystJob));

        var (code, stdout, stderr) = await Run("plan", "create", "--resume", resume, "--job", job, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("encrypted", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("password", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(resume));
    }

    [Fact]
    public async Task PlanShow_AfterCreate_ListsTheFactsKept()
    {
        var resume = Write("resume.txt", PlanDocuments.Text(PlanDocuments.BackendResume));
        var job = Write("job.txt", PlanDocuments.Text(PlanDocuments.DataAnalystJob));
        await Run("plan", "create", "--resume", resume, "--job", job, "--user", "sam");

        var (code, stdout, _) = await Run("plan", "show", "--user", "sam");
        var other = await Run("plan", "show", "--user", "someone-else");

        Assert.Equal(0, code);
        Assert.Contains("Kept from your résumé:", stdout, StringComparison.Ordinal);
        Assert.Contains("  - migrated billing to event sourcing, cutting reconciliation errors by 40%", stdout, StringComparison.Ordinal);
        Assert.Contains("  - build dashboards in Tableau for the sales and marketing teams", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Sam Rivera", stdout, StringComparison.Ordinal);
        Assert.Equal(1, other.Code);
    }

    [Fact]
    public async Task PlanCreate_MissingResume_Refused()
    {
        var (code, _, stderr) = await Run("plan", "create", "--resume", _folder.File("nothing.pdf"), "--job", "Data Analyst building dashboards for the sales team and more.");

        Assert.Equal(1, code);
        Assert.Contains("There is no résumé file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanCreate_UnknownRole_IsAUsageError()
    {
        var resume = Write("resume.txt", PlanDocuments.Text(PlanDocuments.BackendResume));

        var (code, _, stderr) = await Run("plan", "create", "--resume", resume, "--job", "x.txt", "--role", "astronaut");

        Assert.Equal(2, code);
        Assert.Contains("Unknown role 'astronaut'", stderr, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) =>
        CliRun.RunAsync(_folder.File("cli.db"), [], args);
}
