using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>
/// How much of an answer is a list of terms: runs of four or more short items (each of at most four words) separated by
/// commas, semicolons, colons, "and" or "or" — "RICE, MoSCoW, Kano and weighted scoring". A list names ideas without
/// showing any of them at work; an answer made largely of lists is naming terms, not answering.
/// </summary>
internal static class TermLists
{
    private const int MinItems = 4;
    private const int MaxItemWords = 4;

    private static readonly string[] Separators = [",", ";", ":"];

    /// <summary>The share of the answer's words that stand in term lists (0–1).</summary>
    public static double Share(TextDocument document)
    {
        if (document.WordCount == 0)
        {
            return 0;
        }

        var listed = 0;
        foreach (var sentence in document.Sentences)
        {
            var run = new List<int>();
            foreach (var item in Items(sentence.Text))
            {
                var words = item.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                if (words is > 0 and <= MaxItemWords)
                {
                    run.Add(words);
                    continue;
                }

                listed += run.Count >= MinItems ? run.Sum() : 0;
                run.Clear();
            }

            listed += run.Count >= MinItems ? run.Sum() : 0;
        }

        return Math.Min(1, listed / (double)document.WordCount);
    }

    /// <summary>The sentence's items: split at list punctuation and at the words "and" and "or".</summary>
    private static IEnumerable<string> Items(string sentence)
    {
        foreach (var part in sentence.Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var item = new List<string>();
            foreach (var word in part.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    if (item.Count > 0)
                    {
                        yield return string.Join(' ', item);
                    }

                    item.Clear();
                    continue;
                }

                item.Add(word);
            }

            if (item.Count > 0)
            {
                yield return string.Join(' ', item);
            }
        }
    }
}
