using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>The built-in question bank, loaded once from the copy next to the test assembly.</summary>
public static class Bank
{
    private static readonly Lazy<QuestionBank> Loaded = new(() =>
        QuestionBankLoader.LoadDirectories([Path.Combine(AppContext.BaseDirectory, "questions")]));

    public static QuestionBank BuiltIn => Loaded.Value;

    /// <summary>A small question for tests that need a known rubric.</summary>
    public static Question Conflict(string category = Categories.Behavioral) => new(
        "test-001",
        "Tell me about a time you disagreed with a teammate about a technical decision.",
        "software-engineer",
        category,
        2,
        ["conflict-resolution"],
        [
            new RubricPoint("Names the disagreement and what was at stake", ["disagree*", "pushed back", "conflict"]),
            new RubricPoint("Explains how they understood the other view", ["listen*", "their perspective", "understand*"]),
            new RubricPoint("Describes the steps taken to resolve it", ["prototype*", "benchmark*", "proposed", "compromise"]),
            new RubricPoint("States the outcome", ["result*", "reduced", "shipped", "outcome"]),
        ],
        ["What would you do differently?"]);
}
