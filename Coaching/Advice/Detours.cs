using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// Whether an answer rambles: at least <c>minWords</c> words with at least <c>least</c> different cues of a detour
/// ("anyway", "that's another story", "or maybe", "so yeah"), from <c>rambling-cues.json</c> beside this class. Length
/// alone does not tell it: a rambling answer is often inside its question's range, so no length tip is given, yet the
/// listener waits through asides for the point.
/// </summary>
internal static partial class Detours
{
    private static readonly Lazy<(int Least, int MinWords, Regex[] Cues)> Loaded = new(Load);

    /// <summary>Whether <paramref name="document"/> wanders off its point often enough to be heard as rambling.</summary>
    public static bool Wanders(TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (least, minWords, cues) = Loaded.Value;
        if (document.WordCount < minWords)
        {
            return false;
        }

        var text = Plain(document.Text);
        return cues.Count(c => c.IsMatch(text)) >= least;
    }

    /// <summary>The sentences that hold a cue, in order.</summary>
    public static IReadOnlyList<Sentence> Sentences(TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var cues = Loaded.Value.Cues;
        return [.. document.Sentences.Where(s => cues.Any(c => c.IsMatch(Plain(s.Text))))];
    }

    /// <summary>The cues' own words in <paramref name="document"/>, as said, at most <paramref name="most"/>.</summary>
    public static IReadOnlyList<string> Words(TextDocument document, int most)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = Plain(document.Text);
        return [.. Loaded.Value.Cues.Select(c => c.Match(text)).Where(m => m.Success).OrderBy(m => m.Index)
            .Select(m => m.Value).Distinct(StringComparer.Ordinal).Take(most)];
    }

    /// <summary>
    /// Whether a sentence opens by coming back from a detour ("Anyway, …", "So yeah, …", "Long story short, …"): it ends
    /// the aside and carries the point.
    /// </summary>
    public static bool ComesBack(string sentence) => BackToThePoint().IsMatch(sentence);

    /// <summary>The sentence without its opening "Anyway," or "Long story short,": the point it comes back to, capitalised.</summary>
    public static string WithoutComingBack(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var match = BackToThePoint().Match(sentence);
        if (!match.Success)
        {
            return sentence;
        }

        var rest = sentence[match.Length..].TrimStart(' ', ',', ';', ':', '-', '\u2013', '\u2014');
        return rest.Length == 0 ? string.Empty : char.ToUpperInvariant(rest[0]) + rest[1..];
    }

    private static string Plain(string text) => text.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();

    private static (int, int, Regex[]) Load()
    {
        using var stream = EmbeddedData.Open("rambling-cues.json");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        return (root.GetProperty("least").GetInt32(), root.GetProperty("minWords").GetInt32(),
            [.. root.GetProperty("cues").EnumerateArray().Select(c =>
                new Regex(c.GetString()!, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1)))]);
    }

    // "Anyway, …", "So yeah, …", "Long story short, …": a sentence that opens by coming back from a detour.
    [GeneratedRegex(@"^\W*(anyway|anyhow|anyways|so,? yeah|but yeah|long story short|where was i|like i said|as i said)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BackToThePoint();
}
