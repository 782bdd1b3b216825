using System.Collections.Frozen;

namespace CoachBot.Coaching.Questions;

/// <summary>The validated practice questions.</summary>
public interface IQuestionBank
{
    /// <summary>Every question, ordered by id.</summary>
    IReadOnlyList<Question> All { get; }

    /// <summary>The question with this id, or null.</summary>
    Question? Find(string id);

    /// <summary>Questions for a role (general questions included), optionally of one category and difficulty.</summary>
    IReadOnlyList<Question> Filter(string? role = null, string? category = null, int? difficulty = null);
}

/// <summary>An in-memory question bank built from validated questions.</summary>
public sealed class QuestionBank : IQuestionBank
{
    private readonly FrozenDictionary<string, Question> _byId;

    /// <summary>Creates a bank; ids must be unique.</summary>
    public QuestionBank(IEnumerable<Question> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        All = [.. questions.OrderBy(q => q.Id, StringComparer.Ordinal)];
        _byId = All.ToFrozenDictionary(q => q.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public IReadOnlyList<Question> All { get; }

    /// <inheritdoc />
    public Question? Find(string id) => _byId.GetValueOrDefault(id);

    /// <inheritdoc />
    public IReadOnlyList<Question> Filter(string? role = null, string? category = null, int? difficulty = null) =>
    [
        .. All.Where(q =>
            (role is null || q.Role == role || (q.Role == Roles.General && role != Roles.General)) &&
            (category is null || q.Category == category) &&
            (difficulty is null || q.Difficulty == difficulty)),
    ];
}
