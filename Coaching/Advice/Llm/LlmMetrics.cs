using System.Diagnostics.Metrics;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Counters of the advice chain (meter <c>CoachBot.Advice</c>): provider calls, failures by reason, fallbacks from one
/// link to the next, tokens by direction, and cache hits. Tagged with the provider's <c>advice.source</c> name.
/// </summary>
internal sealed class LlmMetrics : IDisposable
{
    public const string MeterName = "CoachBot.Advice";

    private readonly Meter? _owned;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _cacheHits;

    public LlmMetrics(IMeterFactory? factory)
    {
        var meter = factory?.Create(MeterName) ?? (_owned = new Meter(MeterName));
        _calls = meter.CreateCounter<long>("coachbot.advice.llm.calls", "{call}", "HTTP calls made to LLM providers, repairs and retries included.");
        _failures = meter.CreateCounter<long>("coachbot.advice.llm.failures", "{failure}", "Failed provider attempts, by reason.");
        _fallbacks = meter.CreateCounter<long>("coachbot.advice.fallbacks", "{fallback}", "Times the chain moved from a provider to the next link.");
        _tokens = meter.CreateCounter<long>("coachbot.advice.llm.tokens", "{token}", "Tokens reported by providers, by direction.");
        _cacheHits = meter.CreateCounter<long>("coachbot.advice.cache.hits", "{hit}", "Advice served from the cache.");
    }

    public void Call(string provider) => _calls.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Failure(string provider, string reason) =>
        _failures.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void Fallback(string from, string to) =>
        _fallbacks.Add(1, new KeyValuePair<string, object?>("from", from), new KeyValuePair<string, object?>("to", to));

    public void Tokens(string provider, long? input, long? output)
    {
        if (input is > 0)
        {
            _tokens.Add(input.Value, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("direction", "input"));
        }

        if (output is > 0)
        {
            _tokens.Add(output.Value, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("direction", "output"));
        }
    }

    public void CacheHit(string provider) => _cacheHits.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Dispose() => _owned?.Dispose();
}
