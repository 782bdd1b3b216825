using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>What only the SQLite queue does (its single writer); the behaviour every provider shares is in <see cref="TurnQueueTests"/>.</summary>
public sealed class SqliteTurnQueueTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Enqueue_WhileAnotherWriterHoldsTheLock_AnswersOnlyOnceTheTurnIsStored()
    {
        var patient = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = _db.Path, BusyTimeoutMilliseconds = 120_000 }));
        using var queue = new SqliteTurnQueue(patient, Options.Create(new TurnQueueOptions()), _time);
        Assert.True(await queue.EnqueueAsync(TurnQueueTests.Turn("first"), default));
        await using var other = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await other.OpenAsync();
        await using var locked = other.BeginTransaction(deferred: false);

        var enqueue = queue.EnqueueAsync(TurnQueueTests.Turn("second", "U2"), default);
        await Task.Delay(200);
        Assert.False(enqueue.IsCompleted);
        await locked.CommitAsync();

        Assert.True(await enqueue);
        Assert.Equal(2, await CountFromAnotherConnectionAsync());
    }

    private async Task<long> CountFromAnotherConnectionAsync()
    {
        await using var reader = new SqliteConnection($"Data Source={_db.Path};Pooling=False;Mode=ReadOnly");
        await reader.OpenAsync();
        await using var count = reader.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM turns;";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
