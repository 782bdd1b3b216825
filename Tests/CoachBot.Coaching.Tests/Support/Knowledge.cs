using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Questions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>A real knowledge store over a temporary SQLite file, with the chosen embedding model.</summary>
public sealed class KnowledgeFixture : IDisposable
{
    private static readonly Lazy<WordVectorModel?> BuiltInModel = new(() =>
        File.Exists(BuiltInModelPath) ? WordVectorModel.Load(BuiltInModelPath) : null);

    private readonly TempDatabase _db;
    private readonly bool _ownsDatabase;

    internal KnowledgeFixture(KnowledgeOptions? options = null, IEmbeddingGenerator<string, Embedding<float>>? generator = null,
        bool builtInKnowledge = false, TempDatabase? database = null, IQuestionBank? bank = null, ILoggerFactory? logs = null)
    {
        _ownsDatabase = database is null;
        _db = database ?? new TempDatabase();
        Options = options ?? new KnowledgeOptions { IngestBuiltIn = builtInKnowledge };
        Options.IngestBuiltIn = builtInKnowledge;
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        logs ??= NullLoggerFactory.Instance;
        Embeddings = new KnowledgeEmbeddings(wrapped, logs.CreateLogger<KnowledgeEmbeddings>(), generator is null ? [] : [generator]);
        Store = new SqliteKnowledgeStore(_db.Database, Embeddings, wrapped, TimeProvider.System, logs.CreateLogger<SqliteKnowledgeStore>(),
            new BuiltInKnowledge(bank ?? Bank.BuiltIn, wrapped));
    }

    public static string BuiltInModelPath => Path.Combine(AppContext.BaseDirectory, "embeddings", KnowledgeEmbeddings.BuiltInFileName);

    /// <summary>The SIF generator over the converted word vectors (scripts/prepare-embeddings.sh builds them before the tests).</summary>
    internal static SifEmbeddingGenerator Sif() => new(BuiltInModel.Value
        ?? throw new InvalidOperationException($"The word-vector model is missing at {BuiltInModelPath}: run scripts/prepare-embeddings.sh (scripts/test.sh does)."));

    /// <summary>The embedded sentence model (arctic-embed-xs), the default generator.</summary>
    internal static SentenceModelEmbeddingGenerator SentenceModel() => new();

    internal static WordVectorModel Model => BuiltInModel.Value
        ?? throw new InvalidOperationException($"The word-vector model is missing at {BuiltInModelPath}: run scripts/prepare-embeddings.sh.");

    internal KnowledgeOptions Options { get; }

    internal KnowledgeEmbeddings Embeddings { get; }

    internal SqliteKnowledgeStore Store { get; }

    internal TempDatabase Database => _db;

    public void Dispose()
    {
        Store.Dispose();
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}

/// <summary>A document builder: only what a test cares about needs saying.</summary>
public static class Doc
{
    public static KnowledgeDocument Of(string source, string text, string? title = null, string[]? roles = null, string[]? categories = null, string[]? tags = null) =>
        new(source, title ?? source, text) { Roles = roles ?? [], Categories = categories ?? [], Tags = tags ?? [] };
}
