using System.Diagnostics;
using Microsoft.Extensions.AI;
using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Advice.Llm;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tools.Bench;

/// <summary>Medians and 95th percentiles, in milliseconds, of the advice chain's benchmark.</summary>
/// <param name="Iterations">Measured rounds.</param>
/// <param name="DirectMedianMs">A direct <see cref="IChatClient"/> call to the provider with the same prompt.</param>
/// <param name="DirectP95Ms">Its 95th percentile.</param>
/// <param name="ChainMedianMs">The chain with that provider first (rules, prompt, pipeline, parsing, guard).</param>
/// <param name="ChainP95Ms">Its 95th percentile.</param>
/// <param name="FailoverMedianMs">The chain whose first provider's circuit is open, answered by the second.</param>
/// <param name="FailoverP95Ms">Its 95th percentile.</param>
internal sealed record LlmChainBenchmarkResult(
    int Iterations, double DirectMedianMs, double DirectP95Ms, double ChainMedianMs, double ChainP95Ms, double FailoverMedianMs, double FailoverP95Ms)
{
    /// <summary>What the chain adds over the direct call (target under 2 ms).</summary>
    public double OverheadMedianMs => Math.Round(ChainMedianMs - DirectMedianMs, 3);

    /// <summary>What skipping an open circuit adds over the chain without that provider (target under 5 ms).</summary>
    public double FailoverOverheadMedianMs => Math.Round(FailoverMedianMs - ChainMedianMs, 3);
}

/// <summary>
/// Measures the chain's own cost against Ollama-protocol servers the caller runs on loopback: one that answers
/// and one that fails (its circuit is opened before measuring). Rounds interleave the three measurements.
/// </summary>
internal static class LlmChainBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<LlmChainBenchmarkResult> RunAsync(
        Uri answering, Uri failing, AdviceRequest request, int iterations, int warmup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var up = new LlmProviderOptions { Kind = LlmProviderKinds.Ollama, Model = "bench", BaseUrl = answering.ToString(), TimeoutSeconds = 30 };
        var down = new LlmProviderOptions { Kind = LlmProviderKinds.Ollama, Model = "bench-down", BaseUrl = failing.ToString(), TimeoutSeconds = 30 };

        using var http = LlmHttp.CreateClient();
        using var direct = AdviceChatClients.Create(up, http, TimeProvider.System);
        using var single = Chain([up]);
        using var failover = Chain([down, up]);

        // Open the failing provider's circuit: two failed calls with no retries.
        for (var i = 0; i < 2 && failover.Providers[0].Circuit != "open"; i++)
        {
            await failover.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (failover.Providers[0].Circuit != "open")
        {
            throw new InvalidOperationException("The failing provider's circuit did not open; is the failing server failing?");
        }

        var messages = AdvicePrompt.Build(request, RuleBasedCoach.Write(request));
        var options = AdvicePrompt.Options(up.Model);
        var samples = (Direct: new List<double>(), Chain: new List<double>(), Failover: new List<double>());
        for (var i = 0; i < warmup + iterations; i++)
        {
            var a = await Time(async () => await direct.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            var b = await Time(async () => Expect(await single.WriteAsync(request, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
            var c = await Time(async () => Expect(await failover.WriteAsync(request, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
            if (i >= warmup)
            {
                samples.Direct.Add(a);
                samples.Chain.Add(b);
                samples.Failover.Add(c);
            }
        }

        return new LlmChainBenchmarkResult(iterations,
            Percentile(samples.Direct, 0.5), Percentile(samples.Direct, 0.95),
            Percentile(samples.Chain, 0.5), Percentile(samples.Chain, 0.95),
            Percentile(samples.Failover, 0.5), Percentile(samples.Failover, 0.95));
    }

    private static LlmAdviceChain Chain(LlmProviderOptions[] providers)
    {
        var options = new LlmOptions { CacheSeconds = 0, MaxRetries = 0, BreakMinimumCalls = 2, BreakSeconds = 3600, BreakSamplingSeconds = 3600 };
        foreach (var provider in providers)
        {
            options.Providers.Add(provider);
        }

        return new LlmAdviceChain(options, TimeProvider.System, NullLogger.Instance, null);
    }

    private static CoachingAdvice Expect(CoachingAdvice advice) =>
        advice.Source.Source == "ollama" ? advice : throw new InvalidOperationException($"The benchmark expected Ollama's advice, got {advice.Source.Source}.");

    private static async Task<double> Time<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return Math.Round(sorted[low] + ((sorted[high] - sorted[low]) * (rank - low)), 3);
    }
}
