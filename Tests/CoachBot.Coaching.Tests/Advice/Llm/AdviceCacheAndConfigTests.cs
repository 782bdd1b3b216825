using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>The cache window, configuration binding and validation, and skipped providers.</summary>
public class AdviceCacheAndConfigTests
{
    [Fact]
    public async Task WriteAsync_IdenticalRequestInsideTheWindow_IsServedFromTheCache()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new ChainHarness { Time = time }.Provider(ollama);
        harness.Options.CacheSeconds = 60;
        using var chain = harness.Build();

        var first = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        var second = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        Assert.Equal(1, ollama.Count);
        Assert.Same(first, second);
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.cache.hits"));

        await chain.WriteAsync(ChainHarness.Request(ChainHarness.Answer + " I would do it again."), CancellationToken.None);
        Assert.Equal(2, ollama.Count);

        time.Advance(TimeSpan.FromSeconds(61));
        await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        Assert.Equal(3, ollama.Count);
    }

    [Fact]
    public async Task WriteAsync_FallbackAdvice_IsNotCachedUnderTheFailedProvider()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Status(400));
        using var harness = new ChainHarness().Provider(ollama);
        harness.Options.CacheSeconds = 60;
        using var chain = harness.Build();

        var first = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);
        var second = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal("rules", first.Source.Source);
        Assert.Equal("ollama", second.Source.Source);
        Assert.Equal(2, ollama.Count);
    }

    [Fact]
    public void AddCoaching_ProvidersFromEnvironmentStyleKeys_AreBoundInOrder()
    {
        using var host = Host(new()
        {
            ["Llm:Providers:0:Kind"] = "ollama",
            ["Llm:Providers:0:BaseUrl"] = "http://127.0.0.1:9",
            ["Llm:Providers:0:Model"] = "llama3.1:8b",
            ["Llm:Providers:1:Kind"] = "Anthropic",
            ["Llm:Providers:1:Model"] = "claude-x",
            ["Llm:Providers:1:ApiKey"] = "k",
        }, out _);

        var status = host.Services.GetRequiredService<IAdviceChainStatus>();

        Assert.Equal([("ollama", "llama3.1:8b", "closed"), ("anthropic", "claude-x", "closed")],
            status.Providers.Select(p => (p.Source, p.Model, p.Circuit)));
        Assert.IsType<LlmAdviceChain>(host.Services.GetRequiredService<CoachBot.Coaching.Advice.IAdviceWriter>());
    }

    [Fact]
    public async Task StartAsync_ProviderNeedsAKeyAndHasNone_IsSkippedWithOneLogLine()
    {
        using var host = Host(new()
        {
            ["Llm:Providers:0:Kind"] = "OpenAI",
            ["Llm:Providers:0:Model"] = "gpt-4o-mini",
            ["Llm:Providers:1:Kind"] = "Ollama",
            ["Llm:Providers:1:Model"] = "llama3.1:8b",
        }, out var logger);

        await host.StartAsync();
        var status = host.Services.GetRequiredService<IAdviceChainStatus>();
        _ = status.Providers;
        await host.StopAsync();

        Assert.Equal(["ollama"], status.Providers.Select(p => p.Source));
        var skipped = Assert.Single(logger.Lines, l => l.Message.Contains("no API key", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, skipped.Level);
        Assert.Contains("Llm__Providers__0__ApiKey", skipped.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kind", "Olama", "Llm:Providers:0:Kind 'Olama' is not a known provider")]
    [InlineData("BaseUrl", "localhost:11434", "Llm:Providers:0:BaseUrl 'localhost:11434' is not an absolute http(s) URL")]
    [InlineData("TimeoutSeconds", "0", "Llm:Providers:0:TimeoutSeconds must be between")]
    public async Task StartAsync_BadProviderSetting_StopsStartUpNamingTheSetting(string setting, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Providers:0:Kind"] = "Ollama",
            ["Llm:Providers:0:Model"] = "llama3.1:8b",
        };
        settings[$"Llm:Providers:0:{setting}"] = value;
        using var host = Host(settings, out _);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnthropicWithoutModel_FailsWhileOllamaHasADefault()
    {
        var options = new LlmOptions();
        options.Providers.Add(new LlmProviderOptions { Kind = "Ollama" });
        options.Providers.Add(new LlmProviderOptions { Kind = "Anthropic", ApiKey = "k" });

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.Equal(["Llm:Providers:1:Model is required for Anthropic."], result.Failures);
        Assert.Equal("llama3.1:8b", LlmProviderKinds.ModelOf(options.Providers[0]));
    }

    [Fact]
    public void Validate_AzureWithoutBaseUrl_Fails()
    {
        var options = new LlmOptions();
        options.Providers.Add(new LlmProviderOptions { Kind = "AzureOpenAI", Model = "deployment", ApiKey = "k" });

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("BaseUrl is required for Azure OpenAI", result.FailureMessage, StringComparison.Ordinal);
    }

    private static IHost Host(Dictionary<string, string?> settings, out ListLogger logger)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var sink = new ListLogger();
        builder.Services.AddLlmAdvice();
        builder.Services.AddSingleton<ILogger<LlmAdviceChain>>(sink.For<LlmAdviceChain>());
        logger = sink;
        return builder.Build();
    }
}
