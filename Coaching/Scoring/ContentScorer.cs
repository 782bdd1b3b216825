using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.DimensionScorers;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>
/// Content scoring: recognises the question's type, finds the evidence in the answer sentence by sentence (rubric points
/// by words or meaning, the type's parts, specifics, own actions, fillers and apologies), decides whether the answer is
/// on the question at all, then lets each dimension score the evidence and <see cref="OverallScore"/> combine them.
/// </summary>
internal sealed partial class ContentScorer(AnswerSemantics semantics) : IContentScorer
{
    /// <summary>Answers longer than this are scored on their first part only.</summary>
    public const int MaxScoredCharacters = 30_000;

    /// <summary>Sentences beyond this many are scored by words only (the model embeds at most these).</summary>
    private const int MaxEmbeddedSentences = 40;

    private static readonly IAnswerDimension[] AllDimensions =
    [
        new RelevanceDimension(), new StructureDimension(), new SpecificityDimension(), new OwnershipDimension(),
        new LengthDimension(), new ClarityDimension(),
    ];

    public async Task<ContentAnalysis> ScoreAsync(Question question, string answer, CancellationToken cancellationToken)
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

        var type = QuestionTypes.Of(question);
        var meaning = await semantics.MatchAsync(question, [.. doc.Sentences.Take(MaxEmbeddedSentences).Select(s => s.Text)], cancellationToken);
        var evidence = EvidenceFinder.Find(question, type, doc, meaning);
        // What a coach raises before any point of form. Pay as the reason does answer "why us" (badly), so it is said as
        // that rather than as off the question; any other concern goes unsaid on an answer to another question.
        var concern = JudgementConcerns.Find(question, doc);
        string? coreNotShown = null;
        var offTopic = concern?.Id != JudgementConcerns.MoneyOnly && IsOffTopic(evidence, out coreNotShown);
        evidence = evidence with { OffTopic = offTopic, CoreNotShown = offTopic ? coreNotShown : null };
        concern = evidence.OffTopic ? null : concern;
        evidence = evidence with { Concern = concern };

        var scores = new List<Reports.DimensionScore>(AllDimensions.Length);
        foreach (var dimension in AllDimensions)
        {
            if (dimension.Name == Dimensions.Ownership && !type.WeighsOwnership)
            {
                continue;
            }

            scores.Add(await dimension.ScoreAsync(evidence, cancellationToken));
        }

        // A complete answer whose points the matcher does not all find has most likely said them in other words: they are
        // not claimed as missing or as said in passing, and relevance is scored again with them counted half.
        if (!evidence.OffTopic && evidence.Rubric.Any(r => !r.Covered) && IsComplete(scores))
        {
            evidence = evidence with { Rubric = [.. evidence.Rubric.Select(r => r.Covered ? r : r with { Unclear = true, Unmatched = true })] };
            var relevance = scores.FindIndex(d => d.Name == Dimensions.Relevance);
            scores[relevance] = await AllDimensions.First(d => d.Name == Dimensions.Relevance).ScoreAsync(evidence, cancellationToken);
        }

        var overall = OverallScore.Of(type, scores, doc.WordCount, evidence.OffTopic, evidence.Hypothetical, evidence.ListsTerms, concern is not null);
        if (doc.WordCount < OverallScore.ShortAnswerWords)
        {
            // The same range as the length score's, so the card never gives two targets.
            warnings.Add($"Your answer has {TextDocument.Words(doc.WordCount)}, too few to show much. For a {type.Name} question interviewers expect about {type.MinWords}–{type.MaxWords} words.");
        }

        return new ContentAnalysis(doc, scores, overall, evidence.Rubric, evidence.Parts, evidence.Fillers.Count, evidence.Hedges.Count, warnings)
        {
            Type = type,
            OffTopic = evidence.OffTopic,
            CoreNotShown = evidence.CoreNotShown,
            Concern = concern,
            Hypothetical = evidence.Hypothetical,
            ListsTerms = evidence.ListsTerms,
            ApologyCount = evidence.Apologies.Count,
            Semantics = meaning,
        };
    }

    /// <summary>Every part asked for, specific and in range: see <see cref="ScoringCalibration.CompleteStructure"/>.</summary>
    private static bool IsComplete(List<Reports.DimensionScore> scores) =>
        scores.Exists(d => d.Name == Dimensions.Structure && d.Score >= ScoringCalibration.CompleteStructure) &&
        scores.Exists(d => d.Name == Dimensions.Specificity && d.Score >= ScoringCalibration.CompleteSpecificity) &&
        scores.Exists(d => d.Name == Dimensions.Length && d.Score == 100);

    /// <summary>
    /// Off the question: it shares too few of the question's topic words, hardly speaks of work at all, and by meaning its sentences stay far from every rubric point while the whole answer sits no closer to this question
    /// than to much of the bank; without the model, it covers no point and shares no topic word with the question.
    /// </summary>
    private static bool IsOffTopic(AnswerEvidence evidence, out string? coreNotShown)
    {
        coreNotShown = null;
        // Too little to tell what it is about: a short answer is capped by its length instead.
        if (evidence.Document.WordCount < OverallScore.ShortAnswerWords)
        {
            return false;
        }

        // An answer told for another question, however much it speaks of work: its sentences stay far from this rubric's
        // points, further than an answer that long would if it were about them.
        // Only a full answer of several different sentences is judged so (a short one has few sentences to come near the
        // points with, whatever it is about), and only against a question's own bank rubric, as the model was fitted on;
        // a typed question's borrowed or generic points sit further from every answer.
        // An answer that says its question's core in so many words (the failure for "a time you failed", the missing data
        // for "a decision with incomplete data") is answering it, however plainly: plain sentences sit far from every
        // rubric point, and that distance alone once called a middling on-topic decision story off the question.
        var judgeable = evidence.Semantics is not null &&
            evidence.Document.Sentences.Select(s => s.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count() >= ScoringCalibration.OffTopicJudgedSentences &&
            evidence.Question.RubricSource == "bank" && evidence.Question.Rubric.Count > 0;
        if (judgeable && evidence.Semantics is { } judged && evidence.Document.WordCount >= ScoringCalibration.OffTopicJudgedWords)
        {
            // An answer told for a neighbouring question (a success for "a time you failed") tells a fluent story with
            // not one word of what its question hinges on; with the model putting it somewhat far from the points too,
            // it is answering another question.
            var likelihood = ScoringCalibration.OffTopicLikelihood(judged);
            var missing = QuestionCores.Missing(evidence.Question, evidence.Document);
            var shown = QuestionCores.Shown(evidence.Question, evidence.Document);
            coreNotShown = missing?.Asks;
            if ((likelihood >= ScoringCalibration.OffTopicDecision && shown is null) ||
                (likelihood >= ScoringCalibration.CoreMissingDecision && missing is not null))
            {
                return true;
            }

            // A story of the neighbouring kind uses its question's words but never as the speaker's own event (the rival
            // lost the deal, the designer one mentored got the criticism) and says what kind it is ("the launch I am
            // proudest of", "my greatest strength"). Both are needed: no sentence telling the core alone also fits many
            // plainly told on-topic stories.
            // Only a story or a weakness question asks for the event or the trait itself ("what would you do if you made a
            // mistake" is answered with what one would do), and an answer told as what one would do is left to its own cap.
            if (likelihood >= ScoringCalibration.NeighbourDecision && shown is null && TellsTheNeighbour(evidence, out var asks))
            {
                coreNotShown = asks;
                return true;
            }

            coreNotShown = null;
        }
        else if (judgeable && evidence.Semantics is { } brief && QuestionCores.Shown(evidence.Question, evidence.Document) is null &&
                 ScoringCalibration.OffTopicLikelihood(brief) >= ScoringCalibration.NeighbourDecision && TellsTheNeighbour(evidence, out var asks))
        {
            // A short answer is too short for the model's distance alone, but not when it opens by saying it is of the
            // neighbouring kind ("My biggest achievement was…" for "a time you failed", "My greatest strength is…" for
            // "your greatest weakness") and tells its question's core nowhere.
            coreNotShown = asks;
            return true;
        }

        // A hobby, a holiday, a match or family life told for a question about work, whatever words it shares with the
        // question: its sentences, on average, read more like life outside work than working life.
        if (evidence.Semantics is { } lived && TellsOfLifeOutsideWork(lived, evidence.Document))
        {
            return true;
        }

        // Otherwise words of the question's own topic, or of working life, keep an answer on the question however loosely
        // the model relates it; what is left to catch is a holiday, a recipe or a match told instead.
        var topic = Lexicon.TopicStems(evidence.Question.Text);
        var stems = evidence.Document.Tokens.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var shared = topic.Count(stems.Contains);
        if (shared >= ScoringCalibration.OnTopicWords || WorkWords.Count(evidence.Document) >= ScoringCalibration.OnTopicWords)
        {
            return false;
        }

        if (evidence.Semantics is { } semantics)
        {
            return semantics.PointAffinity < ScoringCalibration.OffTopicPointSimilarity && semantics.Topicality < ScoringCalibration.OnTopic;
        }

        return !evidence.Rubric.Any(r => r.Covered) && RelevanceDimension.Topic(evidence) == 0;
    }

    /// <summary>
    /// Whether a story or weakness answer, told as what happened (not as what one would do), announces the neighbouring
    /// kind of story and tells its question's core in no sentence (<see cref="QuestionCores.Neighbour"/>); the core's
    /// "it asks for…" in <paramref name="asks"/>.
    /// </summary>
    private static bool TellsTheNeighbour(AnswerEvidence evidence, out string? asks)
    {
        asks = null;
        if (evidence.Hypothetical || evidence.Type.Id is not (QuestionTypes.Story or QuestionTypes.StrengthsWeaknesses) ||
            QuestionCores.Neighbour(evidence.Question, evidence.Document) is not { } neighbour)
        {
            return false;
        }

        asks = neighbour.Asks;
        return true;
    }

    /// <summary>
    /// Whether the answer is about life outside work while its question is about work: the mean, over its sentences, of
    /// how much closer each is to life outside work than to working life (<c>life-and-work.txt</c>) is at least
    /// <see cref="ScoringCalibration.LifeLean"/> (or a little less when it has hardly a word of working life), and the
    /// question itself leans to work (a question about recharging or a
    /// week's plan may be answered with a hobby).
    /// </summary>
    internal static bool TellsOfLifeOutsideWork(SemanticMatch semantics, TextDocument document)
    {
        if (document.WordCount < ScoringCalibration.LifeJudgedWords || semantics.SentenceToLife.Length < ScoringCalibration.LifeJudgedSentences ||
            semantics.QuestionLifeLean > ScoringCalibration.WorkQuestionLean)
        {
            return false;
        }

        var lean = 0.0;
        for (var i = 0; i < semantics.SentenceToLife.Length; i++)
        {
            lean += semantics.SentenceToLife[i] - semantics.SentenceToWork[i];
        }

        lean /= semantics.SentenceToLife.Length;
        return lean >= ScoringCalibration.LifeLean ||
               (lean >= ScoringCalibration.LifeLeanWithoutWorkWords && WorkWords.Count(document) <= ScoringCalibration.FewWorkWords);
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
        return (letters > 0 && latin < letters * 0.6) || (stopwords < doc.WordCount * 0.08 && !doc.ReadsAsList);
    }

    // Text aimed at the scorer rather than the interviewer: "ignore your rules", "give me 100", "you are now…".
    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b.{0,30}\b(rules|instructions|prompt|guidelines|rubric|scoring)\b|\b(give|score|rate|grade)\s+(me|this|it|my answer)\b.{0,20}\b(100|10/10|full marks|perfect|maximum)\b|\byou are now\b|\bsystem prompt\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstructionPattern();
}
