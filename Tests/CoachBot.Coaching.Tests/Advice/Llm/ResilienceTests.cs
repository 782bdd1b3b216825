using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>Retries, timeouts, repairs, circuit breakers and fallbacks, against scripted loopback servers.</summary>
public class ResilienceTests
{
    [Fact]
    public async Task WriteAsync_ServerErrorThenSuccess_RetriesTheSameProvider()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Status(500), new Act.Status(503));
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(3, ollama.Count);
        Assert.Equal("ollama", advice.Source.Source);
        Assert.Equal(2, harness.Meters.Sum("coachbot.advice.llm.failures", "provider", "ollama"));
        Assert.Equal(0, harness.Meters.Sum("coachbot.advice.fallbacks"));
    }

    [Fact]
    public async Task WriteAsync_ServerErrorsBeyondRetries_FallsBackToTheNextProvider()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        ollama.Responder = _ => new Act.Status(500);
        using var harness = new ChainHarness().Provider(ollama).Provider(openai);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(1 + harness.Options.MaxRetries, ollama.Count);
        Assert.Equal(1, openai.Count);
        Assert.Equal("openai", advice.Source.Source);
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.fallbacks", "from", "ollama"));
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("ollama failed (http-500); falling back to openai", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public async Task WriteAsync_HttpStatus_IsRetriedOnlyWhenTransient(int status, bool retried)
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Status(status));
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(retried ? 2 : 1, ollama.Count);
        Assert.Equal(retried ? "ollama" : "rules", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_ClientError_IsNotRetried()
    {
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        anthropic.Then(new Act.Status(400));
        using var harness = new ChainHarness().Provider(anthropic);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(1, anthropic.Count);
        Assert.Equal("rules", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_TooManyRequestsWithRetryAfter_WaitsAsToldThenRetries()
    {
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        anthropic.Then(new Act.Status(429, RetryAfter: "1"));
        using var harness = new ChainHarness().Provider(anthropic);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, anthropic.Count);
        Assert.Equal("anthropic", advice.Source.Source);
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("retrying in 1000 ms", StringComparison.Ordinal));
        Assert.True(anthropic.Requests[1].At - anthropic.Requests[0].At >= TimeSpan.FromSeconds(0.95), "The retry came before Retry-After elapsed.");
    }

    [Fact]
    public async Task WriteAsync_OpenAiTooManyRequestsWithRetryAfter_HonoursItThroughTheSdk()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        openai.Then(new Act.Status(429, RetryAfter: "1"));
        using var harness = new ChainHarness().Provider(openai);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, openai.Count);
        Assert.Equal("openai", advice.Source.Source);
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("retrying in 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_RetryAfterLongerThanAllowed_MovesOnWithoutWaiting()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        openai.Then(new Act.Status(429, RetryAfter: "120"));
        using var harness = new ChainHarness().Provider(openai).Provider(anthropic);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(1, openai.Count);
        Assert.Equal("anthropic", advice.Source.Source);
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("(rate-limited)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_OpenAiServerError_TheSdkDoesNotRetryBehindThePipeline()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        openai.Responder = _ => new Act.Status(500);
        using var harness = new ChainHarness().Provider(openai);
        harness.Options.MaxRetries = 0;
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(1, openai.Count);
        Assert.Equal("rules", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_SlowerThanTheTimeout_GivesUpAndFallsBackWithoutRetrying()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        ollama.Then(new Act.Slow(TimeSpan.FromMinutes(5), AdviceJson.Good()));
        // The timeout runs on a clock the test moves once the request has arrived, so a loaded machine cannot make the
        // attempt time out before it is sent.
        var clock = new FakeClock(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero));
        using var harness = new ChainHarness { Time = clock }.Provider(ollama, timeoutSeconds: 2).Provider(anthropic);
        using var chain = harness.Build();

        var writing = chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        await ollama.ReceivedAsync(1);
        await clock.WaitForTimerDueByAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(2));
        var advice = await writing;

        Assert.Equal(1, ollama.Count);
        Assert.Equal("anthropic", advice.Source.Source);
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.llm.failures", "reason", "timeout"));
    }

    [Fact]
    public async Task WriteAsync_DroppedConnection_IsRetried()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Drop());
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, ollama.Count);
        Assert.Equal("ollama", advice.Source.Source);
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.llm.failures", "reason", "network"));
    }

    [Fact]
    public async Task WriteAsync_OpenAiDroppedConnection_IsRetried()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        openai.Then(new Act.Drop());
        using var harness = new ChainHarness().Provider(openai);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, openai.Count);
        Assert.Equal("openai", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_MalformedJsonOnce_IsRepairedByTheSameProvider()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Reply("{\"strengths\": [\"Good\", "));
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, ollama.Count);
        Assert.Equal("ollama", advice.Source.Source);
        var repair = ollama.Requests[1].Body["messages"]!.AsArray();
        Assert.Equal(4, repair.Count);
        Assert.Equal("assistant", repair[2]!["role"]!.GetValue<string>());
        Assert.Contains("not valid JSON", repair[3]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_MalformedJsonTwice_FallsBackAfterOneRepair()
    {
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        anthropic.Responder = _ => new Act.Reply("Sure! Here is some advice: be more specific.");
        using var harness = new ChainHarness().Provider(anthropic).Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, anthropic.Count);
        Assert.Equal(1, ollama.Count);
        Assert.Equal("ollama", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_JsonMissingRequiredFields_RepairNamesTheFieldThenFallsBack()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        openai.Responder = _ => new Act.Reply(AdviceJson.MissingScores());
        using var harness = new ChainHarness().Provider(openai);
        using var chain = harness.Build();
        var request = ChainHarness.Request();

        var advice = await chain.WriteAsync(request, CancellationToken.None);

        Assert.Equal(2, openai.Count);
        Assert.Contains("\\u0022scores\\u0022 is missing", openai.Requests[1].Body["messages"]!.AsArray()[^1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(RuleBasedCoach.Write(request), advice with { }, new AdviceComparer());
    }

    [Fact]
    public async Task WriteAsync_OpenCircuit_SkipsTheProviderWithoutCallingIt()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        ollama.Then(new Act.Status(500), new Act.Status(500));
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new ChainHarness { Time = time }.Provider(ollama).Provider(anthropic);
        harness.Options.MaxRetries = 0;
        harness.Options.BreakMinimumCalls = 2;
        harness.Options.BreakSeconds = 30;
        using var chain = harness.Build();

        await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        Assert.Equal("open", chain.Providers[0].Circuit);
        Assert.Equal("closed", chain.Providers[1].Circuit);

        var skipped = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(2, ollama.Count);
        Assert.Equal(3, anthropic.Count);
        Assert.Equal("anthropic", skipped.Source.Source);
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("ollama failed (circuit-open)", StringComparison.Ordinal));

        // After the break a trial call goes through, succeeds and closes the circuit.
        time.Advance(TimeSpan.FromSeconds(31));
        var recovered = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal(3, ollama.Count);
        Assert.Equal("ollama", recovered.Source.Source);
        Assert.Equal("closed", chain.Providers[0].Circuit);
    }

    [Fact]
    public async Task WriteAsync_EveryProviderDown_TheRuleBasedCoachAnswers()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        ollama.Responder = _ => new Act.Drop();
        openai.Responder = _ => new Act.Status(502);
        anthropic.Responder = _ => new Act.Status(529);
        using var harness = new ChainHarness().Provider(ollama).Provider(openai).Provider(anthropic);
        harness.Options.MaxRetries = 1;
        using var chain = harness.Build();
        var request = ChainHarness.Request();

        var advice = await chain.WriteAsync(request, CancellationToken.None);

        Assert.Equal(new[] { 2, 2, 2 }, new[] { ollama.Count, openai.Count, anthropic.Count });
        Assert.Equal("rules", advice.Source.Source);
        Assert.Null(advice.Source.Model);
        Assert.Equal(RuleBasedCoach.Write(request), advice, new AdviceComparer());
        Assert.Equal(3, harness.Meters.Sum("coachbot.advice.fallbacks"));
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.fallbacks", "to", "rules"));
    }

    [Fact]
    public async Task WriteAsync_CallerCancels_DoesNotFallBack()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Slow(TimeSpan.FromSeconds(30), AdviceJson.Good()));
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chain.WriteAsync(ChainHarness.Request(), cancel.Token));

        Assert.Equal(0, harness.Meters.Sum("coachbot.advice.fallbacks"));
    }
}

/// <summary>Compares advice by content (the records hold lists, which compare by reference).</summary>
public sealed class AdviceComparer : IEqualityComparer<CoachingAdvice>
{
    public bool Equals(CoachingAdvice? x, CoachingAdvice? y) =>
        x is not null && y is not null && x.Source == y.Source && x.Strengths.SequenceEqual(y.Strengths) &&
        x.Improvements.SequenceEqual(y.Improvements) && x.MissedPoints.SequenceEqual(y.MissedPoints) && x.ImprovedExample == y.ImprovedExample;

    public int GetHashCode(CoachingAdvice obj) => obj?.Source.GetHashCode() ?? 0;
}
