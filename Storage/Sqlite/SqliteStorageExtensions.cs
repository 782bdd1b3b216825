using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Storage.Sqlite;

/// <summary>Registers the SQLite storage provider, the embedded default.</summary>
public static class SqliteStorageExtensions
{
    /// <summary>
    /// Puts every store in one SQLite file (<c>Storage:DatabasePath</c>). Call after <c>AddCoaching()</c>; a provider
    /// registered after it (<c>AddPostgresStorage()</c> when <c>Storage:Provider=Postgres</c>) replaces these stores.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.TryAddSingleton<IStorageStatus>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.TryAddSingleton<IPracticeSessions, SqlitePracticeSessions>();
        services.TryAddSingleton<ITurnQueue, SqliteTurnQueue>();
        services.TryAddSingleton<IDeliveryLedger, SqliteDeliveryLedger>();
        services.TryAddSingleton<IPendingFeedbackStore, SqlitePendingFeedbackStore>();
        services.TryAddSingleton<IInvokeClaims, SqliteInvokeClaims>();
        services.TryAddSingleton<IRecordingStore, SqliteRecordingStore>();
        services.TryAddSingleton<IGroupRounds, SqliteGroupRounds>();
        services.TryAddSingleton<ISchedulerLease, SqliteSchedulerLease>();
        services.TryAddSingleton<SqlKnowledgeStore, SqliteKnowledgeStore>();
        services.AddSqlStores();
        return builder;
    }
}
