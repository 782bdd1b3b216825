namespace CoachBot.Coaching.Text;

/// <summary>
/// Matches cue phrases such as <c>pushed back</c> or <c>negotiat*</c> against a document's tokens.
/// Words compare by stem; a trailing <c>*</c> matches any word that starts with the given letters.
/// </summary>
public sealed class PhraseMatcher
{
    private readonly string[][] _phrases;
    private readonly string[] _originals;

    /// <summary>Prepares the given cue phrases for matching.</summary>
    public PhraseMatcher(IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        _originals = [.. phrases];
        _phrases = [.. _originals.Select(Compile)];
    }

    /// <summary>
    /// Every place a cue occurs, left to right without overlaps; where several cues start at the same word the
    /// longest wins ("i'm not sure" is one hedge, not also "not sure").
    /// </summary>
    public IEnumerable<(string Cue, int TokenIndex)> Matches(TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var tokens = document.Tokens;
        var i = 0;
        while (i < tokens.Count)
        {
            var best = -1;
            for (var p = 0; p < _phrases.Length; p++)
            {
                if ((best < 0 || _phrases[p].Length > _phrases[best].Length) && MatchesAt(tokens, i, _phrases[p]))
                {
                    best = p;
                }
            }

            if (best < 0)
            {
                i++;
                continue;
            }

            yield return (_originals[best], i);
            i += _phrases[best].Length;
        }
    }

    /// <summary>Whether a cue starts at token <paramref name="index"/>.</summary>
    public bool MatchesAt(IReadOnlyList<Token> tokens, int index)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var phrase in _phrases)
        {
            if (MatchesAt(tokens, index, phrase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAt(IReadOnlyList<Token> tokens, int start, string[] phrase)
    {
        if (start + phrase.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < phrase.Length; k++)
        {
            var token = tokens[start + k];
            var part = phrase[k];
            // Phrases never run across a sentence boundary.
            if (k > 0 && token.Sentence != tokens[start].Sentence)
            {
                return false;
            }

            var ok = part[^1] == '*'
                ? token.Lower.StartsWith(part.AsSpan(0, part.Length - 1), StringComparison.Ordinal)
                : token.Stem == part || token.Lower == part;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Compile(string phrase)
    {
        var words = phrase.ToLowerInvariant().Replace('\u2019', '\'')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. words.Select(w => w.EndsWith('*') ? w : Stemmer.Stem(w))];
    }
}
