using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Tools.Evaluation;

/// <summary>One labelled answer of an evaluation set (see Data/GRADING.md for what the labels mean).</summary>
internal sealed record LabelledAnswer(
    string Id,
    string? QuestionId,
    string QuestionText,
    string Role,
    string Answer,
    string Kind,
    int Grade,
    bool OffTopic,
    string? NonAnswer,
    IReadOnlyList<int> CoveredPoints,
    bool Spoken,
    string? Concern = null);

/// <summary>Reads an evaluation set (JSON lines).</summary>
internal static class EvaluationSet
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>
    /// The set named <paramref name="name"/> shipped with the program, or a file path: <c>eval</c> is the held-out set the
    /// figures are reported on (eval-set-b.jsonl); <c>eval-a</c> (the first evaluation set, eval-set.jsonl), <c>tuning</c>
    /// and <c>tuning-2</c> are the sets thresholds were set on (eval-a became one once two changes had been informed by it);
    /// <c>eval-c</c> (eval-set-c.jsonl) is the fresh set the advice was judged on, blind; <c>eval-d</c> (eval-set-d.jsonl)
    /// the fresh set judgement concerns and hard off-topic answers are reported on, and <c>tuning-3</c> (tuning-set-3.jsonl)
    /// its smaller twin, written the same way, that the concerns were developed on; <c>eval-e</c> (eval-set-e.jsonl) the
    /// fresh set of 2026-12-07 (28 answers to a neighbouring question, their on-topic controls, concerns, rambling);
    /// <c>eval-f</c> (eval-set-f.jsonl) the fresh set of 2026-12-08, written the same way; <c>concern-dev</c>
    /// (concern-dev.jsonl) answers showing each judgement concern in many wordings beside near-miss controls, that the
    /// concern patterns were widened on (development data).
    /// </summary>
    public static IReadOnlyList<LabelledAnswer> Load(string name)
    {
        var path = name switch
        {
            "eval" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set-b.jsonl"),
            "eval-a" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set.jsonl"),
            "tuning" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "tuning-set.jsonl"),
            "tuning-2" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "tuning-set-2.jsonl"),
            "eval-c" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set-c.jsonl"),
            "eval-d" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set-d.jsonl"),
            "tuning-3" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "tuning-set-3.jsonl"),
            "eval-e" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set-e.jsonl"),
            "eval-f" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "eval-set-f.jsonl"),
            "concern-dev" => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "concern-dev.jsonl"),
            _ => Path.GetFullPath(name),
        };
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No evaluation set at {path}.");
        }

        return [.. File.ReadLines(path).Where(l => l.Trim().Length > 0).Select((line, i) =>
            JsonSerializer.Deserialize<LabelledAnswer>(line, Options) ?? throw new InvalidDataException($"{path}:{i + 1} is empty."))];
    }
}
