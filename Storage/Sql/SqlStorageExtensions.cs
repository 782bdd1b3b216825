using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>What every SQL storage provider registers alike (called by each provider's own registration).</summary>
internal static class SqlStorageExtensions
{
    /// <summary>
    /// The stores that run over <see cref="ISqlDatabase"/> whichever database it is (interview plans, mock interviews),
    /// the knowledge store behind <see cref="IKnowledgeStore"/> made ready at start-up, and the check of the storage settings.
    /// </summary>
    public static IServiceCollection AddSqlStores(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<IPlanStore, SqlPlanStore>();
        services.TryAddSingleton<IMockInterviewStore, SqlMockInterviewStore>();
        services.TryAddSingleton<IKnowledgeStore>(sp => sp.GetRequiredService<SqlKnowledgeStore>());
        services.AddHostedService<KnowledgeStartup>();
        return services;
    }
}

/// <summary>Gets the knowledge store ready when the host starts, so the first coached answer does not pay for it.</summary>
internal sealed class KnowledgeStartup(SqlKnowledgeStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
