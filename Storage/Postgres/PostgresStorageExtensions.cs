using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Postgres;

/// <summary>Registers the PostgreSQL storage provider.</summary>
public static class PostgresStorageExtensions
{
    /// <summary>The stores PostgreSQL holds today; start-up refuses <c>Storage:Provider=Postgres</c> until it holds them all.</summary>
    internal static readonly IReadOnlyList<string> Stores =
        [StorageProviders.Stores.TurnQueue, StorageProviders.Stores.Deliveries, StorageProviders.Stores.Sessions, StorageProviders.Stores.Groups,
         StorageProviders.Stores.PendingFeedback, StorageProviders.Stores.Recordings, StorageProviders.Stores.Plans, StorageProviders.Stores.Mocks,
         StorageProviders.Stores.InvokeClaims, StorageProviders.Stores.Knowledge];

    /// <summary>
    /// Declares the PostgreSQL provider and, when <c>Storage:Provider</c> is <c>Postgres</c>, puts the stores it holds
    /// (<see cref="Stores"/>) on it. Call after <c>AddCoaching()</c>. Start-up validation then says what is not on
    /// PostgreSQL yet and stops, rather than run with half the state on this machine; it also stops without
    /// <c>Recordings:SigningKey</c>, which every instance must share.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(new StorageProviderSupport(StorageProviders.Postgres, Stores, PostgresDatabase.Check));
        var provider = builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"]?.Trim();
        if (!string.Equals(provider, StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }

        // Recorder links signed on one instance are opened on another: every instance needs the same key.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingOptions>, SharedSigningKeyValidator>());
        services.TryAddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StorageOptions>>()));
        services.Replace(ServiceDescriptor.Singleton<ITurnQueue, PostgresTurnQueue>());
        services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger, PostgresDeliveryLedger>());
        services.Replace(ServiceDescriptor.Singleton<IPracticeSessions, PostgresPracticeSessions>());
        services.Replace(ServiceDescriptor.Singleton<IGroupRounds, PostgresGroupRounds>());
        services.Replace(ServiceDescriptor.Singleton<ISchedulerLease, PostgresSchedulerLease>());
        services.Replace(ServiceDescriptor.Singleton<IPendingFeedbackStore, PostgresPendingFeedbackStore>());
        services.Replace(ServiceDescriptor.Singleton<IRecordingStore, PostgresRecordingStore>());
        services.Replace(ServiceDescriptor.Singleton<IInvokeClaims, PostgresInvokeClaims>());
        services.Replace(ServiceDescriptor.Singleton<SqlKnowledgeStore, PostgresKnowledgeStore>());
        // The dev chat's conversations: an instance keeps them in memory unless a feed shared by every instance is registered.
        services.Replace(ServiceDescriptor.Singleton<IConversationFeed, PostgresConversationFeed>());
        // Interview plans and mock interviews take the database itself (their statements are in their own classes).
        services.Replace(ServiceDescriptor.Singleton<ISqlDatabase>(sp => sp.GetRequiredService<PostgresDatabase>()));
        services.Replace(ServiceDescriptor.Singleton<IStorageStatus>(sp => sp.GetRequiredService<PostgresDatabase>()));
        services.AddHostedService<PostgresStartup>();
        return builder;
    }
}

/// <summary>Migrates the PostgreSQL database when the host starts, so an unreachable server stops start-up with its reason.</summary>
internal sealed class PostgresStartup(PostgresDatabase database, ITurnQueue queue, ILogger<PostgresStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var versions = await database.AppliedVersionsAsync(cancellationToken);
        Log.DatabaseReady(logger, database.Location, string.Join(", ", versions), (queue as PostgresTurnQueue)?.InstanceId ?? "?");
        // pgvector is not used: Debian's PostgreSQL 15 does not ship it, and nothing here could test it. Say which case this is.
        await using var connection = await database.OpenNpgsqlAsync(cancellationToken);
        var pgvector = await connection.ValueAsync<long>("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector';", cancellationToken) > 0;
        Log.KnowledgeVectors(logger, pgvector
            ? "the server offers the vector extension (pgvector), which this version does not use yet"
            : "the server offers no vector extension (pgvector)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
