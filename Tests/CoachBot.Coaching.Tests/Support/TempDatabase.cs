using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>A real SQLite file in a private temporary folder, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coachbot-test-");

    public TempDatabase()
    {
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DatabasePath = System.IO.Path.Combine(_directory.FullName, "test.db") });
        Database = new SqliteDatabase(Options);
    }

    public IOptions<StorageOptions> Options { get; }

    public SqliteDatabase Database { get; }

    public string Path => Database.Path;

    public void Dispose()
    {
        Database.ReleasePooledConnections();
        _directory.Delete(recursive: true);
    }
}
