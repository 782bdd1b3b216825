using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>
/// The embedded default: a sentence vector is the SIF-weighted average of its word vectors, a/(a + p(w)) (stopwords
/// left out), with the corpus's first principal component removed (Arora, Liang and Ma 2017), then scaled to unit length.
/// Needs no server; a text with no known word gets the zero vector (it matches nothing).
/// </summary>
internal sealed class SifEmbeddingGenerator(WordVectorModel model) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("coachbot-sif", null, model.Id, model.Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = model.Id });
        }

        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[model.Dimensions];
        var words = 0;
        foreach (var token in WordVectorModel.Tokenize(text))
        {
            if (model.TryGet(token, out var wordVector, out var weight) && weight > 0)
            {
                TensorPrimitives.MultiplyAdd(wordVector, weight, vector, vector);
                words++;
            }
        }

        if (words == 0)
        {
            return vector;
        }

        TensorPrimitives.Divide(vector, words, vector);
        var projection = TensorPrimitives.Dot(vector, model.Component);
        TensorPrimitives.MultiplyAdd(model.Component, -projection, vector, vector);
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }
}
