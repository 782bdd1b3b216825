using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>Builds a real chain over scripted loopback providers, with its log lines and counters captured.</summary>
public sealed class ChainHarness : IDisposable
{
    public const string Answer =
        "At my last job I disagreed with a teammate about caching the search results. I listened to her perspective first, " +
        "because she worried about stale data. I proposed a benchmark and we ran it together on production traffic. " +
        "As a result we shipped a short-lived cache that reduced search latency by 40 percent.";

    private readonly List<LlmProviderOptions> _providers = [];

    // Both breakers and the advice budget stay out of the way unless a test turns them on.
    public LlmOptions Options { get; } = new()
    {
        RetryBaseDelayMilliseconds = 1, BreakMinimumCalls = 100, BreakConsecutiveFailures = 0, CacheSeconds = 0,
        AdviceBudgetSeconds = 600, VoiceAdviceBudgetSeconds = 600,
    };

    public ListLogger Logger { get; } = new();

    public TestMeters Meters { get; } = new();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public ChainHarness Provider(ScriptedProvider server, double timeoutSeconds = 10, string? model = null, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Options.Providers.Add(new LlmProviderOptions
        {
            Kind = kind ?? server.Protocol.ToString(),
            Model = model ?? server.Protocol switch { Protocol.Ollama => "llama3.1:8b", Protocol.OpenAI => "gpt-4o-mini", _ => "claude-test" },
            BaseUrl = server.BaseUrl.ToString(),
            ApiKey = ScriptedProvider.Key,
            TimeoutSeconds = timeoutSeconds,
        });
        return this;
    }

    internal LlmAdviceChain Build() => new(Microsoft.Extensions.Options.Options.Create(Options), Time, Logger.For<LlmAdviceChain>(), Meters);

    public static AdviceRequest Request(string answer = Answer)
    {
        var question = Bank.Conflict();
        return new AdviceRequest(question, Scorers.Default.Score(question, answer));
    }

    public void Dispose() => Meters.Dispose();
}

/// <summary>Captures formatted log lines.</summary>
public sealed class ListLogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public ILogger<T> For<T>() => new Logger<T>(this);

    private sealed class Logger<T>(ListLogger sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue((logLevel, formatter(state, exception)));
    }
}

/// <summary>A meter factory whose meters only this test listens to; sums counters by name and tag.</summary>
public sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, Dictionary<string, string> Tags)> _measurements = new();

    public TestMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            lock (_meters)
            {
                if (_meters.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                dictionary[tag.Key] = tag.Value?.ToString() ?? string.Empty;
            }

            _measurements.Enqueue((instrument.Name, value, dictionary));
        });
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        _listener.RecordObservableInstruments();
        return meter;
    }

    public long Sum(string name, string? tag = null, string? value = null) =>
        _measurements.Where(m => m.Name == name && (tag is null || (m.Tags.TryGetValue(tag, out var v) && v == value))).Sum(m => m.Value);

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
