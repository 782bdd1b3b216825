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

    /// <summary>The embedded sentence model (arctic-embed-xs), the default generator.</summary>
    internal static SentenceModelEmbeddingGenerator SentenceModel() => new();

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

/// <summary>Synchronous embedding for fakes and expectations in tests.</summary>
internal static class SentenceModelExtensions
{
    public static float[] Embed(this SentenceModelEmbeddingGenerator model, string text) =>
        model.GenerateAsync([text]).GetAwaiter().GetResult()[0].Vector.ToArray();
}
