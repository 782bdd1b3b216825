using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using CoachBot.Coaching.Plans;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Storage.Sqlite;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>
/// The coaching core holds the stores' interfaces and no SQL: the SQL implementation (CoachBot.Storage) and each
/// provider (CoachBot.Storage.Sqlite, CoachBot.Storage.Postgres) are assemblies of their own that reference the core,
/// never the other way round.
/// </summary>
public sealed class StorageLayeringTests
{
    private static readonly string[] DatabaseAssemblies =
        ["CoachBot.Storage", "CoachBot.Storage.Sqlite", "CoachBot.Storage.Postgres", "Microsoft.Data.Sqlite", "Npgsql", "SQLitePCLRaw.core"];

    [Fact]
    public void CoachingCore_ReferencesNoStorageOrDatabaseAssembly()
    {
        var core = typeof(IPlanStore).Assembly;

        var referenced = core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal("CoachBot.Coaching", core.GetName().Name);
        Assert.Empty(referenced.Intersect(DatabaseAssemblies, StringComparer.Ordinal));
        Assert.DoesNotContain(core.GetTypes(), t => t.Namespace?.StartsWith("CoachBot.Storage", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void CoachingCore_HoldsNoSqlStatement()
    {
        // Every string literal the core compiles (the #US heap) is scanned for the shapes of SQL statements.
        var core = typeof(IPlanStore).Assembly;
        var strings = UserStrings(core);

        Assert.NotEmpty(strings);
        Assert.DoesNotContain(strings, s =>
            s.Contains("SELECT ", StringComparison.Ordinal) && s.Contains(" FROM ", StringComparison.Ordinal) ||
            s.Contains("INSERT INTO ", StringComparison.Ordinal) ||
            s.Contains("UPDATE ", StringComparison.Ordinal) && s.Contains(" SET ", StringComparison.Ordinal) && s.Contains(" WHERE ", StringComparison.Ordinal) ||
            s.Contains("DELETE FROM ", StringComparison.Ordinal));
    }

    [Fact]
    public void Providers_ReferenceTheSharedSqlAssembly_WhichReferencesTheCore()
    {
        var shared = typeof(SqlPlanStore).Assembly;
        var sqlite = typeof(SqliteDatabase).Assembly;
        var postgres = typeof(PostgresStorageExtensions).Assembly;

        Assert.Equal("CoachBot.Storage", shared.GetName().Name);
        Assert.Contains(shared.GetReferencedAssemblies(), a => a.Name == "CoachBot.Coaching");
        Assert.DoesNotContain(shared.GetReferencedAssemblies(), a => a.Name is "Microsoft.Data.Sqlite" or "Npgsql");
        Assert.Contains(sqlite.GetReferencedAssemblies(), a => a.Name == "CoachBot.Storage");
        Assert.Contains(postgres.GetReferencedAssemblies(), a => a.Name == "CoachBot.Storage");
    }

    private static List<string> UserStrings(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        var strings = new List<string>();
        var handle = MetadataTokens.UserStringHandle(1);
        while (!handle.IsNil)
        {
            strings.Add(metadata.GetUserString(handle));
            handle = metadata.GetNextHandle(handle);
        }

        return strings;
    }
}
