using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>The vocabulary of working life (<c>work-words.txt</c>), compared by stem.</summary>
internal static class WorkWords
{
    private static readonly Lazy<HashSet<string>> Stems = new(() =>
    {
        using var reader = new StreamReader(EmbeddedData.Open("work-words.txt"));
        return [.. reader.ReadToEnd().Split('\n')
            .Where(line => !line.StartsWith('#'))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(w => Stemmer.Stem(w.ToLowerInvariant()))];
    });

    /// <summary>How many of the document's words are words of working life.</summary>
    public static int Count(TextDocument document) => document.Tokens.Count(t => Stems.Value.Contains(t.Stem));
}
