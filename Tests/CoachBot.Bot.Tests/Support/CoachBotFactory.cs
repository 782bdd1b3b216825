using CoachBot.Coaching.Pipeline;
using CoachBot.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Support;

/// <summary>
/// The real bot host (<c>Program</c>) over a SQLite file in a private folder. Tests add settings and services;
/// several factories may share one database path to play a restart.
/// </summary>
public sealed class CoachBotFactory(string databasePath) : WebApplicationFactory<Program>
{
    // Relative data paths (the Whisper model) stay in the test's folder rather than the repository's data/.
    private readonly Dictionary<string, string?> _settings = new() { ["Storage:DatabasePath"] = databasePath, ["CoachBot:DataRoot"] = Path.GetDirectoryName(databasePath) };
    private readonly List<Action<IServiceCollection>> _services = [];
    private string _environment = "Development";

    public CoachBotFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public CoachBotFactory WithEnvironment(string environment)
    {
        _environment = environment;
        return this;
    }

    public CoachBotFactory WithReplier(ITurnReplier replier) => WithServices(s => s.AddSingleton(replier));

    public CoachBotFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // Only this test's database: clearing every pool in the process would disturb tests running alongside.
        new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = databasePath })).ReleasePooledConnections();
    }
}

/// <summary>A private folder for a test's database and files.</summary>
public sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coachbot-bot-");

    public string Path => _directory.FullName;

    public string File(string name) => System.IO.Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
