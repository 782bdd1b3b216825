using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>Everything found in an answer, sentence by sentence, that the dimensions score from.</summary>
/// <param name="Question">The question.</param>
/// <param name="Type">Its type.</param>
/// <param name="Document">The parsed answer.</param>
/// <param name="Semantics">How its sentences relate in meaning to the question (null when the model cannot run).</param>
/// <param name="Rubric">Coverage of each rubric point, by words or meaning, with the covering sentence.</param>
/// <param name="Parts">The type's parts, each shown by its own sentence.</param>
/// <param name="Fillers">Filler words.</param>
/// <param name="Hedges">Hedging phrases.</param>
/// <param name="Apologies">Apologies, false starts, "I don't know how to answer".</param>
/// <param name="PersonalActions">Sentences where the speaker says what they did ("I rewrote…").</param>
/// <param name="WouldSentences">Sentences about what the speaker would do.</param>
internal sealed record AnswerEvidence(
    Question Question,
    QuestionType Type,
    TextDocument Document,
    SemanticMatch? Semantics,
    IReadOnlyList<RubricCoverage> Rubric,
    IReadOnlyList<StructureFinding> Parts,
    IReadOnlyList<(string Filler, int TokenIndex)> Fillers,
    IReadOnlyList<(string Hedge, int TokenIndex)> Hedges,
    IReadOnlyList<(string Phrase, int Sentence)> Apologies,
    IReadOnlyList<int> PersonalActions,
    IReadOnlyList<int> WouldSentences)
{
    /// <summary>Whether the answer does not address the question.</summary>
    public bool OffTopic { get; init; }

    /// <summary>What the question asked for (its core) when the answer is off the question because it never mentions it.</summary>
    public string? CoreNotShown { get; init; }

    /// <summary>The problem of judgement the answer shows, if any (<see cref="Types.JudgementConcerns"/>).</summary>
    public Types.JudgementConcern? Concern { get; init; }

    /// <summary>Whether a story question got only what the speaker would do.</summary>
    public bool Hypothetical => Type.IsStory && PersonalActions.Count == 0 && WouldSentences.Count >= 2;

    /// <summary>Whether the answer is largely a list of terms (<see cref="TermLists"/>): it names ideas without showing one at work.</summary>
    public bool ListsTerms => TermLists.Share(Document) >= ScoringCalibration.TermListShare;

    /// <summary>The quoted text of sentence <paramref name="index"/>.</summary>
    public string Quote(int index) => TextDocument.Quote(Document.Sentences[index].Text);
}

/// <summary>Finds the evidence in an answer: rubric points by words or meaning, one sentence per part, fillers and apologies.</summary>
internal static partial class EvidenceFinder
{
    private const int MaxCuedPointsPerSentence = 2;

    private static readonly string[] PastTenseIrregular =
    [
        "built", "led", "wrote", "made", "took", "ran", "set", "met", "spoke", "sat", "brought", "gave", "got", "began",
        "chose", "drove", "found", "held", "kept", "put", "sent", "spent", "told", "thought", "went", "rewrote", "sold",
        "taught", "caught", "did", "paired", "dug", "split", "cut", "shut", "won", "lost", "paid", "bought", "hired",
        "fought", "sought", "rebuilt", "redid", "oversaw", "undertook", "knew", "grew", "threw", "drew", "flew", "left", "felt", "heard", "said", "stood", "understood",
        "let", "saw", "came", "became", "rang", "broke",
    ];

    public static AnswerEvidence Find(Question question, QuestionType type, TextDocument document, SemanticMatch? semantics)
    {
        // Cues match a normalised copy ("A/B" as "ab"); its sentences are the same, so quotes come from the original.
        var normalized = TextDocument.Parse(Normalize(document.Text));
        var rubric = CoverRubric(question, document, normalized.Sentences.Count == document.Sentences.Count ? normalized : document, semantics);
        var would = document.Sentences.Where(s => WouldPattern().IsMatch(s.Text)).Select(s => s.Index).ToList();
        // "If I made a mistake, I would…" or "I would check that I hadn't…" is a plan whatever tense its clauses are in
        // (a bare "I'd agreed" is a past perfect, not a plan).
        var personal = document.Sentences
            .Where(s => !(would.Contains(s.Index) && ConditionPattern().IsMatch(s.Text)) && HasPersonalPastAction(document, s))
            .Select(s => s.Index).ToList();
        // Each part missing is named as this question needs it (a product's main steps rather than a system's components).
        var parts = FindParts(type, document, personal).Select(f => f with { Missing = AskedParts.Missing(question, type.Parts.First(p => p.Name == f.Name)) }).ToList();
        // A generic point that asks for a part of the shape ("Gives a concrete example") is covered where that part is: a
        // card once had structure "every part of a technical answer" beside "only in passing: gives a concrete example".
        rubric = [.. rubric.Select(r => !r.Covered && r.Point.Part is { } name && parts.Find(f => f.Name == name && f.Present) is { } part
            ? r with { Covered = true, Evidence = part.Evidence, Cue = "part:" + name, Sentence = part.Sentence, Unclear = false, Nearest = null }
            : r)];
        // An apology the story tells ("I told her I was sorry for the double charge", "I apologise to every customer") is
        // what the speaker did, not one to the interviewer: it costs no clarity and gets no tip to drop it.
        var apologies = document.Sentences
            .SelectMany(s =>
            {
                var told = ToldApology().Matches(s.Text);
                return ApologyPattern().Matches(s.Text)
                    .Where(m => !told.Any(t => m.Index < t.Index + t.Length && t.Index < m.Index + m.Length))
                    .Select(m => (m.Value.ToLowerInvariant(), s.Index));
            })
            .ToList();
        return new AnswerEvidence(question, type, document, semantics, rubric, parts,
            Lexicon.FindFillers(document), Lexicon.FindHedges(document), apologies, personal, would);
    }

    /// <summary>
    /// A point is covered when one sentence says it: by one of its cues (words compared by stem, A/B and hyphens
    /// normalised), or in other words (the sentence model puts the sentence close to the point).
    /// </summary>
    private static List<RubricCoverage> CoverRubric(Question question, TextDocument document, TextDocument normalized, SemanticMatch? semantics)
    {
        var result = new List<RubricCoverage>(question.Rubric.Count);
        // A sentence that strings together the words of three points is a list of keywords, not three points made.
        var pointsBySentence = new int[document.Sentences.Count];
        for (var k = 0; k < question.Rubric.Count; k++)
        {
            var point = question.Rubric[k];
            var match = new PhraseMatcher(point.Cues.Select(Normalize)).Matches(normalized)
                .Where(m => pointsBySentence[normalized.Tokens[m.TokenIndex].Sentence] < MaxCuedPointsPerSentence)
                .Select(m => ((string, int)?)m).FirstOrDefault();
            if (match is { } m)
            {
                var sentence = normalized.Tokens[m.Item2].Sentence;
                pointsBySentence[sentence]++;
                result.Add(new RubricCoverage(point, true, TextDocument.Quote(document.Sentences[sentence].Text), m.Item1) { Sentence = sentence });
                continue;
            }

            // A point about what was achieved is said by a measured change ("fell from about 140 to under 30 a month")
            // whatever words it uses: a number that moved is the plainest way to state a result.
            if (OutcomePoint().IsMatch(point.Point) &&
                document.Sentences.FirstOrDefault(s => s.Text.Any(char.IsAsciiDigit) && MeasuredChange().IsMatch(s.Text)) is { } measured)
            {
                pointsBySentence[measured.Index]++;
                result.Add(new RubricCoverage(point, true, TextDocument.Quote(measured.Text), "measured change") { Sentence = measured.Index });
                continue;
            }

            if (semantics is null)
            {
                result.Add(new RubricCoverage(point, false, null, null));
                continue;
            }

            var rows = Enumerable.Range(0, semantics.SentenceToPoint.Length).ToList();
            var best = rows.MaxBy(i => semantics.Margin(i, k));
            var margin = semantics.Margin(best, k);
            if (margin >= ScoringCalibration.PointCovered && semantics.SentenceToPoint[best][k] >= ScoringCalibration.PointFloor &&
                document.Sentences[best].TokenCount >= 4)
            {
                result.Add(new RubricCoverage(point, true, TextDocument.Quote(document.Sentences[best].Text), "meaning") { Sentence = best });
                continue;
            }

            // Where adding the point would fit: the sentence most about it (by margin over the other points), and only when it
            // is about as close as a sentence that says a point in other words; otherwise no sentence is near it.
            var nearest = rows.MaxBy(i => semantics.Margin(i, k));
            result.Add(new RubricCoverage(point, false, null, null)
            {
                Nearest = semantics.SentenceToPoint[nearest][k] >= ScoringCalibration.PointFloor ? TextDocument.Quote(document.Sentences[nearest].Text) : null,
                Unclear = margin >= ScoringCalibration.PointMissed,
            });
        }

        return result;
    }

    /// <summary>
    /// Each part of the type's shape is shown by its own sentence: parts are placed in their usual order, each on the
    /// first sentence that signals it and no earlier part took, so one sentence is never situation, task and action at once;
    /// a result is looked for after the speaker's last action first.
    /// </summary>
    private static List<StructureFinding> FindParts(QuestionType type, TextDocument document, List<int> personal)
    {
        var taken = new HashSet<int>();
        var findings = new List<StructureFinding>();
        foreach (var part in type.Parts)
        {
            int? where = null;
            // A story's result is what came of the actions: first a result word after the speaker's last action that is
            // not a lesson, then one after the action part, and one in the set-up ("customers were dropping off", "we cut
            // scope") only when nothing after the action says how it ended.
            var action = findings.Find(f => f.Name == "action")?.Sentence;
            var last = personal.Count == 0 ? -1 : personal.Max();
            var order = part.Name == "result" && action is { } after
                ? document.Sentences.Where(s => s.Index > last && !IsReflection(s.Text))
                    .Concat(document.Sentences.Where(s => s.Index > after))
                    .Concat(document.Sentences).Distinct()
                : document.Sentences;
            foreach (var sentence in order)
            {
                // A preamble is not the answer, whatever its words ("There are a lot of things…" has "are a").
                if (taken.Contains(sentence.Index) || (part.Name == "answer" && Preamble().IsMatch(sentence.Text)))
                {
                    continue;
                }

                if (Signals(document, sentence, part.Signals) || (part.Name == "action" && personal.Contains(sentence.Index)))
                {
                    where = sentence.Index;
                    break;
                }
            }

            // An explanation that opens with substance (the first step, the definition, the choice) leads with its answer
            // whatever words it uses; only one that opens by clearing its throat ("Good question.", "There are many ways to
            // look at it.", "It depends.") or with a fragment does not. Signal words alone missed "The browser first parses
            // the URL…" for "what happens when you type a web address" (a user's try-out).
            if (part.Name == "answer" && where is not 0 && !taken.Contains(0) && document.Sentences.Count > 0 && LeadsWithSubstance(document, document.Sentences[0]))
            {
                where = 0;
            }

            // A story opens with its scene: a later sentence that sets the scene and also says what the speaker was responsible
            // for ("I was the only mobile developer, so I was responsible for the build") is the task, and the opening
            // sentence the situation, rather than the task reported missing beside it (a user's try-out).
            // So is a later sentence that a scene word reaches only in passing while it tells what the speaker did ("She said it
            // because of how I ran the project: I invited…, I shared…"): it is the action, and the opening the scene.
            if (part.Name == "situation" && where is > 0 && !taken.Contains(0) && !personal.Contains(0) &&
                ((type.Parts.FirstOrDefault(p => p.Name == "task") is { } task && Signals(document, document.Sentences[where.Value], task.Signals)) ||
                 personal.Contains(where.Value)))
            {
                where = 0;
            }

            // A short story often ends its last action with what came of it ("I split the queue and set up a rota, and we
            // cleared it in nine days"): when no sentence of its own says the result, a later clause of that sentence does.
            if (where is null && part.Name == "result" && action is not null)
            {
                var closing = document.Sentences[Math.Max(last, action.Value)];
                if (!IsReflection(closing.Text) && SaysInLaterClause(document, closing, part.Signals))
                {
                    where = closing.Index;
                }
            }

            if (where is { } index)
            {
                taken.Add(index);
            }

            findings.Add(Finding(document, part, where));
        }

        ReadAsACoachWould(type, document, personal, findings);
        return findings;
    }

    private static StructureFinding Finding(TextDocument document, AnswerPart part, int? where) =>
        new(part.Name, where is not null, where is null ? null : TextDocument.Quote(document.Sentences[where.Value].Text), part.Missing) { Sentence = where };

    /// <summary>
    /// What signal words miss but a listener hears: a sentence where the speaker says what they did ("so I told him he
    /// needed to…") is the action, not the task its later words signal; a story's opening sentence, told before anything
    /// the speaker did, sets the scene ("Two engineers on my team kept arguing…", "In my second year as an analyst I was
    /// asked to…", which may also state the task); an answer to a "what would you do" question that tells what the
    /// speaker once did has its moment from the past; and a part said in other words (<see cref="HeardParts"/>) is there.
    /// </summary>
    private static void ReadAsACoachWould(QuestionType type, TextDocument document, List<int> personal, List<StructureFinding> findings)
    {
        int Index(string name) => findings.FindIndex(f => f.Name == name);
        AnswerPart Part(string name) => type.Parts.First(p => p.Name == name);
        var task = Index("task");
        var action = Index("action");
        if (task >= 0 && action >= 0 && !findings[action].Present && findings[task].Sentence is { } told && personal.Contains(told))
        {
            findings[action] = Finding(document, Part("action"), told);
            var other = document.Sentences.Where(s => s.Index != told && !findings.Exists(f => f.Sentence == s.Index))
                .FirstOrDefault(s => Enumerable.Range(s.FirstToken, s.TokenCount).Any(i => Part("task").Signals.MatchesAt(document.Tokens, i)));
            findings[task] = Finding(document, Part("task"), other?.Index);
        }

        var situation = Index("situation");
        if (situation >= 0 && !findings[situation].Present && document.Sentences.Count > 1 && action >= 0 &&
            findings[action].Sentence is not 0 && !findings.Exists(f => f.Name is "result" && f.Sentence == 0))
        {
            findings[situation] = Finding(document, Part("situation"), 0);
        }

        var experience = Index("experience");
        if (experience >= 0 && !findings[experience].Present && personal.Count > 0)
        {
            findings[experience] = Finding(document, Part("experience"), personal.Min());
        }

        // A part its signal words miss but a listener hears ("because…" for the reason, "at my last job…" for the example,
        // "the downside is…" for the trade-offs) is there, in the first sentence no other part took: the score and its
        // reason count what the advice would never ask for, rather than call it missing beside no tip. A story in which the
        // speaker does nothing in the past (beliefs and habits: "I always use data-driven decision making") has no moment for
        // such words to belong to, and gets none.
        if (type.IsStory && personal.Count == 0)
        {
            return;
        }

        for (var i = 0; i < findings.Count; i++)
        {
            if (!findings[i].Present &&
                HeardParts.Sentences(type, findings[i].Name, document).FirstOrDefault(s => !findings.Exists(f => f.Sentence == s.Index)) is { } heard)
            {
                findings[i] = Finding(document, Part(findings[i].Name), heard.Index);
            }
        }
    }

    /// <summary>An opening sentence of at least six words that is not a preamble ("Good question", "it depends", "let me think").</summary>
    private static bool LeadsWithSubstance(TextDocument document, Sentence sentence) =>
        document.TokensOf(sentence).Count(t => !Lexicon.Fillers.Contains(t.Lower)) >= 6 && !sentence.Text.TrimEnd().EndsWith('?') && !Preamble().IsMatch(sentence.Text);

    [GeneratedRegex(@"^\W*((so|well|ok|okay|right|hmm+|um+|uh+|sure|yeah|yes)\b[,.]?\s*)*((that's|that is|it's|what) (a |an )?(good|great|interesting|tricky|hard|big|broad) question|good question|great question|let me (think|see|start)|where (do i|to) (start|begin)|there (are|is) (a lot of|lots of|many|several|a few|a number of|so many|different) (ways|things|factors|approaches|aspects|options|parts)|it (really |all )?depends|i('m| am) not (sure|an expert|really sure)|i (don't|do not) (really )?know|to be honest|honestly|i think it's (hard|difficult) to say|i guess|i'd say it's (hard|complicated)|this is (a |an )?(big|broad|complex|complicated|hard|tricky) (topic|question|area))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Preamble();

    /// <summary>
    /// Whether a part's signal comes in a clause after the sentence's first: after ", and", ", so", "so that", "which" or
    /// "until" (the action first, then what came of it).
    /// </summary>
    private static bool SaysInLaterClause(TextDocument document, Sentence sentence, PhraseMatcher signals)
    {
        var joined = false;
        for (var i = sentence.FirstToken + 1; i < sentence.FirstToken + sentence.TokenCount; i++)
        {
            var token = document.Tokens[i];
            if (!joined)
            {
                var comma = token.Start >= 2 && document.Text.AsSpan(0, token.Start).TrimEnd().EndsWith(",", StringComparison.Ordinal);
                joined = token.Lower is "which" or "until" || (token.Lower is "and" or "so" && comma);
                continue;
            }

            if (signals.MatchesAt(document.Tokens, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a sentence reports a personal action in the past tense ("I migrated…"): a first-person subject followed
    /// within three words by a past-tense verb; with <paramref name="orTeam"/>, the team's ("we shipped…") counts too.
    /// </summary>
    public static bool HasPersonalPastAction(TextDocument document, Sentence sentence, bool orTeam = false)
    {
        var tokens = document.TokensOf(sentence).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Lower != "i" && !(orTeam && tokens[i].Lower == "we"))
            {
                continue;
            }

            for (var k = i + 1; k < Math.Min(tokens.Count, i + 4); k++)
            {
                var w = tokens[k].Lower;
                if (w is "would" or "will" or "could" or "should" or "might")
                {
                    break;
                }

                // "Let" is past only told straight after its subject ("I let him finish"); "I always let research guide me" is a habit.
                if ((w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4 && w is not "need" and not "used") ||
                    (PastTenseIrregular.Contains(w) && !(w == "let" && k > i + 1)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether some word of <paramref name="sentence"/> starts one of <paramref name="signals"/>.</summary>
    private static bool Signals(TextDocument document, Sentence sentence, PhraseMatcher signals)
    {
        for (var i = sentence.FirstToken; i < sentence.FirstToken + sentence.TokenCount; i++)
        {
            if (signals.MatchesAt(document.Tokens, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a sentence is a lesson, a reflection or a habit taken since: what the speaker learned or feels, not what changed.</summary>
    public static bool IsReflection(string sentence) => ReflectionPattern().IsMatch(sentence);

    [GeneratedRegex(@"\b(learn(ed|t)|lesson|taught me|takeaway|took from|realis|realiz|in hindsight|looking back|next time|i (now |still )?always|i now|i feel|i felt|made me|it was a (good|great|valuable)|experience for me|showed me|reminded me)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReflectionPattern();

    /// <summary>Cue phrases and answers compare alike: "A/B" is "ab", "follow-up" is "follow up".</summary>
    public static string Normalize(string text) =>
        SlashPair().Replace(text, "$1$2").Replace('-', ' ');

    /// <summary>A rubric point about what was achieved: an outcome, a result, an achievement, the impact.</summary>
    [GeneratedRegex(@"\b(outcomes?|results?|achievements?|achieved|impact|accomplish\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutcomePoint();

    /// <summary>A number that moved: "from 140 to under 30", "cut by 40%", "doubled to 2,000", "fell to 12 a week".</summary>
    [GeneratedRegex(@"\bfrom\b[^.;]*\d[^.;]*\bto\b|\b(fell|fallen|dropped|rose|risen|grew|grown|cut|reduced|increased|decreased|halved|doubled|tripled|saved|went (up|down)|brought (it |them )?down|lifted|raised|shortened)\b[^.;]*\d|\d[^.;]*\b(fewer|less|more|faster|slower|lower|higher) than\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MeasuredChange();

    [GeneratedRegex(@"\b([A-Za-z])/([A-Za-z])\b", RegexOptions.CultureInvariant)]
    private static partial Regex SlashPair();

    [GeneratedRegex(@"\bif\b|\b(i|we) would\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"\b(i|we)('d| would| will|'ll| could| might)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WouldPattern();

    [GeneratedRegex(@"\b(sorry|i apologi[sz]e|let me (start|begin) (again|over)|start (again|over)|scratch that|where was i|what was i saying|(don'?t|do not|not sure) (really )?(know )?how to (answer|say|put)|i (forgot|lost) (my|the) (point|train of thought)|never mind)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ApologyPattern();

    [GeneratedRegex(@"\b(said|say|says|saying),? (that )?(i'm|i am|i was|we're|we are|we were)? ?(really |so |very |truly |genuinely )?sorry\b|\b(i'm|i am|we're|we are) (really |so |very |truly )?sorry (that )?(the|your|you|she|he|they|this|it|our|their|her|his) |\b(told|tell|telling|tells) (him|her|them|the \w+|customers?|clients?|users?|everyone|people)( that)? (i|we) (was|were|am|are|'m|'re) (really |so |very |truly |genuinely )?sorry\b|\bsorry to hear\b|\bsorry (for|about) (the|your|any|our|their|this|that) (delay|trouble|inconvenience|wait|confusion|mix-?up|error|mistake|problem|frustration|issue|outage|double charge|experience|disruption)\b|\bapologi[sz](e|ed|es|ing) to (the|her|him|them|our|my|every|each|their|a|an|customers?|clients?|users?|everyone)\b|\bapologi[sz](e|ed|es|ing) for (the|our|any|this|that) (delay|trouble|inconvenience|error|mistake|outage|confusion|wait|disruption|problem|issue)\b|\bsorry, but\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ToldApology();
}
