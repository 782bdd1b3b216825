using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>Builds questions for tests: only what a test cares about needs saying.</summary>
public sealed class QuestionBuilder
{
    private string _id = "t-001";
    private string _role = "software-engineer";
    private string _category = Categories.Behavioral;
    private int _difficulty = 1;
    private string[] _competencies = ["communication"];

    public static QuestionBuilder Question(string id) => new() { _id = id };

    public QuestionBuilder Role(string role)
    {
        _role = role;
        return this;
    }

    public QuestionBuilder Category(string category)
    {
        _category = category;
        return this;
    }

    public QuestionBuilder Difficulty(int difficulty)
    {
        _difficulty = difficulty;
        return this;
    }

    public QuestionBuilder Competencies(params string[] competencies)
    {
        _competencies = competencies;
        return this;
    }

    public Question Build() => new(
        _id, $"Tell me about a time you did {_id}.", _role, _category, _difficulty, _competencies,
        [new RubricPoint("A", ["alpha"]), new RubricPoint("B", ["beta"]), new RubricPoint("C", ["gamma"])],
        ["Why?"]);
}
