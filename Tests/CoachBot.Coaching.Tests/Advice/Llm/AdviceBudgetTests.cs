using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>The advice budget per turn and the failures-in-a-row breaker, driven by a fake clock against loopback providers.</summary>
public sealed class AdviceBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeClock _clock = new(Start);

    [Fact]
    public async Task WriteAsync_ProviderThatNeverAnswers_RuleBasedCoachAnswersWhenTheBudgetIsSpent()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Responder = _ => new Act.Slow(TimeSpan.FromMinutes(5), AdviceJson.Good());
        using var harness = Harness(ollama, budgetSeconds: 4);
        using var chain = harness.Build();
        var request = ChainHarness.Request();

        var writing = chain.WriteAsync(request, CancellationToken.None);
        await ollama.ReceivedAsync(1);
        await _clock.WaitForTimerDueByAsync(Start + TimeSpan.FromSeconds(4));
        Assert.False(writing.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(4));
        var advice = await writing;

        Assert.Equal("rules", advice.Source.Source);
        Assert.Equal(RuleBasedCoach.Write(request), advice, new AdviceComparer());
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("advice budget of 4 s was spent while ollama was writing", StringComparison.Ordinal));
        Assert.Equal(1, chain.Providers[0].FailuresInARow);
    }

    [Fact]
    public async Task WriteAsync_ProviderCutOffByTheBudgetTwiceInARow_IsSkippedUntilTheBreakEndsThenTriedAgain()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Responder = _ => new Act.Slow(TimeSpan.FromMinutes(5), AdviceJson.Good());
        using var harness = Harness(ollama, budgetSeconds: 4);
        harness.Options.BreakConsecutiveFailures = 2;
        harness.Options.BreakSeconds = 30;
        using var chain = harness.Build();

        for (var turn = 0; turn < 2; turn++)
        {
            var writing = chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
            await ollama.ReceivedAsync(turn + 1);
            await _clock.WaitForTimerDueByAsync(_clock.GetUtcNow() + TimeSpan.FromSeconds(4));
            _clock.Advance(TimeSpan.FromSeconds(4));
            Assert.Equal("rules", (await writing).Source.Source);
        }

        Assert.Equal("open", chain.Providers[0].Circuit);
        Assert.Equal(2, chain.Providers[0].FailuresInARow);

        // The clock stands still: a skipped provider costs this turn nothing.
        var skipped = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        Assert.Equal("rules", skipped.Source.Source);
        Assert.Equal(2, ollama.Count);
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("ollama failed (circuit-open)", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("half-open", chain.Providers[0].Circuit);
        ollama.Responder = null;
        var recovered = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal("ollama", recovered.Source.Source);
        Assert.Equal("closed", chain.Providers[0].Circuit);
        Assert.Equal(0, chain.Providers[0].FailuresInARow);
    }

    [Fact]
    public async Task WriteAsync_AttemptTimeoutsInARow_OpenTheCircuitBeforeTheRatioBreakerCould()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        ollama.Responder = _ => new Act.Slow(TimeSpan.FromMinutes(5), AdviceJson.Good());
        using var harness = new ChainHarness { Time = _clock }.Provider(ollama, timeoutSeconds: 2).Provider(anthropic);
        harness.Options.MaxRetries = 0;
        harness.Options.BreakConsecutiveFailures = 2;
        using var chain = harness.Build();

        for (var turn = 0; turn < 2; turn++)
        {
            var writing = chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
            await ollama.ReceivedAsync(turn + 1);
            await _clock.WaitForTimerDueByAsync(_clock.GetUtcNow() + TimeSpan.FromSeconds(2));
            _clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal("anthropic", (await writing).Source.Source);
        }

        var third = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal("anthropic", third.Source.Source);
        Assert.Equal(2, ollama.Count);
        Assert.Equal("open", chain.Providers[0].Circuit);
        Assert.Equal("closed", chain.Providers[1].Circuit);
    }

    [Fact]
    public async Task WriteAsync_CallerCancelsWithinTheBudget_CountsNoFailure()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Responder = _ => new Act.Slow(TimeSpan.FromMinutes(5), AdviceJson.Good());
        using var harness = Harness(ollama, budgetSeconds: 4);
        harness.Options.BreakConsecutiveFailures = 1;
        using var chain = harness.Build();
        using var cancel = new CancellationTokenSource();

        var writing = chain.WriteAsync(ChainHarness.Request(), cancel.Token);
        await ollama.ReceivedAsync(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
        Assert.Equal("closed", chain.Providers[0].Circuit);
        Assert.Equal(0, chain.Providers[0].FailuresInARow);
    }

    /// <summary>Waits (in real time, generously) until the provider has the turn's request, so the clock cuts off a call in flight.</summary>
    private ChainHarness Harness(ScriptedProvider provider, double budgetSeconds)
    {
        var harness = new ChainHarness { Time = _clock }.Provider(provider);
        harness.Options.MaxRetries = 0;
        harness.Options.AdviceBudgetSeconds = budgetSeconds;
        return harness;
    }
}
