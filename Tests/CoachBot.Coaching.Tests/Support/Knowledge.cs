using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Questions;
using CoachBot.Storage;
using CoachBot.Storage.Sqlite;
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

/// <summary>
/// Knowledge stores on one provider's test storage (a SQLite file, or a database of its own on the test PostgreSQL): each
/// <see cref="Instance"/> is a store as one bot instance would have it, with its own vector matrix and embedding model.
/// </summary>
public sealed class KnowledgeOnStorage : IAsyncDisposable
{
    private readonly List<SqlKnowledgeStore> _stores = [];

    private KnowledgeOnStorage(TestStorage storage) => Storage = storage;

    public TestStorage Storage { get; }

    public static async Task<KnowledgeOnStorage> CreateAsync(string provider) => new(await TestStorage.CreateAsync(provider));

    /// <summary>A store over this storage; built-in knowledge only when asked, from the real articles and bank.</summary>
    internal SqlKnowledgeStore Instance(IEmbeddingGenerator<string, Embedding<float>>? generator = null, KnowledgeOptions? options = null,
        bool builtInKnowledge = false, ILoggerFactory? logs = null)
    {
        options ??= new KnowledgeOptions();
        options.IngestBuiltIn = builtInKnowledge;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        logs ??= NullLoggerFactory.Instance;
        var embeddings = new KnowledgeEmbeddings(wrapped, logs.CreateLogger<KnowledgeEmbeddings>(), generator is null ? [] : [generator]);
        var store = Storage.Knowledge(embeddings, wrapped, logs, new BuiltInKnowledge(Bank.BuiltIn, wrapped));
        _stores.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        await Storage.DisposeAsync();
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
