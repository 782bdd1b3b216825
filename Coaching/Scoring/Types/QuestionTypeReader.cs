using System.Numerics.Tensors;
using CoachBot.Coaching.Knowledge.Embeddings;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>
/// Reads the type of a question someone typed: by its wording when a pattern of <c>question-types.json</c> places it, else
/// by meaning, as the type of the labelled example questions closest to it (<c>question-type-examples.txt</c>, compared with
/// the embedded sentence model). Real interviewers ask "Biggest screw-up so far?" and "Career story so far, in two
/// minutes", which no pattern list keeps up with. When the model cannot run, the wording alone decides (null when it
/// does not place the question) and the log says so once.
/// </summary>
internal sealed class QuestionTypeReader(ILogger<QuestionTypeReader> logger) : IDisposable
{
    /// <summary>How many of the closest examples vote, each by its similarity.</summary>
    private const int Neighbours = 5;

    private static readonly Lazy<IReadOnlyList<(string Type, string Question)>> Examples = new(LoadExamples);

    private readonly SentenceModelEmbeddingGenerator _model = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private float[][]? _vectors;
    private volatile bool _failed;

    /// <summary>The type of <paramref name="questionText"/>, or null when neither its wording nor (the model failing) its meaning places it.</summary>
    public async Task<QuestionType?> ReadAsync(string questionText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(questionText);
        if (QuestionTypes.Recognise(questionText) is { } recognised)
        {
            return recognised;
        }

        if (_failed || string.IsNullOrWhiteSpace(questionText))
        {
            return null;
        }

        try
        {
            var examples = await ExampleVectorsAsync(cancellationToken);
            var vector = (await _model.GenerateAsync([questionText.Trim()], EmbeddingInputs.Query, cancellationToken))[0].Vector.ToArray();
            var closest = examples.Select((v, i) => (Similarity: TensorPrimitives.CosineSimilarity(v, vector), Examples.Value[i].Type))
                .OrderByDescending(x => x.Similarity).Take(Neighbours);
            var type = closest.GroupBy(x => x.Type, StringComparer.Ordinal)
                .OrderByDescending(g => g.Sum(x => x.Similarity)).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            return QuestionTypes.Get(type);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            Log.QuestionTypeByMeaningUnavailable(logger, ex);
            return null;
        }
    }

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }

    private async Task<float[][]> ExampleVectorsAsync(CancellationToken cancellationToken)
    {
        if (_vectors is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _vectors ??= [.. (await _model.GenerateAsync([.. Examples.Value.Select(e => e.Question)], EmbeddingInputs.Query, cancellationToken))
                .Select(e => e.Vector.ToArray())];
        }
        finally
        {
            _gate.Release();
        }
    }

    private static List<(string, string)> LoadExamples()
    {
        using var reader = new StreamReader(EmbeddedData.Open("question-type-examples.txt"));
        var known = QuestionTypes.All.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var examples = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var type = tab > 0 ? line[..tab] : string.Empty;
            if (!known.Contains(type))
            {
                throw new InvalidDataException($"question-type-examples.txt: \"{line}\" does not start with a known question type and a tab.");
            }

            examples.Add((type, line[(tab + 1)..].Trim()));
        }

        return examples;
    }
}
