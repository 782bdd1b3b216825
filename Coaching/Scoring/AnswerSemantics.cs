using System.Numerics.Tensors;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Questions;
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

    public async Task<SemanticMatch?> MatchAsync(Question question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        if (_failed || sentences.Count == 0)
        {
            return null;
        }

        try
        {
            var points = question.Rubric.Select(PointText).ToList();
            var others = bank.All.Where(q => q.Id != question.Id).Select(q => q.Text).ToList();
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
            return new SemanticMatch(sentenceToPoint, sentenceToQuestion, topicality, rank);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            Log.SemanticScoringUnavailable(logger, ex);
            return null;
        }
    }

    public void Dispose() => _model.Dispose();

    /// <summary>A rubric point as the model reads it: the point, and its cue words as a hint of how it is said.</summary>
    private static string PointText(RubricPoint point) =>
        point.Cues.Count == 0 ? point.Point : $"{point.Point} ({string.Join(", ", point.Cues.Take(6).Select(c => c.TrimEnd('*')))})";
}
