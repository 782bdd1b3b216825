using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>The one thing a question hinges on, and the sentence of an answer that shows it.</summary>
/// <param name="Id">Stable id, e.g. <c>failure</c>.</param>
/// <param name="Asks">What the question asked for ("a failure or mistake of your own").</param>
/// <param name="Sentence">The index of the sentence that shows it.</param>
/// <param name="Evidence">That sentence, quoted.</param>
public sealed record QuestionCore(string Id, string Asks, int Sentence, string Evidence);

/// <summary>
/// The core demand of a question (<c>question-cores.json</c>, beside the question types): a failure of the speaker's for
/// "a time you failed", a disagreement for "a time you disagreed", a decision taken without the data for "a decision
/// with incomplete data". A question has the first core whose question pattern matches; an answer shows it when a
/// sentence says it in so many words and the words are not negated ("there was no mistake").
/// </summary>
public static partial class QuestionCores
{
    /// <summary>A neighbouring story announces its kind within this many opening sentences.</summary>
    private const int AnnouncedWithin = 2;

    private static readonly Lazy<IReadOnlyList<Definition>> Loaded = new(Load);

    /// <summary>The id and what is asked for of the core <paramref name="question"/> hinges on, or null when it has none listed.</summary>
    public static (string Id, string Asks)? Of(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return DefinitionOf(question) is { } core ? (core.Id, core.Asks) : null;
    }

    /// <summary>The first sentence of <paramref name="document"/> that shows the core of <paramref name="question"/>, or null.</summary>
    public static QuestionCore? Shown(Question question, TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(document);
        if (DefinitionOf(question) is not { } core)
        {
            return null;
        }

        for (var i = 0; i < document.Sentences.Count; i++)
        {
            if (AnyUnnegated(Plain(document.Sentences[i].Text), core.Shown))
            {
                return new QuestionCore(core.Id, core.Asks, i, TextDocument.Quote(document.Sentences[i].Text));
            }
        }

        return null;
    }

    /// <summary>
    /// The core of <paramref name="question"/> (its id and what it asks for) when <paramref name="document"/> does not
    /// mention it at all: no sentence uses, un-negated, any word a story of that kind would use ("late", "wrong", "lost"
    /// for a failure). Null when it does, or when the question's core has no such list.
    /// </summary>
    public static (string Id, string Asks)? Missing(Question question, TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(document);
        if (DefinitionOf(question) is not { Mentions.Length: > 0 } core)
        {
            return null;
        }

        return document.Sentences.Any(s => AnyUnnegated(Plain(s.Text), core.Mentions)) ? null : (core.Id, core.Asks);
    }

    /// <summary>
    /// The core of <paramref name="question"/> when it is about the speaker's own event (a failure, criticism received, a
    /// weakness, a disagreement) and <paramref name="document"/> tells a story of the neighbouring kind instead: no sentence
    /// tells the core as it happened ("I underestimated", "we lost the deal", "she said my design was confusing"; a word of
    /// it said of someone else, negated or only feared, "I thought we'd lost it", does not tell it), and a sentence announces
    /// the neighbour in its first two sentences ("the launch I am proudest of", "my greatest strength", "one of the designers I
    /// mentored"), which is quoted. Null otherwise, or when the question's core has no such lists.
    /// </summary>
    public static QuestionCore? Neighbour(Question question, TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(document);
        if (DefinitionOf(question) is not { Told.Length: > 0, Neighbours.Length: > 0 } core ||
            document.Sentences.Any(s => AnyUnnegated(Plain(s.Text), core.Told, alsoUnfeared: true)))
        {
            return null;
        }

        // A neighbouring story says what it is at the start ("the launch I am proudest of"); an on-topic failure that
        // "went well in the end" says it last.
        for (var i = 0; i < Math.Min(document.Sentences.Count, AnnouncedWithin); i++)
        {
            if (AnyUnnegated(Plain(document.Sentences[i].Text), core.Neighbours))
            {
                return new QuestionCore(core.Id, core.Asks, i, TextDocument.Quote(document.Sentences[i].Text));
            }
        }

        return null;
    }

    private static bool AnyUnnegated(string sentence, Regex[] patterns, bool alsoUnfeared = false) =>
        patterns.Any(p => p.Matches(sentence).Any(m =>
            !NegatedBefore().IsMatch(sentence[..m.Index]) && !(alsoUnfeared && FearedBefore().IsMatch(sentence[..m.Index]))));

    private static Definition? DefinitionOf(Question question)
    {
        var text = Plain(question.Text);
        return Loaded.Value.FirstOrDefault(d => d.Questions.Any(p => p.IsMatch(text)));
    }

    /// <summary>Lower case with typographic apostrophes made plain, as the patterns are written.</summary>
    private static string Plain(string text) => text.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();

    private static IReadOnlyList<Definition> Load()
    {
        using var stream = EmbeddedData.Open("question-cores.json");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("cores").EnumerateArray().Select(c =>
        {
            Regex[] Patterns(string property) => [.. c.GetProperty(property).EnumerateArray().Select(p => Compile(p.GetString()!))];
            Regex[] Optional(string property) => c.TryGetProperty(property, out _) ? Patterns(property) : [];
            return new Definition(c.GetProperty("id").GetString()!, c.GetProperty("asks").GetString()!, Patterns("questions"), Patterns("shown"),
                Optional("mentions"), Optional("told"), Optional("neighbours"));
        })];
    }

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));

    // "no", "never", "without", "didn't" up to three words before the match: "there was no mistake", "nothing went wrong".
    [GeneratedRegex(@"\b(no|not|never|without|zero|nothing|nobody|none|didn't|did not|wasn't|was not|weren't|hardly)\W+(\w+\W+){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex NegatedBefore();

    // "thought", "feared", "almost", "if" up to three words before the match: "I honestly thought we'd lost it", "if we
    // missed the date": what did not happen does not tell it.
    [GeneratedRegex(@"\b(thought|feared|afraid|almost|nearly|worried|if|could have|would have)\W+(\w+\W+){0,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex FearedBefore();

    private sealed record Definition(string Id, string Asks, Regex[] Questions, Regex[] Shown, Regex[] Mentions, Regex[] Told, Regex[] Neighbours);
}
