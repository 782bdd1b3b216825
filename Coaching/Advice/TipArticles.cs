using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// Articles a tip points to before any search, by id (built-in articles, without the <c>builtin:</c> prefix): the one
/// on how to answer this kind of question ("your weakness", "a conflict", "why here"), then the one on the answer's
/// shape for its type (a story's STAR skeleton, a design answer, a top-down explanation). A search finds an article that
/// shares the question's words, which for a short answer asked to carry on is often about the question's topic rather
/// than about what the answer is missing. An id that is not in the store is skipped (the search then decides), and a
/// test fails when one of these articles disappears.
/// </summary>
internal static partial class TipArticles
{
    /// <summary>Questions with an article of their own, by their wording, most specific first.</summary>
    private static readonly (Regex Asks, string[] Articles)[] QuestionArticles =
    [
        (Asks(@"\bweakness|\bweak (spot|point|area)|area (for|of) (improvement|growth)|improve about yourself"), ["weakness-question"]),
        (Asks(@"\bstrengths?\b|\bbest at\b|good at\b"), ["strengths-question"]),
        (Asks(@"\b(fail(ed|ure)?|mistake|went wrong|got wrong)\b"), ["star-for-failure-questions", "failure-question-choosing-the-story"]),
        (Asks(@"\b(conflict|disagree(d|ment)?|difficult (to get along|person|colleague|coworker|co-worker|stakeholder|team ?mate)|get along)\b"), ["conflict-question"]),
        (Asks(@"tell me about yourself|walk me through your (background|cv|resume|résumé)|introduce yourself"), ["tell-me-about-yourself"]),
        (Asks(@"\bfive years\b|\b5 years\b|where do you see yourself"), ["where-do-you-see-yourself"]),
        (Asks(@"\bwhy (are|did) you (leav|want to leave)|\bleaving your\b"), ["motivation-why-leaving"]),
        (Asks(@"\bsalary\b|\bcompensation\b"), ["salary-expectations-question"]),
        (Asks(@"\bprioriti[sz]\w* (a |the |your )?(roadmap|backlog|features)|\bbacklog\b"), ["pm-prioritisation-frameworks"]),
        (Asks(@"\bwhy (this|our) (role|position|job)\b|\bwhy do you want to (be|become|work as|work in)\b|\bwhy did you become\b"), ["why-this-role"]),
        (Asks(@"\bwhy (do you want to )?(work (here|at|for)|join|this company|us\b)"), ["why-this-company"]),
    ];

    /// <summary>
    /// Points an answer may leave out that have an article of their own, for the role it was written for (a designer's
    /// "works with engineering" has the article on working with engineers; an engineer's does not).
    /// </summary>
    private static readonly (string Role, Regex Asks, string Article)[] PointArticles =
    [
        ("designer", Asks(@"\b(engineers?|engineering|developers?|hand(s|ing)? ?off)\b"), "designer-working-with-engineers"),
    ];

    /// <summary>
    /// A role's own articles by the question topic each is about, from <c>role-topic-articles.json</c>: where the role has
    /// an article on the question's topic (an AI engineer asked how to evaluate an LLM system, a salesperson asked about
    /// rejection), a tip on what the answer says points there before the general article for its kind.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<RoleTopic>> RoleTopics = new(LoadRoleTopics);

    /// <summary>The tip kind of points still missing (and of a short answer asked to carry on with them).</summary>
    internal const string PointsTip = "points";

    /// <summary>Every article id named here, for the test that each one exists.</summary>
    internal static IEnumerable<string> All =>
        QuestionArticles.SelectMany(q => q.Articles).Concat(PointArticles.Select(p => p.Article)).Concat(RoleTopics.Value.Select(r => r.Article)).Concat(JudgementConcerns.Articles)
            .Concat(["why-this-role", "tell-me-about-yourself", StoryShape, SystemDesignShape, ExperimentShape, ExplanationShape, SituationalShape, MotivationShape, PastTense, Concrete, Clarify, Length, SituationTooLong, Signposting])
            .Distinct(StringComparer.Ordinal);

    /// <summary>A story's shape: STAR as a skeleton.</summary>
    internal const string StoryShape = "star-method-basics";

    /// <summary>A system design answer's shape.</summary>
    internal const string SystemDesignShape = "se-system-design-answers";

    /// <summary>An experiment design's shape.</summary>
    internal const string ExperimentShape = "da-metrics-and-experiments";

    /// <summary>A technical explanation's shape: top down.</summary>
    internal const string ExplanationShape = "technical-explanation-structure";

    /// <summary>A what-would-you-do answer's shape.</summary>
    internal const string SituationalShape = "situational-hypothetical-answers";

    /// <summary>A motivation answer's shape: why here, with specifics.</summary>
    internal const string MotivationShape = "why-this-company";

    /// <summary>An answer made concrete: one example, named things, real numbers.</summary>
    internal const string Concrete = "make-it-concrete";

    /// <summary>An answer cut to about two minutes: the point, one story, the result.</summary>
    internal const string Length = "answer-length-two-minute-rule";

    /// <summary>A story's background cut to two sentences.</summary>
    internal const string SituationTooLong = "star-situation-too-long";

    /// <summary>An answer whose shape is said before it is filled in.</summary>
    internal const string Signposting = "signposting-answers";

    /// <summary>Finding out the facts before acting.</summary>
    internal const string Clarify = "asking-to-clarify";

    /// <summary>What a behavioural answer is heard for: one real time, in the past tense, what you did.</summary>
    internal const string PastTense = "behavioral-answer-structure";

    /// <summary>The article on how to answer this question, when its wording names a kind that has one; none otherwise.</summary>
    internal static IReadOnlyList<string> ForQuestion(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return QuestionArticles.FirstOrDefault(q => q.Asks.IsMatch(question.Text)).Articles ?? [];
    }

    /// <summary>The article on the shape an answer of this type takes.</summary>
    internal static string? Shape(Question question, QuestionType type)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(type);
        return type.Id switch
        {
            _ when type.IsStory => StoryShape,
            // Only a "why" question is answered with reasons and this place; "how do you recharge" is not.
            QuestionTypes.Motivation when !AskedParts.AsksWhy(question.Text) => null,
            // A question to explain something is answered top down; "how do you organise your week" is a habit, not an explanation.
            QuestionTypes.Technical when !ExplainQuestion().IsMatch(question.Text) => null,
            QuestionTypes.Design when ExperimentQuestion().IsMatch(question.Text) => ExperimentShape,
            QuestionTypes.Design when AskedParts.AboutASystem(question.Text) => SystemDesignShape,
            QuestionTypes.Technical => ExplanationShape,
            QuestionTypes.Situational => SituationalShape,
            // "Why here" for a question about this place; "why sales", "what draws you to data" are about the path to the role.
            QuestionTypes.Motivation => HerePlace().IsMatch(question.Text) ? MotivationShape : "why-this-role",
            QuestionTypes.SelfIntroduction => "tell-me-about-yourself",
            // A strength or weakness is carried by one moment where it showed (the question's own article comes first).
            QuestionTypes.StrengthsWeaknesses => Concrete,
            _ => null,
        };
    }

    /// <summary>
    /// For a short answer asked to carry on: the article for its question's kind (or for a point still to cover that has
    /// its own), then the one for its answer's shape (what helps is how such an answer is built, not more about the
    /// question's topic).
    /// </summary>
    internal static IReadOnlyList<string> WholeAnswer(Question question, QuestionType type, IEnumerable<string> points) =>
        [.. MissingPoints(question, points).Concat(Shape(question, type) is { } shape ? [shape] : []).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// For points still missing: the question's own article, then one for a point that has its own, then the role's own
    /// article on the question's topic.
    /// </summary>
    internal static IReadOnlyList<string> MissingPoints(Question question, IEnumerable<string> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var own = ForQuestion(question);
        var forPoints = points.SelectMany(p => PointArticles.Where(a => a.Role == question.Role && a.Asks.IsMatch(p)).Select(a => a.Article));
        return [.. own.Concat(forPoints).Concat(ForRoleTopic(question, PointsTip)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The role's own articles on this question's topic that fit a tip of kind <paramref name="tip"/> (<see cref="PointsTip"/>
    /// or the name of a part of the answer's shape: "clarify", "tradeoffs", …), most specific first; none when the role has
    /// none on the topic, and the general article decides.
    /// </summary>
    internal static IReadOnlyList<string> ForRoleTopic(Question question, string tip)
    {
        ArgumentNullException.ThrowIfNull(question);
        return [.. RoleTopics.Value
            .Where(r => r.Roles.Contains(question.Role, StringComparer.Ordinal) && (r.Tips is null || r.Tips.Contains(tip, StringComparer.Ordinal)) && r.Asks.IsMatch(question.Text))
            .Select(r => r.Article).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The tip kind of a judgement concern (<see cref="JudgementConcern"/>), for the role's own articles.</summary>
    internal const string ConcernTip = "concern";

    /// <summary>
    /// What a judgement concern's tip points to before any search: the article written for it (a story of cutting a corner
    /// points to the one on honesty and judgement, taking all the credit to the one on crediting others, rather than
    /// to the role's topic or to saying "I" for your own actions), then the sources its data names in order
    /// (<see cref="JudgementConcern.Pointers"/>): pay as the reason for "why this company" points to the article on that
    /// question, not to one on leaving a job.
    /// </summary>
    internal static IReadOnlyList<string> ForConcern(Question question, QuestionType type, JudgementConcern concern)
    {
        ArgumentNullException.ThrowIfNull(concern);
        return [.. (concern.Article is { } article ? [article] : Array.Empty<string>()).Concat(concern.Pointers.SelectMany(source => source switch
        {
            "role-topic" => ForRoleTopic(question, ConcernTip),
            "question" => ForQuestion(question),
            "shape" => Shape(question, type) is { } shape ? [shape] : [],
            _ => throw new InvalidOperationException($"judgement-concerns.json names an unknown pointer source '{source}' for '{concern.Id}'."),
        })).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Those articles, then <paramref name="general"/>: what a tip of kind <paramref name="tip"/> points to before any search.</summary>
    internal static IReadOnlyList<string> RoleFirst(Question question, string tip, params string[] general) =>
        [.. ForRoleTopic(question, tip).Concat(general).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Articles written for the opposite question, never a pointer for this one: the strengths article for a weakness
    /// question and the other way round (each tells the reader to do what the other warns against).
    /// </summary>
    internal static IReadOnlyList<string> Opposite(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var weakness = QuestionArticles[0].Asks.IsMatch(question.Text);
        var strength = QuestionArticles[1].Asks.IsMatch(question.Text);
        return weakness == strength ? [] : weakness ? ["strengths-question"] : ["weakness-question"];
    }

    private static IReadOnlyList<RoleTopic> LoadRoleTopics()
    {
        using var stream = EmbeddedData.Open("role-topic-articles.json");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("articles").EnumerateArray().Select(a => new RoleTopic(
            a.GetProperty("article").GetString()!,
            [.. a.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)],
            Asks(a.GetProperty("question").GetString()!),
            a.TryGetProperty("tips", out var tips) ? [.. tips.EnumerateArray().Select(t => t.GetString()!)] : null))];
    }

    private sealed record RoleTopic(string Article, string[] Roles, Regex Asks, string[]? Tips);

    private static Regex Asks(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\b(this|our) (company|team|organi[sz]ation|business)\b|\bhere\b|\babout us\b|\bjoin us\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HerePlace();

    [GeneratedRegex(@"\b(explain|what (is|are) (a|an|the)|what does|what happens|difference between|how does|how do(es)? \w+ work)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplainQuestion();

    [GeneratedRegex(@"\b(experiment|a/b|ab test|split test)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExperimentQuestion();
}
