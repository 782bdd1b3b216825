using CoachBot.Coaching.Questions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Knowledge;

/// <summary>
/// The knowledge CoachBot ships with: the curated coaching articles (<c>knowledge/*.md</c> next to the program)
/// and one "what a strong answer covers" document per bank question, built from its rubric.
/// </summary>
internal sealed class BuiltInKnowledge(IQuestionBank bank, IOptions<KnowledgeOptions> options)
{
    public const string ArticlePrefix = "builtin:";
    public const string RubricPrefix = "rubric:";

    public string ArticlesDirectory =>
        options.Value.ArticlesDirectory is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "knowledge");

    public IReadOnlyList<KnowledgeDocument> Documents()
    {
        var documents = new List<KnowledgeDocument>();
        var directory = ArticlesDirectory;
        if (!Directory.Exists(directory))
        {
            throw new KnowledgeException($"The built-in coaching articles were not found at {directory} (Knowledge:ArticlesDirectory).");
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.md").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            documents.Add(DocumentParser.FromMarkdown(ArticlePrefix + id, file, File.ReadAllText(file)));
        }

        documents.AddRange(bank.All.Select(Rubric));
        return documents;
    }

    public static KnowledgeDocument Rubric(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = $"What a strong answer to “{question.Text}” covers ({question.Category} question, {question.Role}): " +
                   $"{string.Join("; ", question.Rubric.Select(r => r.Point.TrimEnd('.')))}.\n\n" +
                   $"It probes {string.Join(", ", question.Competencies)}." +
                   (question.FollowUps.Count > 0 ? $" Likely follow-ups: {string.Join(" ", question.FollowUps)}" : string.Empty);
        return new KnowledgeDocument(RubricPrefix + question.Id, $"Rubric {question.Id}: {question.Text}", text)
        {
            Roles = question.Role == Roles.General ? [] : [question.Role],
            Categories = [question.Category],
            Tags = [.. question.Competencies, "rubric"],
        };
    }
}
