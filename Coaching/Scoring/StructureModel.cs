using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>A part a well-structured answer has, with the phrases that signal it and its weight in the structure score.</summary>
/// <param name="Name">e.g. situation.</param>
/// <param name="Weight">Share of the structure score (weights of one category add up to 100).</param>
/// <param name="Missing">What to say when the part is absent.</param>
/// <param name="Signals">The phrases that signal the part.</param>
internal sealed record StructurePart(string Name, int Weight, string Missing, PhraseMatcher Signals);

/// <summary>
/// What structure each question category expects. Behavioral answers follow STAR (situation, task, action,
/// result); a hypothetical needs a clarified goal, a plan and a way to judge success; a technical answer
/// a direct answer, an approach, an example and trade-offs; a motivation answer a reason, evidence and a link to the role.
/// </summary>
internal static class StructureModel
{
    private static readonly string[] PastTenseIrregular =
    [
        "built", "led", "wrote", "made", "took", "ran", "set", "met", "spoke", "sat", "brought", "gave", "got", "began",
        "chose", "drove", "found", "held", "kept", "put", "sent", "spent", "told", "thought", "went", "rewrote", "sold",
        "taught", "caught", "did", "paired", "dug",
    ];

    public static readonly IReadOnlyList<StructurePart> Behavioral =
    [
        new("situation", 20, "the situation (where you were and what was going on)", new PhraseMatcher([
            "when i was", "at my last", "at my previous", "in my last", "in my previous", "in my current", "last year",
            "a few years ago", "while working", "while i was", "at the time", "back in", "i was working", "i joined",
            "we were", "there was", "there were", "we had", "our team", "the project", "situation", "context",
            "at my current", "years ago", "months ago", "once", "i was a", "i was the", "i worked as", "i worked at",
            "in 2019", "in 2020", "in 2021", "in 2022", "in 2023", "in 2024", "in 2025", "in 2026",
        ])),
        new("task", 15, "the task (your goal or what you were responsible for)", new PhraseMatcher([
            "my goal", "my job was", "my role", "i was responsible", "i was asked", "i needed to", "i had to", "needed to",
            "had to", "the goal", "tasked", "my task", "the challenge", "the problem was", "i owned", "deadline",
            "objective", "target", "responsible for", "in charge of", "my responsibility", "was supposed to", "the aim",
            "i wanted to", "we needed", "the issue was", "the risk was",
        ])),
        new("action", 35, "the actions you took yourself", new PhraseMatcher([
            "i decided", "i started", "i proposed", "i organized", "i organised", "i talked", "i reached out",
            "i analyzed", "i analysed", "i worked with", "i introduced", "i scheduled", "i asked", "i suggested",
            "i changed", "first i", "then i", "so i", "i set up", "i created", "i rewrote", "i moved", "i spent",
            "i sat down", "i went", "i pulled", "i called", "i wrote", "i built", "i led", "i ran", "i took", "i made",
            "i met", "i gave", "i brought", "i kept", "i broke", "i focused", "i reviewed", "i prioritized",
            "i prioritised", "i negotiated", "i coached", "i paired", "i documented", "i tested", "i measured",
            "i escalated", "i explained", "i presented", "i shared", "i listened", "i offered", "i agreed",
        ])),
        new("result", 30, "the result (what changed, ideally with a number) and what you learned", new PhraseMatcher([
            "as a result", "in the end", "the result", "result*", "which led to", "led to", "outcome", "ended up",
            "reduced", "increased", "improved", "saved", "grew", "cut", "dropped", "went from", "learned", "learnt",
            "since then", "on time", "successfully", "achieved", "exceeded", "won", "closed", "shipped", "launched",
            "delivered", "resolved", "renewed", "retained", "promoted", "adopted", "the impact", "lesson", "takeaway",
            "fewer", "faster", "lower", "higher", "finally", "turned around", "paid off",
        ])),
    ];

    public static readonly IReadOnlyList<StructurePart> Situational =
    [
        new("clarify", 25, "how you would first understand the situation (questions, facts, goals)", new PhraseMatcher([
            "first i would", "first i'd", "i would start", "i'd start", "understand", "clarify", "find out", "ask",
            "gather", "assess", "figure out", "look at the data", "check", "listen", "learn more", "dig into",
            "investigate", "talk to", "get context",
        ])),
        new("plan", 40, "the concrete steps you would take", new PhraseMatcher([
            "i would", "i'd", "then", "next", "after that", "step", "propose", "escalate", "prioritize", "prioritise",
            "set up", "schedule", "meet with", "agree", "plan", "bring", "loop in", "communicate", "document",
        ])),
        new("success", 25, "how you would judge success or close the loop", new PhraseMatcher([
            "so that", "the goal", "success", "measure", "outcome", "result", "make sure", "ensure", "follow up",
            "follow-up", "check in", "metric*", "track", "review", "in the end", "expect",
        ])),
        new("experience", 10, "a moment from your past that shows you have done this", new PhraseMatcher([
            "in the past", "last time", "at my previous", "at my last", "in my last", "in my previous", "i once",
            "when i was", "i have done", "i've done", "i did this", "for example", "once had",
        ])),
    ];

    public static readonly IReadOnlyList<StructurePart> Technical =
    [
        new("answer", 25, "a direct answer or definition up front", new PhraseMatcher([
            "is a", "is the", "are a", "means", "refers to", "the idea", "in short", "the key", "the main", "short answer",
            "essentially", "at its core", "difference", "is when", "is how", "is about", "i would use", "i'd use",
        ])),
        new("approach", 30, "the approach, step by step", new PhraseMatcher([
            "first", "then", "step", "start by", "next", "after that", "finally", "approach", "process", "i would",
            "i'd", "we would", "how it works", "works by",
        ])),
        new("example", 20, "a concrete example, ideally from your own work", new PhraseMatcher([
            "for example", "for instance", "in my", "when i", "we used", "i used", "at my", "in practice",
            "one time", "on a project", "recently",
        ])),
        new("tradeoffs", 25, "trade-offs, limits or when you would choose otherwise", new PhraseMatcher([
            "trade-off*", "tradeoff*", "trade off", "downside", "however", "on the other hand", "cost", "risk",
            "depends", "pros", "cons", "instead", "limitation*", "drawback*", "but", "unless", "whereas", "versus", "vs",
        ])),
    ];

    public static readonly IReadOnlyList<StructurePart> Motivation =
    [
        new("reason", 30, "a clear reason in your own words", new PhraseMatcher([
            "because", "i want", "i'm excited", "excites me", "draws me", "i enjoy", "i love", "motivat*", "passion*",
            "interest*", "what i like", "i care", "matters to me", "energi*", "i thrive", "i'm drawn", "appeal*",
        ])),
        new("evidence", 25, "evidence from your experience that backs the reason", new PhraseMatcher([
            "when i", "in my", "at my", "i've", "i have", "for example", "last year", "i spent", "i worked", "i led",
            "i built", "years", "i learned",
        ])),
        new("link", 30, "a link to this role, team or company", new PhraseMatcher([
            "this role", "this position", "this team", "your team", "your company", "your product", "your mission",
            "the company", "here", "mission", "your customers", "your", "this job", "the role", "this opportunity",
        ])),
        new("future", 15, "what you would bring or want to grow into", new PhraseMatcher([
            "i can", "i could", "i'd bring", "i would bring", "contribute", "grow", "learn", "in the next", "long term",
            "long-term", "goal", "i hope", "i'd like", "i would like", "next step", "impact",
        ])),
    ];

    public static IReadOnlyList<StructurePart> For(string category) => category switch
    {
        Categories.Behavioral => Behavioral,
        Categories.Situational => Situational,
        Categories.Technical => Technical,
        Categories.Motivation => Motivation,
        _ => Behavioral,
    };

    /// <summary>
    /// Whether a sentence reports a personal action in the past tense ("I migrated…") even when no
    /// listed phrase matches: a first-person subject followed within three words by a past-tense verb.
    /// </summary>
    public static bool HasPersonalPastAction(TextDocument document, Sentence sentence)
    {
        var tokens = document.TokensOf(sentence).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Lower != "i")
            {
                continue;
            }

            for (var k = i + 1; k < Math.Min(tokens.Count, i + 4); k++)
            {
                var w = tokens[k].Lower;
                if ((w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4 && w is not "need" and not "used") ||
                    PastTenseIrregular.Contains(w))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
