using System.Text.RegularExpressions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Questions;

/// <summary>
/// Builds a <see cref="Question"/> for a question that is not in the bank (a manager's own question):
/// its category is inferred from its wording, and its rubric comes from the closest bank questions or,
/// when none is close, from the category's generic rubric.
/// </summary>
public static partial class CustomQuestions
{
    /// <summary>Questions closer than this (Jaccard overlap of content-word stems) lend their rubric.</summary>
    public const double MinimumSimilarity = 0.2;

    private static readonly Dictionary<string, IReadOnlyList<RubricPoint>> Generic = new()
    {
        [Categories.Behavioral] =
        [
            new("Sets up a specific, real situation and what was at stake", ["when i was", "at my", "last year", "situation", "project", "stake*", "deadline"]),
            new("Makes clear what they were responsible for", ["my role", "responsible", "my goal", "i needed to", "i had to", "my job", "tasked"]),
            new("Describes the actions they took themselves, in order", ["i decided", "i built", "i led", "i proposed", "i organized", "first i", "then i", "i talked"]),
            new("States a result, ideally measured", ["result*", "reduced", "increased", "improved", "saved", "%", "outcome", "shipped"]),
            new("Reflects on what they learned", ["learned", "lesson", "next time", "since then", "would do differently", "takeaway"]),
        ],
        [Categories.Situational] =
        [
            new("Clarifies the goal and gathers facts before acting", ["clarify", "understand", "ask*", "find out", "gather", "data", "first i would"]),
            new("Lays out concrete steps in a sensible order", ["first", "then", "next", "step*", "i would", "plan"]),
            new("Considers the people involved and communicates", ["stakeholder*", "communicat*", "talk to", "team", "manager", "customer*", "align*"]),
            new("Weighs risks or trade-offs", ["risk*", "trade-off*", "downside", "priorit*", "impact", "cost"]),
            new("Says how success would be judged or followed up", ["success", "measure*", "metric*", "follow up", "check in", "outcome"]),
        ],
        [Categories.Technical] =
        [
            new("Answers directly before going into detail", ["is a", "means", "the key", "in short", "essentially", "difference"]),
            new("Explains how it works step by step", ["first", "then", "step*", "works by", "process", "approach"]),
            new("Gives a concrete example", ["for example", "for instance", "in my", "when i", "we used", "i used"]),
            new("Names trade-offs or limits", ["trade-off*", "downside", "however", "depends", "cost", "risk*", "instead"]),
        ],
        [Categories.Motivation] =
        [
            new("Gives a clear, personal reason", ["because", "i want", "i enjoy", "motivat*", "excit*", "i care", "passion*"]),
            new("Backs it with evidence from their experience", ["when i", "in my", "i've", "for example", "i worked", "i led"]),
            new("Connects it to this role, team or company", ["this role", "your", "team", "company", "mission", "product"]),
            new("Says what they would bring or how they want to grow", ["bring", "contribute", "grow", "learn", "goal", "impact"]),
        ],
    };

    /// <summary>Builds a question for <paramref name="text"/>.</summary>
    /// <param name="text">The question as asked.</param>
    /// <param name="role">The role, or null for general.</param>
    /// <param name="bank">The bank to borrow a rubric from.</param>
    public static Question Create(string text, string? role, IQuestionBank bank)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(bank);
        var trimmed = text.Trim();
        var category = InferCategory(trimmed);
        var resolvedRole = role ?? Roles.General;

        var stems = ContentStems(trimmed);
        var closest = bank.Filter(resolvedRole)
            .Select(q => (Question: q, Similarity: Jaccard(stems, ContentStems(q.Text))))
            .Where(x => x.Similarity >= MinimumSimilarity)
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Question.Id, StringComparer.Ordinal)
            .Take(2).Select(x => x.Question).ToList();

        IReadOnlyList<RubricPoint> rubric;
        string source;
        IReadOnlyList<string> competencies;
        if (closest.Count > 0)
        {
            rubric = [.. closest.SelectMany(q => q.Rubric).DistinctBy(p => p.Point, StringComparer.OrdinalIgnoreCase).Take(6)];
            source = "closest:" + string.Join(',', closest.Select(q => q.Id));
            competencies = [.. closest.SelectMany(q => q.Competencies).Distinct(StringComparer.Ordinal).Take(3)];
            category = closest[0].Category == category ? category : InferCategory(trimmed, closest[0].Category);
        }
        else
        {
            rubric = Generic[category];
            source = "generic:" + category;
            competencies = ["communication"];
        }

        var id = "custom-" + Fnv(trimmed.ToLowerInvariant()).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return new Question(id, trimmed, resolvedRole, category, 2, competencies, rubric,
            ["What would you do differently next time?"]) { RubricSource = source };
    }

    /// <summary>Infers the category from the question's wording.</summary>
    public static string InferCategory(string text, string? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (BehavioralPattern().IsMatch(text))
        {
            return Categories.Behavioral;
        }

        if (MotivationPattern().IsMatch(text))
        {
            return Categories.Motivation;
        }

        if (SituationalPattern().IsMatch(text))
        {
            return Categories.Situational;
        }

        if (TechnicalPattern().IsMatch(text))
        {
            return Categories.Technical;
        }

        return fallback ?? Categories.Behavioral;
    }

    private static HashSet<string> ContentStems(string text) => Lexicon.TopicStems(text);

    private static double Jaccard(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Count(b.Contains) / a.Union(b).Count();

    private static uint Fnv(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    [GeneratedRegex(@"\b(tell me about a time|describe a (time|situation)|give (me )?an example|have you ever|talk me through a time|share an example|walk me through a (time|project|situation)|when did you last|what was the (hardest|biggest|most))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BehavioralPattern();

    [GeneratedRegex(@"\b(why (do you want|are you|this|our|us|did you)|what (motivates|drives|excites) you|where do you see yourself|what are you looking for|why are you leaving|what kind of (environment|team|culture|manager)|career goals?|salary|compensation|(greatest|biggest|main|key|real) (weakness|strength)(es|s)?|your (weaknesses|strengths)|tell me about yourself|why should (we|i) hire you)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MotivationPattern();

    [GeneratedRegex(@"\b(what would you do|how would you (handle|approach|respond|deal|react|prioriti[sz]e)|imagine|suppose|if you (were|had|found|discovered|joined)|what if)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SituationalPattern();

    [GeneratedRegex(@"\b(explain|what is|what's the difference|difference between|how does|how do you (design|measure|test|debug|build|choose)|design a|walk me through how)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TechnicalPattern();
}
