using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// The improved example without a model: the user's own answer, in the user's own order, completed to the shape its
/// question type expects (STAR for a story, reason–evidence–link for motivation, requirements–components–trade-offs for
/// design, …). Sentences are kept as told, with fillers and interrupting apologies taken out (hedges stay: they carry
/// meaning) and sign-offs ("So yeah.") dropped; a part the answer lacks becomes
/// a bracketed prompt ("[Task: what you were responsible for]") where the type's shape puts it, before the first part
/// found that follows it. A result stated without a figure is followed by "[By how much? Add the number.]"; a lesson or
/// a reflection never is. No fact is added: every number and name in it comes from the answer. The sentence that shows a
/// judgement concern ("I'm a perfectionist") is replaced by a prompt for what to say instead. An answer heard as wandering
/// (<see cref="Detours.Wanders"/>) loses its asides, as its tip asks.
/// </summary>
internal static partial class ImprovedExample
{
    public static string Write(Question question, ContentAnalysis content)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(content);
        var type = content.Type;
        var doc = content.Document;
        var usable = !content.OffTopic && !content.Hypothetical;

        // The parts found, in the order the answer tells them: the example keeps the speaker's order (a story that opens
        // with its result still does) and only fills in what is missing.
        var anchors = usable
            ? content.Structure.Where(f => f.Present && f.Sentence is not null).OrderBy(f => f.Sentence).ToList()
            : [];
        var position = type.Parts.Select((part, index) => (part.Name, index)).ToDictionary(p => p.Name, p => p.index, StringComparer.Ordinal);
        var prompted = new HashSet<int>();
        var pieces = new List<string>();

        // A missing part's prompt goes where the type's shape puts it: before the first part found that comes after it.
        void PromptsBefore(int limit)
        {
            for (var p = 0; p < Math.Min(limit, type.Parts.Count); p++)
            {
                if (!prompted.Contains(p) && !anchors.Exists(a => a.Name == type.Parts[p].Name))
                {
                    prompted.Add(p);
                    // A part this question does not ask for (trade-offs of a concept, a link to "this role" for a career
                    // question) is not prompted for, as the card gives no tip for it.
                    // Nor is one the concern's own prompt already asks for ("[A real weakness…, and one time it cost you]").
                    if (!AskedParts.Asks(question, type.Parts[p].Name) || (content.Concern?.RewriteCovers.Contains(type.Parts[p].Name, StringComparer.Ordinal) ?? false))
                    {
                        continue;
                    }

                    pieces.Add(AskedParts.Outline(question, type, p));
                }
            }
        }

        // An answer heard as wandering is told to leave its asides out: the stronger version does. A sentence with a detour's
        // cue goes unless it carries a part of the shape; one that comes back to the point keeps the point without
        // "Anyway,".
        var wanders = usable && Detours.Wanders(doc);
        var asides = wanders
            ? Detours.Sentences(doc).Select(s => s.Index).Where(i => !anchors.Exists(a => a.Sentence == i) && !Detours.ComesBack(doc.Sentences[i].Text)).ToHashSet()
            : [];

        var result = anchors.Find(a => a.Name == "result");
        var figureAfter = result is null ? null : FigurePromptAfter(doc, result.Sentence!.Value, anchors);
        // A story that opens with its last part (the result as a headline) keeps its opening line first: the prompts for
        // what is missing go after it, before the next part.
        var headline = anchors.Count > 1 && position[anchors[0].Name] == type.Parts.Count - 1;
        var next = 0;
        void Keep(int to)
        {
            for (var i = next; i < to; i++)
            {
                // The sentence that shows a judgement concern is not polished: a prompt for what to say instead takes its place,
                // and the others that show it go (a user's try-out found "walked them through it as my work" kept after the
                // prompt to credit the people who helped).
                var text = i == content.Concern?.Sentence ? content.Concern.Rewrite
                    : content.Concern?.Sentences.Contains(i) == true || asides.Contains(i) ? string.Empty
                    : Clean(wanders ? Detours.WithoutComingBack(doc.Sentences[i].Text) : doc.Sentences[i].Text);
                if (text.Length > 0)
                {
                    pieces.Add(text);
                }

                // A result stated without a figure gets a prompt for one right after it, never after a lesson or a reflection.
                if (i == figureAfter)
                {
                    pieces.Add("[By how much? Add the number.]");
                }
            }

            next = Math.Max(next, to);
        }

        foreach (var anchor in anchors)
        {
            if (!(headline && anchor == anchors[0]))
            {
                PromptsBefore(position[anchor.Name]);
            }

            // The sentences before the first part belong to it; each part owns its sentence and those up to the next part.
            Keep(anchors.IndexOf(anchor) + 1 < anchors.Count ? anchors[anchors.IndexOf(anchor) + 1].Sentence!.Value : doc.Sentences.Count);
        }

        // An answer to the question in which no part of the shape stands out is still the user's answer: it is kept as told,
        // after the prompt for the shape's opening part and before the rest (a card once offered only
        // "[What you would bring in your first months]" for a clear 81-word answer). An answer to another question, or
        // a plan told for a story, keeps none of its sentences: the prompts show the shape to tell instead.
        if (usable && anchors.Count == 0)
        {
            PromptsBefore(1);
            Keep(doc.Sentences.Count);
        }

        PromptsBefore(type.Parts.Count);
        var example = string.Join(' ', pieces.Where(p => p.Length > 0));
        // An answer that already has its shape, with nothing to take out, would come back word for word: showing it as
        // "a stronger version" tells the user nothing, so there is none.
        return Words(example) == Words(doc.Text) ? string.Empty : example;
    }

    /// <summary>The text's words, lower case, as the answer's own parser reads them: what a reader would notice had changed.</summary>
    private static string Words(string text) => string.Join(' ', TextDocument.Parse(text).Tokens.Select(t => t.Lower));

    /// <summary>
    /// The sentence after which a figure is asked for: the result's first sentence that states a change (not a lesson,
    /// a reflection or a habit since), when none of the result's sentences has a figure, in digits or in words
    /// ("to a day", "three weeks", "half"). Null when the result has a figure or states no change a figure would measure.
    /// </summary>
    internal static int? FigurePromptAfter(TextDocument doc, int resultSentence, IReadOnlyList<StructureFinding> anchors)
    {
        var end = anchors.Where(a => a.Sentence > resultSentence).Select(a => a.Sentence!.Value).DefaultIfEmpty(doc.Sentences.Count).Min();
        var owned = Enumerable.Range(resultSentence, end - resultSentence).ToList();
        if (owned.Exists(i => HasFigure(doc.Sentences[i].Text)))
        {
            return null;
        }

        // "By how much?" fits a change ("the queue got shorter", "sales went up"), not an end state ("the errors stopped").
        return owned.Where(i => !EvidenceFinder.IsReflection(doc.Sentences[i].Text) && Change().IsMatch(doc.Sentences[i].Text))
            .Cast<int?>().FirstOrDefault();
    }

    /// <summary>Whether a sentence gives a figure: digits, a number word, "half", "twice", "a day" and the like.</summary>
    internal static bool HasFigure(string sentence) => sentence.Any(char.IsAsciiDigit) || NumberWords().IsMatch(sentence);

    /// <summary>
    /// The sentence without fillers and interrupting apologies, capitalised and ended (empty for a sign-off); never shortened, since a long sentence's
    /// end is often its result. "You know" after "do", "if", "what"… and "kind of" after "what", "this", "a"… are the
    /// sentence's own words and stay (the same exceptions as <see cref="Lexicon.FindFillers"/>).
    /// </summary>
    private static string Clean(string sentence)
    {
        var text = Softeners().Replace(ParentheticalPattern.Replace(Stutter().Replace(sentence, "$1"), m => m.Groups["clause"].Success ? ", " : " "), " ");
        text = StanceLast().Replace(StanceFirst().Replace(text.TrimStart(), string.Empty), string.Empty);
        // A softener taken from before a full stop or comma leaves no space behind ("it went okay, I guess." → "it went okay.").
        text = SpaceBeforeStop().Replace(Spaces().Replace(text, " "), "$1").Trim().Trim(',', ' ');
        if (text.Length == 0)
        {
            return text;
        }

        // Nothing left but punctuation, or a sign-off with no content ("So yeah.", "Okay."), is not part of the answer.
        if (!text.Any(char.IsLetterOrDigit) || SignOff().IsMatch(text))
        {
            return string.Empty;
        }

        text = char.ToUpperInvariant(text[0]) + text[1..];
        // A statement said with a rising "?" ("I'd look at the query first?") is written as the statement it is.
        text = UnsureStatement().IsMatch(text) ? text[..^1] + "." : text;
        return text[^1] is '.' or '!' or '?' or '…' or '"' or '”' or '\'' ? text : text + ".";
    }

    /// <summary>
    /// Fillers and a "sorry," that interrupts, with the filler count's exceptions (<see cref="Lexicon.YouKnowAsVerb"/>,
    /// <see cref="Lexicon.KindOfDeterminers"/>, <see cref="Lexicon.LikeAsVerbBefore"/>; "like" before a guessed number,
    /// <see cref="Lexicon.GuessedNumberWords"/>). Hedges inside a claim stay: "maybe custom aliases" scopes an optional
    /// feature and "were probably our most loyal" is a guess, and without them the sentence claims more than the speaker
    /// did (a blind judge and a user's try-out both found the meaning changed); "I'll say sorry" is what the speaker does.
    /// The speaker's stance around a clause ("I guess", "I think") is taken out apart (<see cref="StanceFirst"/>).
    /// </summary>
    private static readonly string SoftenerWords =
        $@"(um+|uh+|erm?|ah|hmm|(?<!\b({Alternatives(Lexicon.YouKnowAsVerb)})\s)you know|i mean|(?<!\b({Alternatives(Lexicon.KindOfDeterminers)})\s)(sort of|kind of)|basically|(?<!\b(i'm|i am|we're|we are|i was|we were|am|are|was|were|really|so|very|truly|said|say|saying)\s)sorry,|(?<!\b({Alternatives(Lexicon.LikeAsVerbBefore)})\s)like(,|(?=\s+(\d+|{Alternatives(Lexicon.GuessedNumberWords)})\b))|honestly,|anyway,|anyways,|actually,|literally,)";

    private static readonly Regex SoftenersPattern = new(
        $@"(?<=^|[\s,]){SoftenerWords}(?=[\s,.!?]|$)[,]?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// A softener set off by commas ("it kept, um, failing", "I've, like, always"): the commas go with it, but one stays
    /// where a new clause follows ("at my last job, actually, we switched" → "at my last job, we switched").
    /// </summary>
    private static readonly Regex ParentheticalPattern = new(
        $@",\s*(?:{SoftenerWords}|like|honestly|anyway|anyways|actually|literally)\s*,(?=\s(?<clause>(i|we|they|he|she|you|it|that|this|there)\b)?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// The speaker's stance before a clause ("I guess I like helping people", "Honestly the main thing…"): said without
    /// it, the sentence claims what the speaker meant. Hedges inside the claim ("maybe", "probably") stay, as above; "I think
    /// about", "I think so" and "I'd say no" are what the speaker thinks or says and stay too.
    /// </summary>
    [GeneratedRegex(@"^(and |so )?(i guess|i think|i suppose|i'd say|i would say|i feel like|honestly|to be honest),?\s+(?=(i|i'd|i'm|i've|i'll|we|we'd|we're|we've|they|they're|it|it's|that|that's|this|there|the|my|our|a|an|you|he|she|people|\w+ing)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StanceFirst();

    /// <summary>The stance or a trailing "or something" at a clause's end ("check the logs I think.", "add an index or something.").</summary>
    [GeneratedRegex(@"(?<!\b(?:what|how|as|than|do|don't|didn't|not|that|which|who))(?:,?\s+)(i guess|i think|i suppose|or something)(?=\s*([.!?,;]|$))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StanceLast();

    /// <summary>A sentence that opens as a statement (a pronoun, "and", "so") and ends with a "?".</summary>
    [GeneratedRegex(@"^(and |so |then )?(i|i'd|i'm|i've|i'll|we|we'd|we're|my|our|it|it's|that|that's|this)\b[^?]*(?<!\b(?:right|no|okay|ok))\?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnsureStatement();

    /// <summary>
    /// A small word said twice in a row as the speaker restarts ("the the", "I I", "that's that's"). Only words a restart
    /// repeats: "had had", "that that" and "look after after school" can be meant (a user's try-out found the last made
    /// "look after school").
    /// </summary>
    [GeneratedRegex(@"\b(i|i'm|i've|i'd|i'll|the|a|an|to|and|we|we're|we've|it|it's|that's|so|but|my|our|they|he|she|you|in|on|of|for|with|this|there|there's|what|which|then)\s+\1\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Stutter();

    private static Regex Softeners() => SoftenersPattern;

    private static string Alternatives(IEnumerable<string> words) => string.Join('|', words.Select(Regex.Escape));

    [GeneratedRegex(@"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|hundreds|thousand|thousands|million|dozen|half|halved|twice|double|doubled|triple|tripled|percent|per cent|a (second|minute|hour|day|week|month|quarter|year))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberWords();

    /// <summary>A change that a figure would measure: "improved", "cut", "faster", "went down", "fewer".</summary>
    [GeneratedRegex(@"\b(improv\w*|increas\w*|reduc\w*|cut|faster|slower|quicker|shorter|grew|grow\w*|dropp?\w*|fell|rose|rais\w*|better|more|less|fewer|higher|lower|sav(ed|es|ing)|went (up|down)|came down|down to|halv\w*|doubl\w*|tripl\w*|boost\w*|lift(ed)?|speed(ed)? up|sped up)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Change();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(so,? )?(yeah|yes|okay|ok|right|that's it|that's about it)[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SignOff();

    [GeneratedRegex(@"[\s,]+([.!?])(?=[\s""”')]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforeStop();
}
