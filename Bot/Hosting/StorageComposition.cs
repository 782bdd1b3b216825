using CoachBot.Storage.Postgres;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Bot.Hosting;

/// <summary>Chooses where the coaching core's stores live: the one place the program names the storage providers.</summary>
public static class StorageComposition
{
    /// <summary>
    /// SQLite by default; PostgreSQL when <c>Storage:Provider=Postgres</c> (it replaces the stores SQLite registered).
    /// Call after <c>AddCoaching()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteStorage();
        builder.AddPostgresStorage();
        return builder;
    }
}
