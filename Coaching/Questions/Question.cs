namespace CoachBot.Coaching.Questions;

/// <summary>A practice question and what a strong answer to it covers.</summary>
/// <param name="Id">Stable id such as <c>swe-004</c>.</param>
/// <param name="Text">The question as the interviewer asks it.</param>
/// <param name="Role">The role it is written for (see <see cref="Roles"/>).</param>
/// <param name="Category">behavioral, situational, technical or motivation (see <see cref="Categories"/>).</param>
/// <param name="Difficulty">1 (common, entry level) to 3 (senior, hard).</param>
/// <param name="Competencies">What the question probes, e.g. <c>conflict-resolution</c>.</param>
/// <param name="Rubric">3–6 key points a strong answer covers.</param>
/// <param name="FollowUps">1–2 follow-up questions.</param>
public sealed record Question(
    string Id,
    string Text,
    string Role,
    string Category,
    int Difficulty,
    IReadOnlyList<string> Competencies,
    IReadOnlyList<RubricPoint> Rubric,
    IReadOnlyList<string> FollowUps)
{
    /// <summary>Where the rubric came from: <c>bank</c>, or how it was derived for a question outside the bank.</summary>
    public string RubricSource { get; init; } = "bank";

    /// <summary>
    /// The question type read when the question was typed (by its wording or its meaning), or null to read it from the
    /// wording and category whenever it is needed (see <c>QuestionTypes.Of</c>).
    /// </summary>
    public string? TypeId { get; init; }
}

/// <summary>One key point of a rubric and the words an answer covering it would use.</summary>
/// <param name="Point">The key point, as a coach would say it.</param>
/// <param name="Cues">Lower-case words or short phrases; a trailing <c>*</c> matches by prefix.</param>
public sealed record RubricPoint(string Point, IReadOnlyList<string> Cues)
{
    /// <summary>
    /// The part of the question type's shape the point asks for, when it is one (a generic "Gives a concrete example" is
    /// the technical answer's example): the point is covered wherever the answer has that part.
    /// </summary>
    public string? Part { get; init; }
}

/// <summary>The roles the question bank covers.</summary>
public static class Roles
{
    /// <summary>Questions that fit any role.</summary>
    public const string General = "general";

    /// <summary>Every role id, in display order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "software-engineer", "ai-engineer", "data-analyst", "product-manager", "engineering-manager", "designer", "sales",
        "customer-support", General,
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["swe"] = "software-engineer", ["engineer"] = "software-engineer", ["developer"] = "software-engineer",
        ["software"] = "software-engineer", ["dev"] = "software-engineer",
        ["ai"] = "ai-engineer", ["ml"] = "ai-engineer", ["ml-engineer"] = "ai-engineer", ["llm"] = "ai-engineer",
        ["data"] = "data-analyst", ["analyst"] = "data-analyst", ["data-scientist"] = "data-analyst",
        ["scientist"] = "data-analyst",
        ["pm"] = "product-manager", ["product"] = "product-manager",
        ["em"] = "engineering-manager", ["manager"] = "engineering-manager",
        ["design"] = "designer", ["ux"] = "designer",
        ["support"] = "customer-support", ["cs"] = "customer-support", ["customer-success"] = "customer-support",
        ["behavioral"] = General, ["behavioural"] = General, ["any"] = General,
    };

    /// <summary>Resolves a role id or a common alias ("pm", "swe", "data scientist"); null when unknown.</summary>
    public static string? Resolve(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var key = string.Join('-', value.Trim().Split([' ', '_', '-'], StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (All.Contains(key))
        {
            return key;
        }

        return Aliases.TryGetValue(key, out var role) ? role : null;
    }
}

/// <summary>The question categories.</summary>
public static class Categories
{
    /// <summary>Past experience: "Tell me about a time…".</summary>
    public const string Behavioral = "behavioral";

    /// <summary>Hypothetical: "What would you do if…".</summary>
    public const string Situational = "situational";

    /// <summary>Role-specific knowledge or skill.</summary>
    public const string Technical = "technical";

    /// <summary>Motivation, culture and career.</summary>
    public const string Motivation = "motivation";

    /// <summary>Every category id.</summary>
    public static readonly IReadOnlyList<string> All = [Behavioral, Situational, Technical, Motivation];
}
