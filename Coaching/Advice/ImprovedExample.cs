using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// The improved example without a model: the user's own answer rearranged into the shape its question type expects
/// (STAR for a story, reason–evidence–link for motivation, requirements–components–trade-offs for design, …). Each part
/// found in the answer brings its own sentences (from the one that shows it up to the next part's), with fillers, hedges
/// and apologies taken out; a part the answer lacks becomes a bracketed prompt ("[Result: what changed, with a number,
/// and what you learned]"). No fact is added: every number and name in it comes from the answer. The sentence that shows a
/// judgement concern ("I'm a perfectionist") is replaced by a prompt for what to say instead.
/// </summary>
internal static partial class ImprovedExample
{
    private const int MaxSentenceCharacters = 260;

    public static string Write(Question question, ContentAnalysis content)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(content);
        var type = content.Type;
        var doc = content.Document;
        var usable = !content.OffTopic && !content.Hypothetical;

        // Each found part owns its anchor sentence and the sentences after it, up to the next anchor.
        var anchors = usable
            ? content.Structure.Where(f => f.Present && f.Sentence is not null).OrderBy(f => f.Sentence).ToList()
            : [];
        var owned = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var a = 0; a < anchors.Count; a++)
        {
            var from = a == 0 ? 0 : anchors[a].Sentence!.Value;
            var to = a + 1 < anchors.Count ? anchors[a + 1].Sentence!.Value : doc.Sentences.Count;
            owned[anchors[a].Name] = [.. Enumerable.Range(from, Math.Max(0, to - from))];
        }

        var parts = new List<string>();
        for (var p = 0; p < type.Parts.Count; p++)
        {
            var part = type.Parts[p];
            if (owned.TryGetValue(part.Name, out var sentences) && sentences.Count > 0)
            {
                // The sentence that shows a judgement concern is not polished: a prompt for what to say instead takes its place.
                var text = string.Join(' ', sentences.Select(i => i == content.Concern?.Sentence ? content.Concern.Rewrite : Clean(doc.Sentences[i].Text)).Where(t => t.Length > 0));
                // A result with no number gets a prompt for one, right after the user's own words.
                var needsNumber = part.Name == "result" && !sentences.Any(i => doc.TokensOf(doc.Sentences[i]).Any(t => t.Text.Any(char.IsAsciiDigit)));
                parts.Add(needsNumber ? $"{text} [By how much? Add the number.]" : text);
            }
            else
            {
                parts.Add(p < type.ExampleOutline.Count ? type.ExampleOutline[p] : $"[{part.Missing}]");
            }
        }

        return string.Join(' ', parts.Where(p => p.Length > 0));
    }

    /// <summary>The sentence without fillers, hedges and apologies, capitalised and ended.</summary>
    private static string Clean(string sentence)
    {
        var text = Softeners().Replace(sentence, " ");
        text = Spaces().Replace(text, " ").Trim().Trim(',', ' ');
        if (text.Length > MaxSentenceCharacters)
        {
            text = TextDocument.Quote(text, MaxSentenceCharacters);
        }

        if (text.Length == 0)
        {
            return text;
        }

        text = char.ToUpperInvariant(text[0]) + text[1..];
        return text[^1] is '.' or '!' or '?' or '…' or '"' or '”' or '\'' ? text : text + ".";
    }

    [GeneratedRegex(@"(?<=^|[\s,])(um+|uh+|erm?|ah|hmm|you know|i mean|sort of|kind of|basically|i think|i guess|i suppose|maybe|probably|sorry|like,)(?=[\s,.!?]|$)[,]?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Softeners();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
