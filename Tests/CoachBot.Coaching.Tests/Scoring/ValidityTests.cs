using System.Globalization;
using System.Text.Json;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Scoring;

/// <summary>
/// Does the overall score agree with a hiring manager's judgement? Answers labelled strong, medium and weak
/// (written for this test, per question) are scored, and same-question pairs are compared.
/// </summary>
public class ValidityTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Overall_LabelledAnswers_OrdersStrongAboveWeakInAtLeast90PercentOfPairs()
    {
        var answers = JsonSerializer.Deserialize<List<LabelledAnswer>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scoring", "Data", "labelled-answers.json")), Json)!;
        var scorer = Scorers.Default;
        var scored = answers.Select(a => (a.QuestionId, a.Label, Overall: scorer.Score(Bank.BuiltIn.Find(a.QuestionId)!, a.Text).Overall)).ToList();

        Assert.True(answers.Count >= 30, $"{answers.Count} labelled answers");
        Assert.True(answers.Select(a => a.QuestionId).Distinct().Count() >= 10);

        var strongOverWeak = Agreement(scored, "strong", "weak");
        var strongOverMedium = Agreement(scored, "strong", "medium");
        var mediumOverWeak = Agreement(scored, "medium", "weak");
        var means = string.Join(", ", new[] { "strong", "medium", "weak" }.Select(label =>
            $"{label} {scored.Where(s => s.Label == label).Average(s => s.Overall).ToString("0.0", CultureInfo.InvariantCulture)}"));

        Figures.Report(output, "validity: strong above weak (same question)", Describe(strongOverWeak));
        Figures.Report(output, "validity: strong above medium", Describe(strongOverMedium));
        Figures.Report(output, "validity: medium above weak", Describe(mediumOverWeak));
        Figures.Report(output, "validity: mean overall by label", means);
        foreach (var (question, label, overall) in scored)
        {
            output.WriteLine($"{question} {label,-6} {overall}");
        }

        Assert.True(strongOverWeak.Rate >= 0.9, $"strong above weak in only {Describe(strongOverWeak)}");
    }

    private static (int Agree, int Pairs, double Rate) Agreement(List<(string QuestionId, string Label, int Overall)> scored, string higher, string lower)
    {
        var pairs = scored.Where(h => h.Label == higher)
            .SelectMany(h => scored.Where(l => l.Label == lower && l.QuestionId == h.QuestionId).Select(l => (h.Overall, Lower: l.Overall)))
            .ToList();
        var agree = pairs.Count(p => p.Overall > p.Lower);
        return (agree, pairs.Count, pairs.Count == 0 ? 0 : (double)agree / pairs.Count);
    }

    private static string Describe((int Agree, int Pairs, double Rate) a) =>
        string.Create(CultureInfo.InvariantCulture, $"{a.Rate:P1} ({a.Agree} of {a.Pairs} pairs)");

    private sealed record LabelledAnswer(string QuestionId, string Label, string Text, string? Note);
}
