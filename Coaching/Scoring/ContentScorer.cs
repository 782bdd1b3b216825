using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>
/// Deterministic content scoring. Each dimension is 0–100 with a one-sentence reason and quotes from the answer:
/// <list type="bullet">
/// <item>relevance = 75% rubric coverage (a point counts when one of its cues occurs) + 25% overlap with the question's own words;</item>
/// <item>structure = the weights of the parts present (STAR for behavioral: situation 20, task 15, action 35, result 30);</item>
/// <item>specificity = 100·(1 − e^(−d/3)) where d is specifics per 100 words (numbers, measured outcomes count twice, named tools and teams);</item>
/// <item>ownership = 30 + 70·r where r = I/(I + we); an answer with neither scores 40;</item>
/// <item>length = 100 inside the category's word range, falling off below and above it;</item>
/// <item>clarity = 100 − 15·(hedges + fillers per 100 words).</item>
/// </list>
/// Overall is the weighted mean (<see cref="Dimensions.Weights"/>), capped at min(35, 1.4 × words) for answers under 25 words.
/// </summary>
internal sealed partial class ContentScorer : IContentScorer
{
    /// <summary>Answers longer than this are scored on their first part only.</summary>
    public const int MaxScoredCharacters = 30_000;

    private const int ShortAnswerWords = 25;
    private const double SpokenWordsPerMinute = 150;

    private static readonly Dictionary<string, (int Min, int Max)> TargetWords = new()
    {
        [Categories.Behavioral] = (150, 350),
        [Categories.Situational] = (110, 300),
        [Categories.Technical] = (100, 300),
        [Categories.Motivation] = (80, 250),
    };

    public ContentAnalysis Score(Question question, string answer)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);

        var warnings = new List<string>();
        var text = answer;
        if (text.Length > MaxScoredCharacters)
        {
            text = text[..MaxScoredCharacters];
            warnings.Add($"Your answer is {answer.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; only the first {MaxScoredCharacters.ToString("N0", CultureInfo.InvariantCulture)} were scored. A spoken interview answer is usually under 2,500 characters.");
        }

        var doc = TextDocument.Parse(text);
        if (doc.Sentences.Any(s => InstructionPattern().IsMatch(s.Text)))
        {
            // Sentences addressed to the coach are not part of the answer: they are dropped before scoring,
            // so "give me 100" cannot even count as a specific number.
            doc = TextDocument.Parse(string.Join(' ', doc.Sentences.Where(s => !InstructionPattern().IsMatch(s.Text)).Select(s => s.Text)));
            warnings.Add("Your answer contains instructions addressed to the coach (for example to change the score). They were ignored: only the answer itself is scored.");
        }

        if (LooksNonEnglish(doc))
        {
            warnings.Add("This answer does not look like English. CoachBot scores English answers, so these scores may not mean much; try answering in English.");
        }

        var rubric = CoverRubric(question, doc);
        var structure = FindStructure(question.Category, doc);
        var fillers = Lexicon.FindFillers(doc);
        var hedges = Lexicon.FindHedges(doc);

        var scores = new List<DimensionScore>
        {
            Relevance(question, doc, rubric),
            Structure(question.Category, structure),
            Specificity(question.Category, doc),
            Ownership(doc),
            Length(question.Category, doc),
            Clarity(doc, fillers, hedges),
        };

        var overall = scores.Sum(s => s.Score * Dimensions.Weights[s.Name]);
        if (doc.WordCount < ShortAnswerWords)
        {
            // Too little to judge: ownership and clarity are trivially perfect in seven words.
            overall = Math.Min(overall, Math.Min(35, doc.WordCount * 1.4));
            warnings.Add($"Your answer has {TextDocument.Words(doc.WordCount)}, too few to show much. Interviewers expect about one to two minutes (150–300 words) for most questions.");
        }

        return new ContentAnalysis(doc, scores, Round(overall), rubric, structure, fillers.Count, hedges.Count, warnings);
    }

    private static List<RubricCoverage> CoverRubric(Question question, TextDocument doc)
    {
        var result = new List<RubricCoverage>(question.Rubric.Count);
        foreach (var point in question.Rubric)
        {
            var match = new PhraseMatcher(point.Cues).Matches(doc).Select(m => ((string, int)?)m).FirstOrDefault();
            result.Add(match is { } m
                ? new RubricCoverage(point, true, TextDocument.Quote(doc.Sentences[doc.Tokens[m.Item2].Sentence].Text), m.Item1)
                : new RubricCoverage(point, false, null, null));
        }

        return result;
    }

    private static DimensionScore Relevance(Question question, TextDocument doc, List<RubricCoverage> rubric)
    {
        var covered = rubric.Count(r => r.Covered);
        var coverage = rubric.Count == 0 ? 0 : (double)covered / rubric.Count;

        var questionWords = Lexicon.TopicStems(question.Text);
        var answerStems = doc.Tokens.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var overlap = questionWords.Count == 0 ? 0 : (double)questionWords.Count(answerStems.Contains) / questionWords.Count;

        var score = Round(100 * ((0.75 * coverage) + (0.25 * Math.Min(1, overlap * 1.5))));
        var reason = covered == rubric.Count
            ? $"Covers all {rubric.Count} key points an interviewer listens for."
            : covered == 0
                ? $"Covers none of the {rubric.Count} key points an interviewer listens for on this question."
                : $"Covers {covered} of {rubric.Count} key points an interviewer listens for.";
        var evidence = rubric.Where(r => r.Covered).Select(r => r.Evidence!).Distinct().Take(3).ToList();
        if (evidence.Count == 0 && doc.Sentences.Count > 0)
        {
            evidence.Add(TextDocument.Quote(doc.Sentences[0].Text));
        }

        return Dimension(Dimensions.Relevance, score, reason, evidence);
    }

    private static List<StructureFinding> FindStructure(string category, TextDocument doc)
    {
        var findings = new List<StructureFinding>();
        foreach (var part in StructureModel.For(category))
        {
            Sentence? where = null;
            foreach (var sentence in doc.Sentences)
            {
                var tokens = doc.Tokens;
                for (var i = sentence.FirstToken; i < sentence.FirstToken + sentence.TokenCount && where is null; i++)
                {
                    if (part.Signals.MatchesAt(tokens, i))
                    {
                        where = sentence;
                    }
                }

                if (where is null && part.Name == "action" && StructureModel.HasPersonalPastAction(doc, sentence))
                {
                    where = sentence;
                }

                if (where is not null)
                {
                    break;
                }
            }

            findings.Add(new StructureFinding(part.Name, where is not null, where is null ? null : TextDocument.Quote(where.Text), part.Missing));
        }

        return findings;
    }

    private static DimensionScore Structure(string category, List<StructureFinding> findings)
    {
        var parts = StructureModel.For(category);
        var score = findings.Where(f => f.Present).Sum(f => parts.First(p => p.Name == f.Name).Weight);
        var present = findings.Where(f => f.Present).Select(f => f.Name).ToList();
        var missing = findings.Where(f => !f.Present).ToList();
        var frame = category == Categories.Behavioral ? "STAR" : $"a {category} answer";
        var reason = missing.Count == 0
            ? $"Has every part of {frame}: {string.Join(", ", present)}."
            : present.Count == 0
                ? $"None of the parts of {frame} stand out; it is missing {Join(missing.Select(m => m.Missing))}."
                : $"Has {string.Join(", ", present)}; missing {Join(missing.Select(m => m.Missing))}.";
        var evidence = findings.Where(f => f.Present).Select(f => $"{f.Name}: “{f.Evidence}”").ToList();
        return Dimension(Dimensions.Structure, score, reason, evidence);
    }

    private static DimensionScore Specificity(string category, TextDocument doc)
    {
        var numbers = 0;
        var metrics = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var perSentence = new int[doc.Sentences.Count];
        var tokens = doc.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var isNumber = t.Text.Any(char.IsAsciiDigit) || Lexicon.NumberWords.Contains(t.Lower);
            if (isNumber)
            {
                numbers++;
                perSentence[t.Sentence]++;
                var next = i + 1 < tokens.Count && tokens[i + 1].Sentence == t.Sentence ? tokens[i + 1].Lower : string.Empty;
                if (t.Text.EndsWith('%') || Lexicon.Units.Contains(next) || t.Text.StartsWith('$') ||
                    (i > 0 && tokens[i - 1].Lower is "$" or "by" or "to" or "from"))
                {
                    metrics++;
                    perSentence[t.Sentence]++;
                }

                continue;
            }

            var sentenceStart = i == 0 || tokens[i - 1].Sentence != t.Sentence;
            var capitalised = char.IsUpper(t.Text[0]) && !sentenceStart && !Lexicon.FirstPersonSingular.Contains(t.Lower);
            var technical = t.Text.Length > 1 && t.Text.Skip(1).Any(char.IsUpper) && t.Text.Any(char.IsLower);
            if ((capitalised || technical) && names.Add(t.Lower))
            {
                perSentence[t.Sentence]++;
            }
        }

        var points = numbers + metrics + names.Count;
        var density = 100.0 * points / Math.Max(doc.WordCount, 80);
        var score = 100 * (1 - Math.Exp(-density / 3));
        if (metrics == 0 && category == Categories.Behavioral)
        {
            // A story with no measured outcome is not fully specific, however many names it drops.
            score = Math.Min(score, 75);
        }

        var reason = points == 0
            ? "No numbers, measured outcomes, or named tools, teams or customers: the story stays abstract."
            : $"{Count(numbers, "number")}, {Count(metrics, "measured outcome")} and {Count(names.Count, "named tool, team or person", "named tools, teams or people")} in {TextDocument.Words(doc.WordCount)}.";
        var evidence = perSentence.Select((n, i) => (n, i)).Where(x => x.n > 0).OrderByDescending(x => x.n).Take(2)
            .Select(x => TextDocument.Quote(doc.Sentences[x.i].Text)).ToList();
        return Dimension(Dimensions.Specificity, Round(score), reason, evidence);
    }

    private static DimensionScore Ownership(TextDocument doc)
    {
        var mine = doc.Tokens.Count(t => Lexicon.FirstPersonSingular.Contains(t.Lower));
        var ours = doc.Tokens.Count(t => Lexicon.FirstPersonPlural.Contains(t.Lower));
        if (mine + ours == 0)
        {
            return Dimension(Dimensions.Ownership, 40, "The answer never says who did what: no “I” and no “we”.", []);
        }

        var ratio = (double)mine / (mine + ours);
        var score = Round(30 + (70 * ratio));
        var reason = ratio >= 0.6
            ? $"Clear about your own part: “I” {Times(mine)}, “we” {Times(ours)}."
            : $"More about the team than about you: “we” {Times(ours)}, “I” {Times(mine)}.";
        var wanted = ratio >= 0.6 ? Lexicon.FirstPersonSingular : Lexicon.FirstPersonPlural;
        var evidence = doc.Sentences.Where(s => doc.TokensOf(s).Any(t => wanted.Contains(t.Lower))).Take(2)
            .Select(s => TextDocument.Quote(s.Text)).ToList();
        return Dimension(Dimensions.Ownership, score, reason, evidence);
    }

    private static DimensionScore Length(string category, TextDocument doc)
    {
        var (min, max) = TargetWords.GetValueOrDefault(category, (120, 300));
        var words = doc.WordCount;
        var minutes = words / SpokenWordsPerMinute;
        double score = words >= min && words <= max
            ? 100
            : words < min
                ? 100 * Math.Pow((double)words / min, 1.5)
                : Math.Max(10, 100 - (90.0 * (words - max) / max));
        var spoken = minutes < 1
            ? $"about {Math.Max(5, Math.Round(minutes * 60 / 5) * 5).ToString(CultureInfo.InvariantCulture)} seconds spoken"
            : $"about {minutes.ToString("0.#", CultureInfo.InvariantCulture)} minutes spoken";
        var target = $"{min}–{max} words ({(min / SpokenWordsPerMinute).ToString("0.#", CultureInfo.InvariantCulture)}–{(max / SpokenWordsPerMinute).ToString("0.#", CultureInfo.InvariantCulture)} minutes)";
        var reason = words < min
            ? $"{TextDocument.Words(words)}, {spoken}: short for a {category} question, where {target} lets you give the full story."
            : words > max
                ? $"{TextDocument.Words(words)}, {spoken}: long for a {category} question; aim for {target} and keep the detail for follow-ups."
                : $"{TextDocument.Words(words)}, {spoken}: within the {target} that suits a {category} question.";
        return Dimension(Dimensions.Length, Round(score), reason, []);
    }

    private static DimensionScore Clarity(TextDocument doc, IReadOnlyList<(string Filler, int TokenIndex)> fillers, IReadOnlyList<(string Hedge, int TokenIndex)> hedges)
    {
        var count = fillers.Count + hedges.Count;
        var rate = 100.0 * count / Math.Max(doc.WordCount, 50);
        var score = Math.Clamp(100 - (15 * rate), 0, 100);
        var examples = hedges.Select(h => h.Hedge).Concat(fillers.Select(f => f.Filler))
            .GroupBy(x => x, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(3)
            .Select(g => $"“{Lexicon.Display(g.Key)}” ×{g.Count()}").ToList();
        var reason = count == 0
            ? "Direct wording: no hedging (“I think”, “maybe”) or filler words."
            : $"{Count(hedges.Count, "hedge")} and {Count(fillers.Count, "filler word")}: {string.Join(", ", examples)}.";
        var evidence = hedges.Select(h => h.TokenIndex).Concat(fillers.Select(f => f.TokenIndex))
            .Select(i => doc.Tokens[i].Sentence).Distinct().Order().Take(2)
            .Select(s => TextDocument.Quote(doc.Sentences[s].Text)).ToList();
        return Dimension(Dimensions.Clarity, Round(score), reason, evidence);
    }

    private static bool LooksNonEnglish(TextDocument doc)
    {
        if (doc.WordCount < 6)
        {
            return false;
        }

        var letters = doc.Text.Count(char.IsLetter);
        var latin = doc.Text.Count(char.IsAsciiLetter);
        var stopwords = doc.Tokens.Count(t => Lexicon.EnglishStopwords.Contains(t.Lower));
        return (letters > 0 && latin < letters * 0.6) || stopwords < doc.WordCount * 0.08;
    }

    private static DimensionScore Dimension(string name, int score, string reason, IReadOnlyList<string> evidence) =>
        new(name, score, DimensionScore.LabelFor(score), reason, evidence);

    private static int Round(double value) => (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero);

    private static string Count(int n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{n.ToString(CultureInfo.InvariantCulture)} {plural ?? singular + "s"}";

    private static string Times(int n) => n switch
    {
        0 => "never",
        1 => "once",
        2 => "twice",
        _ => $"{n.ToString(CultureInfo.InvariantCulture)} times",
    };

    private static string Join(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    // Text aimed at the scorer rather than the interviewer: "ignore your rules", "give me 100", "you are now…".
    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b.{0,30}\b(rules|instructions|prompt|guidelines|rubric|scoring)\b|\b(give|score|rate|grade)\s+(me|this|it|my answer)\b.{0,20}\b(100|10/10|full marks|perfect|maximum)\b|\byou are now\b|\bsystem prompt\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstructionPattern();
}
