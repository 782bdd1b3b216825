using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>Registers the LLM advice chain.</summary>
public static class LlmHostingExtensions
{
    /// <summary>
    /// Binds <c>Llm</c> (validated at start-up), and makes the chain the <see cref="IAdviceWriter"/> and the
    /// <see cref="IAdviceChainStatus"/>. With no providers configured the chain is just the rule-based coach.
    /// </summary>
    public static IServiceCollection AddLlmAdvice(this IServiceCollection services)
    {
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RuleBasedCoach>();
        services.TryAddSingleton<LlmAdviceChain>();
        services.TryAddSingleton<IAdviceWriter>(sp => sp.GetRequiredService<LlmAdviceChain>());
        services.TryAddSingleton<IAdviceChainStatus>(sp => sp.GetRequiredService<LlmAdviceChain>());
        services.AddHostedService<LlmStartup>();
        return services;
    }
}

/// <summary>Builds the chain when the host starts, so skipped providers are logged once, up front.</summary>
internal sealed class LlmStartup(IAdviceChainStatus chain) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = chain.Providers;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
