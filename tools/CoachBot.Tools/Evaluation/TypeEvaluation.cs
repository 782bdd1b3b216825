using System.Globalization;
using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tools.Evaluation;

/// <summary>One typed question of a labelled set: the question as asked, its role, and the type a coach gave it.</summary>
internal sealed record LabelledQuestion(string Id, string Role, string Question, string Type);

/// <summary>
/// Measures how typed questions (not in the bank) are read: the share whose type matches the label, where the rest went,
/// and how many borrow a bank question's points rather than their type's own. The set is <c>typed-questions.jsonl</c>
/// (100 questions written and labelled by a helper who never read the code; TYPED-QUESTIONS.md), kept apart from the
/// 220 example questions the type reader compares with.
/// </summary>
internal static class TypeEvaluation
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<LabelledQuestion> Load(string name)
    {
        var path = name == "typed"
            ? Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "typed-questions.jsonl")
            : Path.GetFullPath(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No question set at {path}.", path);
        }

        var known = QuestionTypes.All.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var questions = new List<LabelledQuestion>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Where(x => x.l.Trim().Length > 0))
        {
            var q = JsonSerializer.Deserialize<LabelledQuestion>(line, Json)
                ?? throw new InvalidDataException($"{path}:{number}: empty record.");
            if (string.IsNullOrWhiteSpace(q.Question) || !known.Contains(q.Type ?? string.Empty))
            {
                throw new InvalidDataException($"{path}:{number}: a record needs a question and one of the types {string.Join(", ", known)}.");
            }

            questions.Add(q);
        }

        return questions;
    }

    public static async Task<string> RunAsync(IReadOnlyList<LabelledQuestion> set, string name, CancellationToken cancellationToken)
    {
        var bank = QuestionBankLoader.LoadDirectories([Path.Combine(AppContext.BaseDirectory, "questions")]);
        using var reader = new QuestionTypeReader(NullLogger<QuestionTypeReader>.Instance);
        var (right, byWording, borrowed) = (0, 0, 0);
        var confusion = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var labelled in set)
        {
            var question = await CustomQuestions.CreateAsync(labelled.Question, labelled.Role, bank, reader, cancellationToken);
            var type = QuestionTypes.Of(question).Id;
            right += type == labelled.Type ? 1 : 0;
            byWording += QuestionTypes.Recognise(labelled.Question) is not null ? 1 : 0;
            borrowed += question.RubricSource.StartsWith("closest:", StringComparison.Ordinal) ? 1 : 0;
            if (type != labelled.Type)
            {
                var key = $"{labelled.Type} read as {type}";
                confusion[key] = confusion.GetValueOrDefault(key) + 1;
            }
        }

        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(string.Create(c, $"Typed questions: {name} ({set.Count} questions)"));
        b.AppendLine(string.Create(c, $"  type read as labelled              {(double)right / set.Count:0.000}  ({right} of {set.Count})"));
        b.AppendLine(string.Create(c, $"  placed by wording / by meaning     {byWording} / {set.Count - byWording}"));
        b.AppendLine(string.Create(c, $"  key points borrowed from the bank  {borrowed} (the rest: their type's own points)"));
        foreach (var (key, count) in confusion.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal))
        {
            b.AppendLine(string.Create(c, $"    {key}: {count}"));
        }

        return b.ToString();
    }
}
