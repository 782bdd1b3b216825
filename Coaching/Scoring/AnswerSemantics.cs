using System.Numerics.Tensors;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Scoring;

/// <summary>How the sentences of an answer relate in meaning to its question and rubric.</summary>
/// <param name="SentenceToPoint">Cosine similarity of each sentence (rows) to each rubric point (columns).</param>
/// <param name="SentenceToQuestion">Cosine similarity of each sentence to the question.</param>
/// <param name="Topicality">
/// How much closer the whole answer is to its question than to the other questions of the bank, in standard deviations
/// of its similarity to those others (0 = no closer than an average other question).
/// </param>
/// <param name="QuestionRank">Where its own question ranks among all bank questions by similarity to the answer (1 = closest).</param>
public sealed record SemanticMatch(float[][] SentenceToPoint, float[] SentenceToQuestion, double Topicality, int QuestionRank)
{
    /// <summary>
    /// Where this question's rubric ranks among every bank question's rubric by <see cref="PointAffinity"/> to the answer
    /// (1 = no other question's points are closer): an answer told for another question sits nearer that question's points.
    /// </summary>
    public int RubricRank { get; init; } = 1;

    /// <summary>The answer's point affinity to its own rubric less that rubric's baseline (what it draws from other questions' points).</summary>
    public double OwnRubricAffinity { get; init; }

    /// <summary>The highest such adjusted affinity the answer has to another bank question's rubric.</summary>
    public double BestOtherRubricAffinity { get; init; }

    /// <summary>The bank question whose rubric the answer is closest to when that is not its own question.</summary>
    public string? CloserQuestionId { get; init; }

    /// <summary>Each sentence's similarity to the closest description of life outside work (<c>life-and-work.txt</c>).</summary>
    public float[] SentenceToLife { get; init; } = [];

    /// <summary>Each sentence's similarity to the closest description of working life.</summary>
    public float[] SentenceToWork { get; init; } = [];

    /// <summary>How much closer the question itself is to life outside work than to working life.</summary>
    public double QuestionLifeLean { get; init; }

    /// <summary>How close sentence <paramref name="s"/> is to point <paramref name="k"/> compared with the question's other points.</summary>
    public double Margin(int s, int k)
    {
        var row = SentenceToPoint[s];
        if (row.Length < 2)
        {
            return row[k];
        }

        var others = 0.0;
        for (var j = 0; j < row.Length; j++)
        {
            others += j == k ? 0 : row[j];
        }

        return row[k] - (others / (row.Length - 1));
    }

    /// <summary>The mean, over the rubric's points, of the closest sentence's similarity: how much the answer is about them at all.</summary>
    public double PointAffinity =>
        SentenceToPoint.Length == 0 || SentenceToPoint[0].Length == 0 ? 0
            : Enumerable.Range(0, SentenceToPoint[0].Length).Average(k => SentenceToPoint.Max(row => row[k]));
}

/// <summary>
/// Embeds an answer's sentences with the embedded sentence model and relates them to the question, its rubric points
/// and the rest of the bank. The model is the one the thresholds were calibrated on, whatever the knowledge store uses;
/// when it cannot run, scoring goes on by words alone and says so once in the log.
/// </summary>
internal sealed class AnswerSemantics(IQuestionBank bank, ILogger<AnswerSemantics> logger) : IDisposable
{
    private readonly SentenceModelEmbeddingGenerator _model = new();
    private volatile bool _failed;
    private RubricSpace? _space;
    private (float[][] Life, float[][] Work)? _lifeAndWork;

    public async Task<SemanticMatch?> MatchAsync(Question question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        if (_failed || sentences.Count == 0)
        {
            return null;
        }

        try
        {
            var points = question.Rubric.Select(PointText).ToList();
            var otherQuestions = bank.All.Where(q => q.Id != question.Id && q.Rubric.Count > 0).ToList();
            var others = otherQuestions.Select(q => q.Text).ToList();
            var queries = await _model.GenerateAsync([question.Text, .. points, .. others], EmbeddingInputs.Query, cancellationToken);
            var passages = await _model.GenerateAsync(sentences, null, cancellationToken);
            var s = passages.Select(p => p.Vector.ToArray()).ToArray();
            var q = queries[0].Vector.ToArray();
            var sentenceToQuestion = s.Select(v => TensorPrimitives.CosineSimilarity(v, q)).ToArray();
            var sentenceToPoint = s.Select(v => Enumerable.Range(0, points.Count)
                .Select(k => TensorPrimitives.CosineSimilarity(v, queries[1 + k].Vector.Span)).ToArray()).ToArray();

            // The whole answer as the mean of its sentence vectors, compared with every question of the bank.
            var mean = new float[s[0].Length];
            foreach (var v in s)
            {
                TensorPrimitives.Add(mean, v, mean);
            }

            var own = TensorPrimitives.CosineSimilarity(mean, q);
            var otherSims = Enumerable.Range(1 + points.Count, others.Count)
                .Select(i => (double)TensorPrimitives.CosineSimilarity(mean, queries[i].Vector.Span)).ToList();
            var average = otherSims.Average();
            var deviation = Math.Sqrt(otherSims.Average(x => (x - average) * (x - average)));
            var topicality = deviation <= 1e-6 ? 0 : (own - average) / deviation;
            var rank = 1 + otherSims.Count(x => x > own);
            var match = new SemanticMatch(sentenceToPoint, sentenceToQuestion, topicality, rank);

            // The same affinity to every other question's rubric, less what that rubric draws from any answer (some rubrics
            // are written so generally that every answer sits near them): which question is this answer really answering?
            var space = await RubricSpaceAsync(cancellationToken);
            var ownPoints = Enumerable.Range(0, points.Count).Select(k => queries[1 + k].Vector.ToArray()).ToArray();
            var ownAdjusted = Affinity(s, ownPoints) - space.BaselineOf(question.Id, ownPoints);
            var (bestOther, closer, rubricRank) = (double.MinValue, (string?)null, 1);
            foreach (var (id, vectors, baseline) in space.Rubrics)
            {
                if (id == question.Id)
                {
                    continue;
                }

                var adjusted = Affinity(s, vectors) - baseline;
                rubricRank += adjusted > ownAdjusted ? 1 : 0;
                if (adjusted > bestOther)
                {
                    (bestOther, closer) = (adjusted, id);
                }
            }

            var (life, work) = await LifeAndWorkAsync(cancellationToken);
            match = match with
            {
                SentenceToLife = [.. s.Select(v => life.Max(a => TensorPrimitives.CosineSimilarity(v, a)))],
                SentenceToWork = [.. s.Select(v => work.Max(a => TensorPrimitives.CosineSimilarity(v, a)))],
                QuestionLifeLean = await LeanAsync(question.Text, life, work, cancellationToken),
            };
            return match with { RubricRank = rubricRank, OwnRubricAffinity = ownAdjusted, BestOtherRubricAffinity = bestOther, CloserQuestionId = rubricRank > 1 ? closer : null };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            Log.SemanticScoringUnavailable(logger, ex);
            return null;
        }
    }

    public void Dispose() => _model.Dispose();

    /// <summary>The mean, over the points, of the closest sentence's similarity.</summary>
    private static double Affinity(float[][] sentences, float[][] points)
    {
        if (points.Length == 0)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var point in points)
        {
            var best = float.MinValue;
            foreach (var sentence in sentences)
            {
                best = Math.Max(best, TensorPrimitives.CosineSimilarity(sentence, point));
            }

            total += best;
        }

        return total / points.Length;
    }

    private async Task<(float[][] Life, float[][] Work)> LifeAndWorkAsync(CancellationToken cancellationToken)
    {
        if (_lifeAndWork is { } known)
        {
            return known;
        }

        var descriptions = LifeAndWork.Descriptions;
        var vectors = await _model.GenerateAsync([.. descriptions.Select(d => d.Text)], null, cancellationToken);
        float[][] Of(bool life) => [.. descriptions.Select((d, i) => (d, i)).Where(x => x.d.Life == life).Select(x => vectors[x.i].Vector.ToArray())];
        return (_lifeAndWork = (Of(true), Of(false))).Value;
    }

    private async Task<double> LeanAsync(string text, float[][] life, float[][] work, CancellationToken cancellationToken)
    {
        var v = (await _model.GenerateAsync([text], null, cancellationToken))[0].Vector.ToArray();
        return life.Max(a => TensorPrimitives.CosineSimilarity(v, a)) - work.Max(a => TensorPrimitives.CosineSimilarity(v, a));
    }

    private async Task<RubricSpace> RubricSpaceAsync(CancellationToken cancellationToken)
    {
        if (_space is { } space)
        {
            return space;
        }

        var questions = bank.All.Where(q => q.Rubric.Count > 0).ToList();
        var vectors = await _model.GenerateAsync([.. questions.SelectMany(q => q.Rubric.Select(PointText))], EmbeddingInputs.Query, cancellationToken);
        var offset = 0;
        var rubrics = new List<(string Id, float[][] Points)>(questions.Count);
        foreach (var question in questions)
        {
            rubrics.Add((question.Id, [.. Enumerable.Range(offset, question.Rubric.Count).Select(i => vectors[i].Vector.ToArray())]));
            offset += question.Rubric.Count;
        }

        return _space = new RubricSpace(rubrics);
    }

    /// <summary>Every bank question's rubric point vectors, with each rubric's baseline affinity.</summary>
    private sealed class RubricSpace
    {
        private readonly Dictionary<string, double> _baselines;

        public RubricSpace(IReadOnlyList<(string Id, float[][] Points)> rubrics)
        {
            Sources = rubrics;
            Rubrics = [.. rubrics.Select(r => (r.Id, r.Points, Baseline(r.Id, r.Points)))];
            _baselines = Rubrics.ToDictionary(r => r.Id, r => r.Baseline, StringComparer.Ordinal);
        }

        public IReadOnlyList<(string Id, float[][] Points, double Baseline)> Rubrics { get; }

        private IReadOnlyList<(string Id, float[][] Points)> Sources { get; }

        /// <summary>A bank question's baseline as computed once; a typed question's, computed now.</summary>
        public double BaselineOf(string id, float[][] points) =>
            _baselines.TryGetValue(id, out var known) ? known : Baseline(id, points);

        /// <summary>How close a rubric's points sit, on average, to the points of the bank's other questions read as answers.</summary>
        private double Baseline(string id, float[][] points)
        {
            var others = Sources.Where(r => r.Id != id).ToList();
            return others.Count == 0 ? 0 : others.Average(r => Affinity(r.Points, points));
        }
    }

    /// <summary>A rubric point as the model reads it: the point, and its cue words as a hint of how it is said.</summary>
    private static string PointText(RubricPoint point) =>
        point.Cues.Count == 0 ? point.Point : $"{point.Point} ({string.Join(", ", point.Cues.Take(6).Select(c => c.TrimEnd('*')))})";
}
