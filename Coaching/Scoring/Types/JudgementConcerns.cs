using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>
/// A problem of judgement an interview coach raises before any point of form: a weakness that is a strength in
/// disguise, blaming others, running down an employer, pay as the only reason, taking all the credit, a story of cutting
/// a corner told with approval.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>blames-others</c>.</param>
/// <param name="Title">The improvement's title.</param>
/// <param name="Headline">The card's first line.</param>
/// <param name="Advice">What to do instead.</param>
/// <param name="About">What the advice is about in the words coaching articles use (for its "More in" pointer).</param>
/// <param name="Rewrite">The bracketed prompt that takes the sentence's place in the improved example.</param>
/// <param name="Sentence">The index of the sentence that shows it.</param>
/// <param name="Evidence">That sentence, quoted.</param>
public sealed record JudgementConcern(string Id, string Title, string Headline, string Advice, string About, string Rewrite, int Sentence, string Evidence)
{
    /// <summary>
    /// Where its "More in" pointer looks before any search, in order: <c>role-topic</c> (the role's own article on the
    /// question's topic), <c>question</c> (the article on this kind of question), <c>shape</c> (the one on its answer's shape).
    /// </summary>
    public IReadOnlyList<string> Pointers { get; init; } = [];

    /// <summary>The built-in article written for this concern ("claim your part without taking the team's credit"), taken before any of <see cref="Pointers"/>; null when none is.</summary>
    public string? Article { get; init; }

    /// <summary>
    /// Every sentence that shows it, by index (<see cref="Sentence"/> is the first): the card holds none of them up as a
    /// strength ("concrete details" quoting the salary comparison or the jab at a manager the tip asks to drop).
    /// </summary>
    public IReadOnlyList<int> Sentences { get; init; } = [];

    /// <summary>
    /// Whether the advice is to tell another example (a real weakness for a strength in disguise, a story without the cut
    /// corner): then no tip polishes the details of the one told.
    /// </summary>
    public bool ReplacesExample { get; init; }

    /// <summary>The parts of the answer's shape that <see cref="Rewrite"/> already asks for ("a real weakness, and one time it cost you").</summary>
    public IReadOnlyList<string> RewriteCovers { get; init; } = [];
}

/// <summary>
/// Finds judgement concerns in an answer with the data in <c>judgement-concerns.json</c> (beside the question types):
/// each applies to the questions its patterns match, is shown by a sentence matching one of its patterns, and is not
/// raised when the speaker already owns or corrects it. Pay as the only reason is read by share instead: at least
/// <see cref="MoneySentences"/> sentences about pay or perks making up at least <see cref="MoneyShare"/> of the answer.
/// </summary>
public static class JudgementConcerns
{
    /// <summary>The id of pay as the only reason.</summary>
    public const string MoneyOnly = "money-only";

    /// <summary>What went wrong put on others.</summary>
    public const string BlamesOthers = "blames-others";

    /// <summary>All the credit claimed, or the others' part dismissed.</summary>
    public const string TakesCredit = "takes-credit";

    /// <summary>Praise that would fit any company, for a question about this one.</summary>
    public const string GenericPraise = "generic-praise";

    /// <summary>A motivation answer needs at least this many sentences about pay or perks to be about pay…</summary>
    public const int MoneySentences = 2;

    /// <summary>…and they must be at least this share of its sentences.</summary>
    public const double MoneyShare = 0.34;

    private static readonly Lazy<IReadOnlyList<Definition>> Loaded = new(Load);

    /// <summary>The ids of every concern, in the order they are looked for.</summary>
    public static IReadOnlyList<string> Ids => [.. Loaded.Value.Select(d => d.Id)];

    /// <summary>The built-in articles written for a concern, for the test that each one exists.</summary>
    public static IReadOnlyList<string> Articles => [.. Loaded.Value.Select(d => d.Article).OfType<string>()];

    /// <summary>The first concern <paramref name="document"/> shows as an answer to <paramref name="question"/>, or null.</summary>
    public static JudgementConcern? Find(Question question, TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(document);
        var questionText = Plain(question.Text);
        var sentences = document.Sentences.Select(s => Plain(s.Text)).ToList();
        foreach (var concern in Loaded.Value)
        {
            if (concern.Unless.Length > 0 && sentences.Any(s => concern.Unless.Any(p => p.IsMatch(s))))
            {
                continue;
            }

            var asked = concern.Questions.Length == 0 || concern.Questions.Any(p => p.IsMatch(questionText));
            var found = concern.Money is { } money
                ? asked ? MostlyAboutPay(sentences, money) : -1
                : FirstOf(sentences, s => (asked && concern.Sentences.Any(p => p.IsMatch(s))) || concern.Anywhere.Any(p => p.IsMatch(s)), concern.MinSentences);
            // A sentence that says it outright ("it wasn't really my fault") is enough on its own.
            if (found < 0 && asked && concern.Alone.Length > 0)
            {
                found = FirstOf(sentences, s => concern.Alone.Any(p => p.IsMatch(s)), 1);
            }

            if (found >= 0)
            {
                bool Shows(string s) => concern.Money is { } pay ? pay.IsMatch(s)
                    : (asked && concern.Sentences.Any(p => p.IsMatch(s))) || concern.Anywhere.Any(p => p.IsMatch(s)) || (asked && concern.Alone.Any(p => p.IsMatch(s)));
                return new JudgementConcern(concern.Id, concern.Title, concern.Headline, concern.Advice, concern.About, concern.Rewrite, found, TextDocument.Quote(document.Sentences[found].Text))
                {
                    Sentences = [.. sentences.Select((s, i) => (s, i)).Where(x => x.i == found || Shows(x.s)).Select(x => x.i)],
                    Pointers = concern.Pointers,
                    Article = concern.Article,
                    ReplacesExample = concern.ReplacesExample,
                    RewriteCovers = concern.RewriteCovers,
                };
            }
        }

        return null;
    }

    /// <summary>The first sentence that shows it when at least <paramref name="least"/> do; else −1.</summary>
    private static int FirstOf(List<string> sentences, Func<string, bool> shows, int least)
    {
        var showing = sentences.Select((s, i) => (s, i)).Where(x => shows(x.s)).Select(x => x.i).ToList();
        return showing.Count >= Math.Max(1, least) ? showing[0] : -1;
    }

    /// <summary>The first sentence about pay or perks when such sentences make up enough of the answer; else −1.</summary>
    private static int MostlyAboutPay(List<string> sentences, Regex money)
    {
        var about = sentences.Select((s, i) => (s, i)).Where(x => money.IsMatch(x.s)).Select(x => x.i).ToList();
        return about.Count >= MoneySentences && about.Count >= MoneyShare * sentences.Count ? about[0] : -1;
    }

    /// <summary>Lower case with typographic apostrophes made plain, as the patterns are written.</summary>
    private static string Plain(string text) => text.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();

    private static IReadOnlyList<Definition> Load()
    {
        using var stream = EmbeddedData.Open("judgement-concerns.json");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("concerns").EnumerateArray().Select(c =>
        {
            Regex[] Patterns(string property) => [.. c.GetProperty(property).EnumerateArray().Select(p => Compile(p.GetString()!))];
            return new Definition(
                c.GetProperty("id").GetString()!,
                Patterns("questions"),
                Patterns("sentences"),
                Patterns("unless"),
                Patterns("anywhere"),
                c.TryGetProperty("minSentences", out var least) ? least.GetInt32() : 1,
                c.TryGetProperty("money", out var money) ? Compile(money.GetString()!) : null,
                c.GetProperty("title").GetString()!,
                c.GetProperty("headline").GetString()!,
                c.GetProperty("advice").GetString()!,
                c.GetProperty("about").GetString()!,
                c.GetProperty("rewrite").GetString()!,
                c.TryGetProperty("pointers", out var pointers) ? [.. pointers.EnumerateArray().Select(p => p.GetString()!)] : [],
                c.TryGetProperty("article", out var article) ? article.GetString() : null,
                c.TryGetProperty("alone", out var alone) ? [.. alone.EnumerateArray().Select(p => Compile(p.GetString()!))] : [],
                c.TryGetProperty("replacesExample", out var replaces) && replaces.GetBoolean(),
                c.TryGetProperty("rewriteCovers", out var covers) ? [.. covers.EnumerateArray().Select(p => p.GetString()!)] : []);
        })];
    }

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));

    private sealed record Definition(string Id, Regex[] Questions, Regex[] Sentences, Regex[] Unless, Regex[] Anywhere, int MinSentences, Regex? Money, string Title, string Headline, string Advice, string About, string Rewrite, string[] Pointers, string? Article, Regex[] Alone, bool ReplacesExample, string[] RewriteCovers);
}
