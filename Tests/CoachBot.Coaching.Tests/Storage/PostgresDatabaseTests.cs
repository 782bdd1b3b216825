using System.Net;
using System.Net.Sockets;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>The PostgreSQL database: migrations under an advisory lock, and clear messages when the server cannot be used.</summary>
public sealed class PostgresDatabaseTests
{
    [PostgresFact]
    public async Task Migrate_FourInstancesStartingTogether_ApplyEachVersionOnce()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(storage.PostgresConnectionString)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(i => Task.Run(() => i.MigrateAsync(default))));

            Assert.Equal([1, 8, 9, 10, 11, 12, 13, 14, 15, 16], await instances[0].AppliedVersionsAsync(default));
            await using var connection = await instances[3].OpenConnectionAsync(default);
            Assert.Equal(10, await connection.ValueAsync<int>("SELECT COUNT(*) FROM schema_migrations;", default));
            Assert.Equal(0, await connection.ValueAsync<int>("SELECT COUNT(*) FROM turns;", default));
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public void Description_OfAConnectionString_NamesTheDatabaseAndHostButNotTheLogin()
    {
        using var database = new PostgresDatabase("Host=db.example;Port=5433;Database=coachbot;Username=bot;Password=hunter2");

        Assert.Equal(new StorageDescription("postgres", "coachbot", "db.example:5433"), database.Description);
    }

    [PostgresFact]
    public async Task StorageStatus_HostOnPostgres_IsThePostgresDatabaseWithItsSchemaVersion()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = storage.PostgresConnectionString,
        });
        builder.AddCoaching();
        builder.AddSqliteStorage();
        builder.AddPostgresStorage();
        using var host = builder.Build();

        var status = host.Services.GetRequiredService<IStorageStatus>();

        Assert.Equal("postgres", status.Description.Provider);
        Assert.Equal(new NpgsqlConnectionStringBuilder(storage.PostgresConnectionString).Database, status.Description.Database);
        Assert.Equal(16, await status.GetSchemaVersionAsync(default));
        Assert.IsType<PostgresKnowledgeStore>(host.Services.GetRequiredService<CoachBot.Coaching.Knowledge.IKnowledgeStore>());
    }

    [Fact]
    public async Task Open_NoServerListening_SaysWhereItLookedAndWhatToCheck()
    {
        var port = UnusedPort();
        using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Database=coachbot;Username=bot;Password=secret;Timeout=5");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.OpenConnectionAsync(default));

        Assert.Contains($"PostgreSQL at 127.0.0.1:{port}/coachbot cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check Storage:ConnectionString and that the server is running", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Open_WrongPassword_SaysTheServerRefusedIt()
    {
        var wrong = new NpgsqlConnectionStringBuilder(TestPostgres.Required()) { Password = "not-the-password" }.ToString();
        using var database = new PostgresDatabase(wrong);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.OpenConnectionAsync(default));

        Assert.Contains("refused the connection", error.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NotAConnectionString_SaysWhichSettingIsWrong()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgresDatabase("postgres://bot@db/coachbot"));

        Assert.Contains("Storage:ConnectionString is not a PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
