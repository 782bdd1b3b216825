using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>A part a well-shaped answer of one type has, with the phrases that signal it and its weight in the structure score.</summary>
/// <param name="Name">e.g. situation.</param>
/// <param name="Weight">Share of the structure score (the parts of one type add up to 100).</param>
/// <param name="Missing">What the part is, phrased for a missing-part message.</param>
/// <param name="Signals">The phrases that signal the part.</param>
public sealed record AnswerPart(string Name, int Weight, string Missing, PhraseMatcher Signals)
{
    /// <summary>What the part is for a product, flow or process to design rather than a system (<see cref="AskedParts.Missing"/>), or null when the same.</summary>
    public string? ProductMissing { get; init; }

    /// <summary>The improved example's bracketed prompt for the part in such a question, or null when the same.</summary>
    public string? ProductOutline { get; init; }
}

/// <summary>
/// A question type (behavioural story, self-introduction, motivation, strengths/weaknesses, situational, technical,
/// design) and what a good answer to it looks like. Loaded from <c>question-types.json</c>, beside the rubrics.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>story</c>.</param>
/// <param name="Name">How the card names it.</param>
/// <param name="Frame">The shape a good answer has, e.g. "STAR (situation, task, action, result)".</param>
/// <param name="MinWords">The shortest answer that suits the type.</param>
/// <param name="MaxWords">The longest.</param>
/// <param name="Weights">Each content dimension's weight in the overall (adds up to 1).</param>
/// <param name="Parts">The parts of a good answer, in the order they are usually told.</param>
/// <param name="ExampleOutline">The bracketed prompts of an improved example, one per part.</param>
public sealed record QuestionType(
    string Id,
    string Name,
    string Frame,
    int MinWords,
    int MaxWords,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<AnswerPart> Parts,
    IReadOnlyList<string> ExampleOutline)
{
    /// <summary>The bank category questions of this type are filed under (a typed question of the type is given it).</summary>
    public string Category { get; init; } = Categories.Behavioral;

    /// <summary>
    /// The rubrics a typed question of this type is scored with when no bank question asks the same thing, each with the
    /// wordings it is for (the last, with none, for any other).
    /// </summary>
    internal IReadOnlyList<(Regex[] When, bool NotASystem, IReadOnlyList<RubricPoint> Points)> GenericRubrics { get; init; } = [];

    /// <summary>
    /// The generic rubric for <paramref name="questionText"/>: the first whose wordings it matches (and, for one kept for a
    /// product, a flow or a process, that is not about a system: <see cref="AskedParts.AboutASystem"/>), else the last.
    /// </summary>
    public IReadOnlyList<RubricPoint> GenericRubricFor(string questionText)
    {
        ArgumentNullException.ThrowIfNull(questionText);
        var text = QuestionTypes.Normalise(questionText);
        return GenericRubrics.FirstOrDefault(r => (r.When.Length == 0 || r.When.Any(w => w.IsMatch(text))) &&
                                                  !(r.NotASystem && AskedParts.AboutASystem(questionText))).Points ?? [];
    }

    /// <summary>Whether the type is a story of the speaker's own past (where "I did" matters and a hypothetical misses).</summary>
    public bool IsStory => Id == QuestionTypes.Story;

    /// <summary>Whether ownership ("I" vs "we") counts for this type at all.</summary>
    public bool WeighsOwnership => Weights.GetValueOrDefault(Dimensions.Ownership) > 0;
}

/// <summary>Recognises a question's type from its wording (then its category) using the data in <c>question-types.json</c>.</summary>
public static class QuestionTypes
{
    /// <summary>A behavioural story ("Tell me about a time…").</summary>
    public const string Story = "story";

    /// <summary>"Tell me about yourself".</summary>
    public const string SelfIntroduction = "self-introduction";

    /// <summary>Why this role or company, why hire you.</summary>
    public const string Motivation = "motivation";

    /// <summary>Strengths and weaknesses.</summary>
    public const string StrengthsWeaknesses = "strengths-weaknesses";

    /// <summary>"What would you do if…".</summary>
    public const string Situational = "situational";

    /// <summary>Explaining a concept or practice.</summary>
    public const string Technical = "technical";

    /// <summary>Designing a system or product.</summary>
    public const string Design = "design";

    private static readonly Lazy<IReadOnlyList<(QuestionType Type, Regex[] Patterns, string[] Categories)>> Loaded = new(Load);
    private static readonly Lazy<IReadOnlyList<Regex>> Opposites = new(LoadOpposites);

    /// <summary>Every type, in recognition order.</summary>
    public static IReadOnlyList<QuestionType> All => [.. Loaded.Value.Select(t => t.Type)];

    /// <summary>The type with <paramref name="id"/>.</summary>
    public static QuestionType Get(string id) => Loaded.Value.First(t => t.Type.Id == id).Type;

    /// <summary>
    /// The type of <paramref name="question"/>: the one read when it was typed, else the first whose wording patterns match,
    /// else the first that claims its category.
    /// </summary>
    public static QuestionType Of(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.TypeId is { } read && Loaded.Value.FirstOrDefault(t => t.Type.Id == read).Type is { } known)
        {
            return known;
        }

        if (Recognise(question.Text) is { } recognised)
        {
            return recognised;
        }

        foreach (var (type, _, categories) in Loaded.Value)
        {
            if (categories.Contains(question.Category, StringComparer.Ordinal))
            {
                return type;
            }
        }

        return Get(Story);
    }

    /// <summary>The type whose wording patterns <paramref name="questionText"/> matches first, or null when none does.</summary>
    public static QuestionType? Recognise(string questionText)
    {
        ArgumentNullException.ThrowIfNull(questionText);
        var text = Normalise(questionText);
        return Loaded.Value.FirstOrDefault(t => t.Patterns.Any(p => p.IsMatch(text))).Type;
    }

    /// <summary>
    /// Whether two questions ask different things by the <c>marked</c> wordings in <c>question-types.json</c>: one says a
    /// weakness, a deal lost or a deadline missed and the other does not.
    /// </summary>
    public static bool AskOpposites(string oneQuestion, string otherQuestion)
    {
        ArgumentNullException.ThrowIfNull(oneQuestion);
        ArgumentNullException.ThrowIfNull(otherQuestion);
        var (a, b) = (Normalise(oneQuestion), Normalise(otherQuestion));
        return Opposites.Value.Any(marked => marked.IsMatch(a) != marked.IsMatch(b));
    }

    internal static string Normalise(string text) => text.ToLowerInvariant().Replace('\u2019', '\'');

    private static Regex Pattern(JsonElement pattern) =>
        new(pattern.GetString()!, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    private static List<Regex> LoadOpposites()
    {
        using var stream = EmbeddedData.Open("question-types.json");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("marked").EnumerateArray().Select(Pattern)];
    }

    private static List<(QuestionType, Regex[], string[])> Load()
    {
        using var stream = EmbeddedData.Open("question-types.json");
        using var json = JsonDocument.Parse(stream);
        var result = new List<(QuestionType, Regex[], string[])>();
        foreach (var t in json.RootElement.GetProperty("types").EnumerateArray())
        {
            var words = t.GetProperty("words");
            var type = new QuestionType(
                t.GetProperty("id").GetString()!,
                t.GetProperty("name").GetString()!,
                t.GetProperty("frame").GetString()!,
                words[0].GetInt32(),
                words[1].GetInt32(),
                t.GetProperty("weights").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal),
                [.. t.GetProperty("parts").EnumerateArray().Select(p => new AnswerPart(
                    p.GetProperty("name").GetString()!, p.GetProperty("weight").GetInt32(), p.GetProperty("missing").GetString()!,
                    new PhraseMatcher(p.GetProperty("signals").EnumerateArray().Select(s => s.GetString()!)))
                {
                    ProductMissing = p.TryGetProperty("product", out var product) ? product.GetProperty("missing").GetString() : null,
                    ProductOutline = p.TryGetProperty("product", out var outline) ? outline.GetProperty("example").GetString() : null,
                })],
                [.. t.GetProperty("example").EnumerateArray().Select(e => e.GetString()!)])
            {
                Category = t.GetProperty("category").GetString()!,
                GenericRubrics = [.. t.GetProperty("rubrics").EnumerateArray().Select(r => (
                    r.TryGetProperty("when", out var when) ? when.EnumerateArray().Select(Pattern).ToArray() : [],
                    r.TryGetProperty("notASystem", out var notASystem) && notASystem.GetBoolean(),
                    (IReadOnlyList<RubricPoint>)[.. r.GetProperty("points").EnumerateArray().Select(p => new RubricPoint(
                        p.GetProperty("point").GetString()!, [.. p.GetProperty("cues").EnumerateArray().Select(c => c.GetString()!)])
                    {
                        Part = p.TryGetProperty("part", out var part) ? part.GetString() : null,
                    })]))],
            };
            result.Add((type,
                [.. t.GetProperty("patterns").EnumerateArray().Select(Pattern)],
                [.. t.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!)]));
        }

        return result;
    }
}
