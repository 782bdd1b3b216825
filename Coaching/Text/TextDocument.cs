using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Text;

/// <summary>A word of an answer with its position in the original text.</summary>
/// <param name="Text">The word as written.</param>
/// <param name="Lower">The word in lower case.</param>
/// <param name="Stem">A light stem used for matching rubric cues.</param>
/// <param name="Start">Offset of the first character in the answer.</param>
/// <param name="Sentence">Index of the sentence holding the word.</param>
public sealed record Token(string Text, string Lower, string Stem, int Start, int Sentence);

/// <summary>A sentence of an answer, kept so that evidence can be quoted exactly.</summary>
/// <param name="Index">Position of the sentence in the answer.</param>
/// <param name="Text">The sentence as written, trimmed.</param>
/// <param name="FirstToken">Index of its first token in <see cref="TextDocument.Tokens"/>.</param>
/// <param name="TokenCount">How many tokens it holds.</param>
public sealed record Sentence(int Index, string Text, int FirstToken, int TokenCount);

/// <summary>
/// An answer split into sentences and word tokens. Every scorer reads the same split, so evidence
/// quoted by one dimension lines up with what another counted.
/// </summary>
public sealed partial class TextDocument
{
    private TextDocument(string text, IReadOnlyList<Token> tokens, IReadOnlyList<Sentence> sentences)
    {
        Text = text;
        Tokens = tokens;
        Sentences = sentences;
    }

    /// <summary>The text that was analysed.</summary>
    public string Text { get; }

    /// <summary>The word tokens, in order.</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>The sentences, in order; each has at least one token.</summary>
    public IReadOnlyList<Sentence> Sentences { get; }

    /// <summary>Number of words.</summary>
    public int WordCount => Tokens.Count;

    /// <summary>
    /// Whether the text reads as a list of terms ("Empathy, active listening, de-escalation, ownership…"): three commas or
    /// more, one at least every three words. Such a list has none of the small words of a sentence and is still English.
    /// </summary>
    public bool ReadsAsList => Text.Count(c => c == ',') is var commas && commas >= 3 && commas * 3 >= WordCount;

    /// <summary>Splits <paramref name="text"/> into sentences and tokens.</summary>
    public static TextDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Normalize(NormalizationForm.FormC).Replace('\u2019', '\'').Replace('\u2018', '\'');
        var tokens = new List<Token>();
        var sentences = new List<Sentence>();

        foreach (Match sentenceMatch in SentencePattern().Matches(normalized))
        {
            var sentenceText = sentenceMatch.Value.Trim();
            if (sentenceText.Length == 0)
            {
                continue;
            }

            var first = tokens.Count;
            foreach (Match word in WordPattern().Matches(sentenceMatch.Value))
            {
                var value = word.Value.Trim('\'');
                if (value.Length == 0)
                {
                    continue;
                }

                var lower = value.ToLowerInvariant();
                tokens.Add(new Token(value, lower, Stemmer.Stem(lower), sentenceMatch.Index + word.Index, sentences.Count));
            }

            if (tokens.Count > first)
            {
                sentences.Add(new Sentence(sentences.Count, sentenceText, first, tokens.Count - first));
            }
        }

        return new TextDocument(normalized, tokens, sentences);
    }

    /// <summary>The tokens of one sentence.</summary>
    public IEnumerable<Token> TokensOf(Sentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        for (var i = sentence.FirstToken; i < sentence.FirstToken + sentence.TokenCount; i++)
        {
            yield return Tokens[i];
        }
    }

    /// <summary>A sentence shortened for quoting as evidence.</summary>
    public static string Quote(string sentence, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var trimmed = WhitespacePattern().Replace(sentence.Trim(), " ");
        if (trimmed.Length <= maxLength)
        {
            return trimmed;
        }

        var cut = trimmed.LastIndexOf(' ', maxLength - 1);
        return string.Concat(trimmed.AsSpan(0, cut > maxLength / 2 ? cut : maxLength - 1), "…");
    }

    /// <summary>Word count rendered for people, e.g. "1,204 words".</summary>
    public static string Words(int count) =>
        count == 1 ? "1 word" : count.ToString("N0", CultureInfo.InvariantCulture) + " words";

    // A sentence ends at . ! ? followed by a space, or at a line break; "3.5%" stays whole. Abbreviations
    // ("e.g. ") split a sentence early, which is rare in spoken answers and costs little.
    [GeneratedRegex(@"[^\n\r]+?(?:[.!?]+(?=\s|$)|(?=[\n\r])|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SentencePattern();

    // Words are letters or digits, with inner apostrophes (don't, I'm) and decimal or thousands marks in numbers.
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+(?:['.,%][\p{L}\p{M}\p{N}]+)*%?", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
