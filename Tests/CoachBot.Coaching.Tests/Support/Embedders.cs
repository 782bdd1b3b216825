using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>Wraps a generator and counts the texts it was asked to embed.</summary>
public sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Texts { get; private set; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        Texts += list.Count;
        return await inner.GenerateAsync(list, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// A second, different embedding model for tests of model changes: each word hashed into one of 64 buckets.
/// It stands for "another provider"; its quality does not matter.
/// </summary>
public sealed class HashingGenerator(string modelId = "test:hashing-64") : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v =>
        {
            var vector = new float[64];
            foreach (var word in v.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                vector[(int)((uint)string.GetHashCode(word, StringComparison.Ordinal) % 64)] += 1;
            }

            return new Embedding<float>(vector);
        })));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, modelId, 64) : null;

    public void Dispose()
    {
    }
}

/// <summary>Collects log lines so a test can assert what a user would read in the log.</summary>
public sealed class LogCollector : ILoggerProvider, ILoggerFactory
{
    private readonly List<(LogLevel Level, string Category, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
