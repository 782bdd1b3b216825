using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tools.Evaluation;

/// <summary>What the coach made of one labelled answer.</summary>
internal sealed record Judged(LabelledAnswer Label, NonAnswer? Gated, ContentAnalysis? Content, CoachingAdvice? Advice, Question Question)
{
    public int Overall => Content?.Overall ?? 0;
}

/// <summary>The figures of one run over a set.</summary>
internal sealed record ScoringFigures(
    int Answers,
    int Questions,
    double OrderingAgreement,
    int OrderedPairs,
    double Spearman,
    double LengthSpearman,
    double OffTopicPrecision,
    double OffTopicRecall,
    int OffTopicLabelled,
    double FalseMissedPointRate,
    int MissedPointsReported,
    double NonAnswerRecognition,
    int NonAnswersLabelled,
    int AnswersTakenForNonAnswers,
    int ImprovementsOnGoodDimensions,
    int StrengthImprovementClashes,
    int ExamplesWithForeignFacts,
    int ReportsWithMoreThanOneGenericTip,
    IReadOnlyDictionary<string, double> MeanOverallByKind)
{
    /// <summary>Answers labelled with a judgement concern the coach knows (<see cref="JudgementConcerns.Ids"/>); 0 when the set has no such labels.</summary>
    public int ConcernsLabelled { get; init; }

    /// <summary>Of those, how many the coach raised, with the same concern.</summary>
    public int ConcernsFound { get; init; }

    /// <summary>Concerns the coach raised on answers not labelled with that concern.</summary>
    public int ConcernsWrong { get; init; }

    /// <summary>All concerns the coach raised.</summary>
    public int ConcernsRaised { get; init; }
}

/// <summary>
/// Runs the coach over a labelled set and measures its judgement: pairwise ordering of answers to the same question
/// against the labelled grades, off-topic precision and recall, "missed point" claims the answer actually covers,
/// non-answer recognition, and the advice rules (no tip on a good dimension, no strength that is also an improvement,
/// improved examples with no number or name the answer did not give).
/// </summary>
internal static partial class ScoringEvaluation
{
    public static async Task<(ScoringFigures Figures, IReadOnlyList<Judged> Judged)> RunAsync(IReadOnlyList<LabelledAnswer> set, bool pointers, CancellationToken cancellationToken)
    {
        var bank = QuestionBankLoader.LoadDirectories([Path.Combine(AppContext.BaseDirectory, "questions")]);
        using var store = pointers ? await KnowledgeFor(bank, cancellationToken) : null;
        using var semantics = new AnswerSemantics(bank, NullLogger<AnswerSemantics>.Instance);
        using var types = new QuestionTypeReader(NullLogger<QuestionTypeReader>.Instance);
        var scorer = new ContentScorer(semantics);
        var judged = new List<Judged>(set.Count);
        foreach (var label in set)
        {
            var question = label.QuestionId is { } id
                ? bank.Find(id) ?? throw new InvalidDataException($"{label.Id}: no question {id} in the bank.")
                : await CustomQuestions.CreateAsync(label.QuestionText, label.Role, bank, types, cancellationToken);
            var gated = AnswerGate.Check(label.Answer);
            if (gated is not null)
            {
                judged.Add(new Judged(label, gated, null, null, question));
                continue;
            }

            var content = await scorer.ScoreAsync(question, label.Answer, cancellationToken);
            var advice = RuleBasedCoach.Write(new AdviceRequest(question, content));
            if (store is not null)
            {
                advice = advice with { Improvements = await store.Advice.PointersAsync(question, advice.Improvements, cancellationToken) };
            }

            judged.Add(new Judged(label, null, content, advice, question));
        }

        return (Measure(judged), judged);
    }

    /// <summary>The built-in knowledge in a throw-away SQLite file, to point each improvement at its article as the bot does.</summary>
    private static async Task<PointerStore> KnowledgeFor(IQuestionBank bank, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-eval-");
        var options = Microsoft.Extensions.Options.Options.Create(new Coaching.Knowledge.KnowledgeOptions());
        var database = new CoachBot.Storage.Sqlite.SqliteDatabase(Microsoft.Extensions.Options.Options.Create(new Coaching.Storage.StorageOptions { DatabasePath = Path.Combine(folder.FullName, "eval.db") }));
        var embeddings = new Coaching.Knowledge.Embeddings.KnowledgeEmbeddings(options, NullLogger<Coaching.Knowledge.Embeddings.KnowledgeEmbeddings>.Instance, []);
        var store = new CoachBot.Storage.Sqlite.SqliteKnowledgeStore(database, embeddings, options, TimeProvider.System,
            NullLogger<CoachBot.Storage.Sqlite.SqliteKnowledgeStore>.Instance, new Coaching.Knowledge.BuiltInKnowledge(bank, options));
        await store.EnsureReadyAsync(cancellationToken);
        return new PointerStore(folder, embeddings, new Coaching.Knowledge.AdviceKnowledge(store, options, NullLogger<Coaching.Knowledge.AdviceKnowledge>.Instance));
    }

    private sealed class PointerStore(DirectoryInfo folder, IDisposable embeddings, Coaching.Knowledge.AdviceKnowledge advice) : IDisposable
    {
        public Coaching.Knowledge.AdviceKnowledge Advice => advice;

        public void Dispose()
        {
            embeddings.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static ScoringFigures Measure(List<Judged> judged)
    {
        // Ordering: every pair of answers to the same question with different grades; a tie in score counts half.
        double concordant = 0;
        var pairs = 0;
        foreach (var group in judged.GroupBy(j => j.Label.QuestionText, StringComparer.Ordinal))
        {
            var items = group.ToList();
            for (var a = 0; a < items.Count; a++)
            {
                for (var b = a + 1; b < items.Count; b++)
                {
                    if (items[a].Label.Grade == items[b].Label.Grade)
                    {
                        continue;
                    }

                    pairs++;
                    var byGrade = Math.Sign(items[a].Label.Grade - items[b].Label.Grade);
                    var byScore = Math.Sign(items[a].Overall - items[b].Overall);
                    concordant += byScore == byGrade ? 1 : byScore == 0 ? 0.5 : 0;
                }
            }
        }

        var scored = judged.Where(j => j.Label.NonAnswer is null && j.Content is not null).ToList();
        var predictedOff = scored.Where(j => j.Content!.OffTopic).ToList();
        var labelledOff = scored.Where(j => j.Label.OffTopic).ToList();
        var truePositives = predictedOff.Count(j => j.Label.OffTopic);

        var missed = 0;
        var falseMissed = 0;
        foreach (var j in scored.Where(j => j.Label.QuestionId is not null && !j.Content!.OffTopic && !j.Label.OffTopic))
        {
            for (var k = 0; k < j.Content!.Rubric.Count; k++)
            {
                if (!j.Content.Rubric[k].Covered && !j.Content.Rubric[k].Unclear)
                {
                    missed++;
                    falseMissed += j.Label.CoveredPoints.Contains(k) ? 1 : 0;
                }
            }
        }

        var labelledNon = judged.Where(j => j.Label.NonAnswer is not null).ToList();
        var advised = scored.Where(j => j.Advice is not null).ToList();
        var goodTips = advised.Sum(j => j.Advice!.Improvements.Count(i =>
            i.Dimension is { } d && j.Content!.Scores.FirstOrDefault(s => s.Name == d) is { Score: >= RuleBasedCoach.ImprovementThreshold }));
        var clashes = advised.Sum(j => j.Advice!.Improvements.Count(i =>
            i.Dimension is { } d && j.Content!.Scores.FirstOrDefault(s => s.Name == d) is { Score: >= 70 } && d != Dimensions.Relevance));
        var foreign = advised.Count(j => j.Advice!.ImprovedExample is { } e && ForeignFacts(e, j.Label.Answer).Count > 0);
        var generic = advised.Count(j => j.Advice!.Improvements.Count(i => string.IsNullOrWhiteSpace(i.Evidence)) > 1);
        var byKind = judged.GroupBy(j => j.Label.Kind, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Round(g.Average(j => (double)j.Overall), 1), StringComparer.Ordinal);

        return new ScoringFigures(
            judged.Count,
            judged.Select(j => j.Label.QuestionText).Distinct(StringComparer.Ordinal).Count(),
            pairs == 0 ? 0 : concordant / pairs,
            pairs,
            Spearman(judged.Select(j => (double)j.Overall).ToList(), judged.Select(j => (double)j.Label.Grade).ToList()),
            Spearman(judged.Select(j => (double)j.Label.Answer.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length).ToList(), judged.Select(j => (double)j.Label.Grade).ToList()),
            predictedOff.Count == 0 ? 1 : (double)truePositives / predictedOff.Count,
            labelledOff.Count == 0 ? 1 : (double)truePositives / labelledOff.Count,
            labelledOff.Count,
            missed == 0 ? 0 : (double)falseMissed / missed,
            missed,
            labelledNon.Count == 0 ? 1 : (double)labelledNon.Count(j => j.Gated is not null) / labelledNon.Count,
            labelledNon.Count,
            judged.Count(j => j.Label.NonAnswer is null && j.Gated is not null),
            goodTips,
            clashes,
            foreign,
            generic,
            byKind)
        {
            ConcernsLabelled = scored.Count(j => j.Label.Concern is { } c && JudgementConcerns.Ids.Contains(c)),
            ConcernsFound = scored.Count(j => j.Label.Concern is { } c && j.Content!.Concern?.Id == c),
            ConcernsWrong = scored.Count(j => j.Content!.Concern is { } raised && raised.Id != j.Label.Concern),
            ConcernsRaised = scored.Count(j => j.Content!.Concern is not null),
        };
    }

    /// <summary>Numbers and capitalised names in an improved example (outside its bracketed prompts) that the answer does not contain.</summary>
    public static IReadOnlyList<string> ForeignFacts(string example, string answer)
    {
        var outside = Brackets().Replace(example, " ");
        var answerWords = Words().Matches(answer).Select(m => m.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var foreign = new List<string>();
        foreach (Match sentence in Sentences().Matches(outside))
        {
            var words = Words().Matches(sentence.Value).Select(m => m.Value).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                var w = words[i];
                var fact = w.Any(char.IsAsciiDigit) || (i > 0 && char.IsUpper(w[0]) && w != "I" && !w.StartsWith("I'", StringComparison.Ordinal));
                if (fact && !answerWords.Contains(w))
                {
                    foreign.Add(w);
                }
            }
        }

        return foreign;
    }

    public static string Format(ScoringFigures f, string set)
    {
        var b = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        b.AppendLine(c, $"Scoring evaluation on the {set} set: {f.Answers} answers to {f.Questions} questions");
        b.AppendLine(c, $"  ordering agreement with the labels   {f.OrderingAgreement:0.000}  ({f.OrderedPairs} pairs of answers to the same question; target ≥ 0.90)");
        b.AppendLine(c, $"  Spearman overall vs grade           {f.Spearman:+0.000;-0.000}  (answer length alone: {f.LengthSpearman:+0.000;-0.000})");
        b.AppendLine(c, $"  off-topic precision / recall         {f.OffTopicPrecision:0.000} / {f.OffTopicRecall:0.000}  ({f.OffTopicLabelled} labelled off-topic; targets ≥ 0.9 / ≥ 0.9)");
        b.AppendLine(c, $"  false \"missed point\" claims          {f.FalseMissedPointRate:0.000}  (of {f.MissedPointsReported} missed points reported; target ≤ 0.10)");
        b.AppendLine(c, $"  non-answers recognised               {f.NonAnswerRecognition:0.000}  ({f.NonAnswersLabelled} labelled; {f.AnswersTakenForNonAnswers} real answers taken for one)");
        b.AppendLine(c, $"  tips on a dimension rated good+      {f.ImprovementsOnGoodDimensions}");
        b.AppendLine(c, $"  strength and improvement clashes     {f.StrengthImprovementClashes}");
        b.AppendLine(c, $"  improved examples with foreign facts {f.ExamplesWithForeignFacts}");
        b.AppendLine(c, $"  reports with >1 tip quoting nothing  {f.ReportsWithMoreThanOneGenericTip}");
        if (f.ConcernsLabelled > 0)
        {
            b.AppendLine(c, $"  judgement concerns found             {f.ConcernsFound} of {f.ConcernsLabelled} labelled; {f.ConcernsWrong} of {f.ConcernsRaised} raised were not the labelled concern");
        }
        else
        {
            b.AppendLine(c, $"  judgement concerns raised            {f.ConcernsRaised} (the set has no concern labels)");
        }

        b.AppendLine("  mean overall by kind: " + string.Join(", ", f.MeanOverallByKind.Select(k => string.Create(c, $"{k.Key} {k.Value:0.#}"))));
        return b.ToString();
    }

    public static string Dump(IReadOnlyList<Judged> judged) =>
        string.Join('\n', judged.Select(j => JsonSerializer.Serialize(new
        {
            id = j.Label.Id,
            role = j.Question.Role,
            question = j.Question.Text,
            questionType = j.Content?.Type.Id,
            answer = j.Label.Answer,
            nonAnswer = j.Gated?.Kind.ToString(),
            overall = j.Overall,
            offTopic = j.Content?.OffTopic,
            hypothetical = j.Content?.Hypothetical,
            concern = j.Content?.Concern?.Id,
            labelledConcern = j.Label.Concern,
            labelledOffTopic = j.Label.OffTopic,
            grade = j.Label.Grade,
            kind = j.Label.Kind,
            semantics = j.Content?.Semantics,
            rubric = j.Content?.Rubric.Select(r => new { r.Point.Point, r.Covered, r.Cue, r.Unclear }),
            labelledCovered = j.Label.CoveredPoints,
            scores = j.Content?.Scores.Select(s => new { s.Name, s.Score, s.Label, s.Reason }),
            strengths = j.Advice?.Strengths,
            improvements = j.Advice?.Improvements.Select(i => new { i.Title, i.Evidence, i.Suggestion, i.Dimension, article = i.Reference?.Title, articleId = i.Reference?.Id }),
            missedPoints = j.Advice?.MissedPoints,
            improvedExample = j.Advice?.ImprovedExample,
        }))) + "\n";

    private static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        var mx = rx.Average();
        var my = ry.Average();
        var cov = rx.Zip(ry, (a, b) => (a - mx) * (b - my)).Sum();
        var vx = Math.Sqrt(rx.Sum(a => (a - mx) * (a - mx)));
        var vy = Math.Sqrt(ry.Sum(b => (b - my) * (b - my)));
        return vx == 0 || vy == 0 ? 0 : cov / (vx * vy);
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = values.Select((v, i) => (v, i)).OrderBy(p => p.v).ToList();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Count;)
        {
            var j = i;
            while (j + 1 < order.Count && order[j + 1].v == order[i].v)
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k].i] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }

    [GeneratedRegex(@"\[[^\]]*\]", RegexOptions.CultureInvariant)]
    private static partial Regex Brackets();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'%$.,-]*[\p{L}\p{N}%]|[\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex(@"(?:[^.!?]|\.(?=[\p{L}\p{N}]))+[.!?]*", RegexOptions.CultureInvariant)]
    private static partial Regex Sentences();
}
