namespace CoachBot.Coaching.Text;

/// <summary>Word lists shared by the scorers. Kept in one place so text and voice count the same things.</summary>
public static class Lexicon
{
    /// <summary>Filler words and phrases, excluding "like", which needs context (see <see cref="FindFillers"/>).</summary>
    public static readonly IReadOnlyList<string> Fillers =
        ["um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "you know", "sort of", "kind of", "basically", "i mean"];

    /// <summary>Hedging phrases that make an answer sound unsure of itself.</summary>
    public static readonly IReadOnlyList<string> Hedges =
        ["i think", "i guess", "i suppose", "maybe", "probably", "perhaps", "i'm not sure", "not sure", "hopefully",
         "i feel like", "somewhat", "more or less", "i would say", "i'd say", "or something"];

    /// <summary>First-person singular words: the speaker's own part.</summary>
    public static readonly IReadOnlySet<string> FirstPersonSingular =
        new HashSet<string>(StringComparer.Ordinal) { "i", "me", "my", "myself", "mine", "i'm", "i've", "i'd", "i'll" };

    /// <summary>First-person plural words: the team's part.</summary>
    public static readonly IReadOnlySet<string> FirstPersonPlural =
        new HashSet<string>(StringComparer.Ordinal) { "we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll" };

    /// <summary>Number words that make a claim specific.</summary>
    public static readonly IReadOnlySet<string> NumberWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
        "thirty", "forty", "fifty", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
        "dozen", "dozens", "half", "double", "doubled", "tripled", "quarter", "percent",
    };

    /// <summary>Units that turn a number into a measured outcome.</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal)
    {
        "percent", "%", "minutes", "hours", "days", "weeks", "months", "quarters", "years", "seconds", "ms",
        "users", "customers", "clients", "people", "engineers", "tickets", "accounts", "deals", "dollars", "revenue",
        "points", "x", "k", "calls", "requests", "sprints", "releases", "pounds", "euros", "pence", "cents", "orders",
        "bookings", "visits", "contracts", "incidents", "errors", "times",
    };

    /// <summary>Very common English words; their share tells an English answer from one in another language.</summary>
    public static readonly IReadOnlySet<string> EnglishStopwords = new HashSet<string>(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "from", "by", "about", "as",
        "is", "was", "were", "are", "be", "been", "it", "that", "this", "these", "those", "i", "we", "you", "he", "she",
        "they", "my", "our", "your", "their", "me", "us", "them", "so", "if", "then", "when", "what", "which", "who",
        "how", "had", "have", "has", "do", "did", "not", "no", "can", "could", "would", "will", "there", "all", "some",
        "more", "after", "before", "because", "into", "out", "up", "also", "just", "very",
    };

    /// <summary>A lexicon phrase as people write it: "i'm not sure" becomes "I'm not sure".</summary>
    public static string Display(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        return string.Join(' ', phrase.Split(' ').Select(w => w == "i" || w.StartsWith("i'", StringComparison.Ordinal) ? "I" + w[1..] : w));
    }

    /// <summary>Words that frame a question ("tell me about a time…") rather than say what it is about.</summary>
    public static readonly IReadOnlySet<string> QuestionFraming = new HashSet<string>(StringComparer.Ordinal)
    {
        "tell", "time", "times", "describe", "give", "example", "share", "walk", "talk", "through", "would", "could",
        "about", "your", "what", "when", "explain", "situation", "please", "example", "recent", "specific",
    };

    /// <summary>Stems of the words that carry a question's topic: no stopwords, no framing, no short words.</summary>
    public static HashSet<string> TopicStems(string text) =>
        TextDocument.Parse(text).Tokens
            .Where(t => t.Lower.Length > 3 && !EnglishStopwords.Contains(t.Lower) && !QuestionFraming.Contains(t.Lower))
            .Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);

    private static readonly PhraseMatcher FillerMatcher = new(Fillers);
    private static readonly PhraseMatcher HedgeMatcher = new(Hedges);

    /// <summary>Words after which "you know" is the verb ("do you know", "if you know", "what you know"), not a filler.</summary>
    internal static readonly IReadOnlySet<string> YouKnowAsVerb = new HashSet<string>(StringComparer.Ordinal)
    {
        "do", "did", "does", "don't", "didn't", "doesn't", "would", "will", "could", "can", "should", "if", "as", "what",
        "how", "than", "whether", "unless", "once", "when", "that", "so", "before", "until", "because", "things", "everything",
    };

    /// <summary>Words after which "kind of" / "sort of" mean a kind ("what kind of tool"), not a filler.</summary>
    internal static readonly IReadOnlySet<string> KindOfDeterminers = new HashSet<string>(StringComparer.Ordinal)
    {
        "what", "which", "this", "that", "the", "a", "any", "some", "every", "same", "these", "those", "what's", "one",
        "each", "another", "other", "no", "right", "different", "new", "first", "second",
    };

    /// <summary>
    /// Words that are fillers when they open a sentence or are set off by a comma ("Honestly, …", "Anyway, …", "…, actually,")
    /// and content elsewhere ("I told her honestly", "we shipped it anyway").
    /// </summary>
    internal static readonly IReadOnlySet<string> DiscourseMarkers = new HashSet<string>(StringComparer.Ordinal)
    {
        "honestly", "anyway", "anyways", "actually", "literally", "well", "okay", "ok",
    };

    internal static readonly IReadOnlySet<string> LikeAsVerbBefore = new HashSet<string>(StringComparer.Ordinal)
    {
        "i", "you", "we", "they", "would", "'d", "i'd", "we'd", "you'd", "they'd", "don't", "didn't", "do", "does",
        "did", "really", "feel", "felt", "look", "looked", "looks", "seem", "seemed", "sound", "sounded", "much",
        "more", "most", "just", "things", "something", "anything", "nothing", "people", "he", "she", "it", "to",
        "liked", "who", "feels", "feeling", "looking", "seems", "sounds",
    };

    /// <summary>Words a guessed number opens with, besides digits ("like two years", "like half the team", "like about forty").</summary>
    internal static readonly IReadOnlySet<string> GuessedNumberWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
        "thirty", "forty", "fifty", "sixty", "hundred", "half", "about",
    };

    /// <summary>Whether a word opens a guessed number: digits or one of <see cref="GuessedNumberWords"/>.</summary>
    public static bool LikeBeforeNumber(string word) =>
        word.Length > 0 && (char.IsAsciiDigit(word[0]) || GuessedNumberWords.Contains(word));

    /// <summary>
    /// Filler occurrences: the fixed list, the <see cref="DiscourseMarkers"/> where they open a sentence or are set off by
    /// a comma, plus "like" used as a filler (before a comma, at a sentence start, or after "was"/"is"), not "like" the
    /// verb, the preposition after a verb of seeming or the "such as" after a comma.
    /// </summary>
    public static IReadOnlyList<(string Filler, int TokenIndex)> FindFillers(TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var tokens = document.Tokens;
        // "what kind of tool" and "this sort of problem" are not fillers, nor "do you know how…" or "if you know the schema".
        var found = FillerMatcher.Matches(document)
            .Where(m => m.TokenIndex == 0 || m.Cue switch
            {
                "kind of" or "sort of" => !KindOfDeterminers.Contains(tokens[m.TokenIndex - 1].Lower),
                "you know" => !YouKnowAsVerb.Contains(tokens[m.TokenIndex - 1].Lower),
                _ => true,
            })
            .ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var marker = DiscourseMarkers.Contains(tokens[i].Lower);
            if (!marker && tokens[i].Lower != "like")
            {
                continue;
            }

            var sentenceStart = i == 0 || tokens[i - 1].Sentence != tokens[i].Sentence;
            var end = tokens[i].Start + tokens[i].Text.Length;
            var commaAfter = end < document.Text.Length && document.Text[end] == ',';
            var commaBefore = tokens[i].Start > 1 && document.Text[tokens[i].Start - 2] == ',';
            if (marker)
            {
                // "Well, …" and "Okay, so …" open a sentence with a pause, where "as well," and "it went okay," are the words
                // themselves; "…, actually, …" and "…, honestly." are asides, where "we shipped it anyway, and…" ends a clause.
                var sentenceEnd = i + 1 == tokens.Count || tokens[i + 1].Sentence != tokens[i].Sentence;
                var pause = tokens[i].Lower is "well" or "okay" or "ok"
                    ? sentenceStart && commaAfter
                    : sentenceStart || (commaBefore && (commaAfter || sentenceEnd));
                if (pause)
                {
                    found.Add((tokens[i].Lower, i));
                }

                continue;
            }

            var previous = sentenceStart ? null : tokens[i - 1].Lower;
            var afterCopula = previous is "was" or "is" or "were" or "i'm" or "it's" or "and" or "um" or "uh";
            // "for like two years" guesses at a number; "looks like, whether…" and "I like, um, …" are the words themselves.
            var verbBefore = previous is not null && LikeAsVerbBefore.Contains(previous);
            var beforeNumber = !verbBefore && i + 1 < tokens.Count && tokens[i + 1].Sentence == tokens[i].Sentence && LikeBeforeNumber(tokens[i + 1].Lower);
            // After a comma alone it opens examples ("our own documents, like our help centre or contracts"): only set off on
            // both sides ("and then, like, we shipped") is it a filler.
            if (sentenceStart || (commaAfter && !verbBefore) || afterCopula || beforeNumber)
            {
                found.Add(("like", i));
            }
        }

        found.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return found;
    }

    /// <summary>
    /// Hedging occurrences; "or something" only where it trails off (before a comma or the sentence's end), not in "a
    /// motivation problem or something outside work".
    /// </summary>
    public static IReadOnlyList<(string Hedge, int TokenIndex)> FindHedges(TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return [.. HedgeMatcher.Matches(document).Where(m => m.Cue switch
        {
            "or something" => TrailsOff(document, m.TokenIndex + 1),
            // "I'd say so" is telling someone, not a hedge ("If it's outside policy, I'd say so honestly").
            "i'd say" or "i would say" => !Next(document, m.TokenIndex + m.Cue.Split(' ').Length, "so"),
            // "More than I think" compares; it is not the speaker hedging.
            "i think" => !(m.TokenIndex > 0 && document.Tokens[m.TokenIndex - 1].Lower == "than" &&
                           document.Tokens[m.TokenIndex - 1].Sentence == document.Tokens[m.TokenIndex].Sentence),
            _ => true,
        })];
    }

    /// <summary>Whether token <paramref name="index"/> is <paramref name="word"/> in the same sentence as the one before it.</summary>
    private static bool Next(TextDocument document, int index, string word) =>
        index < document.Tokens.Count && index > 0 && document.Tokens[index].Sentence == document.Tokens[index - 1].Sentence &&
        document.Tokens[index].Lower == word;

    /// <summary>Whether token <paramref name="index"/> ends its sentence or is followed by a comma.</summary>
    private static bool TrailsOff(TextDocument document, int index)
    {
        var tokens = document.Tokens;
        var end = tokens[index].Start + tokens[index].Text.Length;
        return index + 1 == tokens.Count || tokens[index + 1].Sentence != tokens[index].Sentence ||
               (end < document.Text.Length && document.Text[end] == ',');
    }
}
