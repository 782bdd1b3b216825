using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Storage;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>Start-up refuses storage settings that cannot work, with one message saying what to change.</summary>
public sealed class StorageOptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultSettings_AreSqliteAndPass()
    {
        var options = Resolve([]);

        Assert.Equal(StorageProviders.Sqlite, options.Provider);
    }

    [Fact]
    public void Validate_UnknownProvider_NamesTheTwoThatExist()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Storage:Provider"] = "Mongo" }));

        Assert.Contains("Storage:Provider is 'Mongo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sqlite' (the default) or 'Postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresWithoutConnectionString_SaysWhichSettingToSet()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Storage:Provider"] = "Postgres" }));

        Assert.Contains("Storage:ConnectionString is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresWithAMalformedConnectionString_SaysItCannotBeRead()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = "Host=db;Port=not-a-number",
        }));

        Assert.Contains("Storage:ConnectionString is not a PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresHoldingEveryStore_Passes()
    {
        var options = Resolve(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db.example;Port=5432;Database=coachbot;Username=bot;Password=secret",
        });

        Assert.Equal("Postgres", options.Provider);
    }

    [Fact]
    public void Validate_AProviderThatDoesNotHoldEveryStore_RefusesAndListsWhatIsMissing()
    {
        var partial = new StorageProviderSupport(StorageProviders.Postgres, [StorageProviders.Stores.TurnQueue, StorageProviders.Stores.Sessions], _ => null);
        var validator = new StorageOptionsValidator([partial]);

        var result = validator.Validate(null, new StorageOptions
        {
            Provider = "Postgres", ConnectionString = "Host=db.example;Port=5432;Database=coachbot;Username=bot;Password=secret",
        });

        Assert.True(result.Failed);
        Assert.Contains("the turn queue and practice sessions and attempts run on it", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("and the knowledge store are still SQLite-only", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresInAProgramComposedWithoutTheProvider_SaysSo()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db.example;Database=coachbot",
        }, withPostgres: false));

        Assert.Contains("without the PostgreSQL provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresWithoutRecordingsSigningKey_RefusesAndSaysHowToSetIt()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ResolveRecordings(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db.example;Database=coachbot;Username=bot;Password=secret",
        }));

        Assert.Contains("Recordings:SigningKey is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("a link signed on one instance would be refused by the others", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recordings__SigningKey=\"$(openssl rand -base64 32)\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message.Replace("kept as a secret", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgresWithRecordingsSigningKey_AcceptsIt()
    {
        var key = Convert.ToBase64String(new byte[32]);

        var options = ResolveRecordings(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db.example;Database=coachbot",
            ["Recordings:SigningKey"] = key,
        });

        Assert.Equal(key, options.SigningKey);
    }

    [Fact]
    public void Validate_SqliteWithoutRecordingsSigningKey_AcceptsIt()
    {
        var options = ResolveRecordings([]);

        Assert.Null(options.SigningKey);
    }

    private static RecordingOptions ResolveRecordings(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoaching();
        builder.AddSqliteStorage();
        builder.AddPostgresStorage();

        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<RecordingOptions>>().Value;
    }

    private static StorageOptions Resolve(Dictionary<string, string?> settings, bool withPostgres = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoaching();
        builder.AddSqliteStorage();
        if (withPostgres)
        {
            builder.AddPostgresStorage();
        }

        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
