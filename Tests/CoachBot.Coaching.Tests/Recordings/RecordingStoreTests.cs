using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;
using CoachBot.Storage.Sqlite;

namespace CoachBot.Coaching.Tests.Recordings;

/// <summary>Recordings uploaded to the recorder page, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class RecordingStoreTests : IDisposable
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TempFolder _turn = new();

    public void Dispose() => _turn.Dispose();

    [Theory, OnSqlite, OnPostgres]
    public async Task Save_OnOneInstance_IsCoachedFromAnother_ByteForByte_ThenDeleted(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var received = storage.Recordings(_time);
        var coaching = storage.Recordings(_time);
        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();

        var reference = await received.SaveAsync(new MemoryStream(bytes), "audio/webm", "answer.webm", default);
        var copied = await coaching.CopyToAsync(reference.Location, _turn.Path, default);
        await coaching.DeleteAsync(reference.Location, default);

        Assert.Equal(200_000, reference.SizeBytes);
        Assert.True(coaching.Owns(reference.Location));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(copied!));
        Assert.StartsWith(_turn.Path, copied, StringComparison.Ordinal);
        Assert.Null(await received.CopyToAsync(reference.Location, _turn.Path, default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Save_TooLargeOrEmpty_IsRefusedWithTheUsersMessage_AndNothingIsStored(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.Recordings(_time, maxBytes: 4096);

        var large = await Assert.ThrowsAsync<AudioRejectedException>(() => store.SaveAsync(new MemoryStream(new byte[4097]), "audio/webm", null, default));
        var empty = await Assert.ThrowsAsync<AudioRejectedException>(() => store.SaveAsync(new MemoryStream(), "audio/webm", null, default));

        Assert.Equal("audio_too_large", large.Code);
        Assert.Contains("Please record a shorter answer", large.Message, StringComparison.Ordinal);
        Assert.Equal("audio_empty", empty.Code);
        Assert.Equal(0, await CountAsync(storage));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task CopyTo_ALocationThatIsNotAStoredRecording_FindsNothing(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.Recordings(_time);

        Assert.Null(await store.CopyToAsync("recording:../../etc/passwd", _turn.Path, default));
        Assert.Null(await store.CopyToAsync("recording:" + Guid.NewGuid().ToString("N"), _turn.Path, default));
        Assert.Null(await store.CopyToAsync("/etc/passwd", _turn.Path, default));
        Assert.Empty(Directory.GetFiles(_turn.Path));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeleteOlderThan_RecordingsOfTurnsThatFailedForGood_GoAfterADay_NewerStay(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.Recordings(_time);
        var old = await store.SaveAsync(new MemoryStream([1, 2, 3]), "audio/webm", null, default);
        _time.Advance(TimeSpan.FromHours(20));
        var recent = await store.SaveAsync(new MemoryStream([4, 5, 6]), "audio/webm", null, default);
        _time.Advance(TimeSpan.FromHours(5));

        var deleted = await store.DeleteOlderThanAsync(_time.GetUtcNow().AddDays(-1), default);

        Assert.Equal(1, deleted);
        Assert.Null(await store.CopyToAsync(old.Location, _turn.Path, default));
        Assert.NotNull(await store.CopyToAsync(recent.Location, _turn.Path, default));
    }

    [Fact]
    public async Task Sqlite_ARecordingKeptAsAFileByAnEarlierVersion_IsStillCoachedThenDeleted_AndSweptWhenOld()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Sqlite);
        var store = storage.Recordings(_time);
        var legacy = Path.Combine(Path.GetDirectoryName(((SqliteDatabase)storage.Database()).Path)!, "recordings");
        Directory.CreateDirectory(legacy);
        var waiting = Guid.NewGuid().ToString("N");
        var abandoned = Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(Path.Combine(legacy, waiting), [1, 2, 3]);
        await File.WriteAllBytesAsync(Path.Combine(legacy, abandoned), [4, 5, 6]);
        File.SetLastWriteTimeUtc(Path.Combine(legacy, abandoned), _time.GetUtcNow().AddDays(-2).UtcDateTime);

        var found = await store.CopyToAsync("recording:" + waiting, _turn.Path, default);
        var foundBytes = await File.ReadAllBytesAsync(found!);
        await store.DeleteAsync("recording:" + waiting, default);
        var swept = await store.DeleteOlderThanAsync(_time.GetUtcNow().AddDays(-1), default);

        Assert.Equal([1, 2, 3], foundBytes);
        Assert.Equal(1, swept);
        Assert.Empty(Directory.GetFiles(legacy));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Upload_TheSameGrantSentToTwoInstances_IsQueuedOnce(string provider)
    {
        // A recorder grant's nonce is the turn's key, unique in the shared queue: a replayed upload is refused wherever it lands.
        await using var storage = await TestStorage.CreateAsync(provider);
        using var a = storage.Queue(_time, instance: "instance-a");
        using var b = storage.Queue(_time, instance: "instance-b");
        var turn = new CoachingTurn
        {
            Channel = "dev", UserId = "U1", ConversationId = "C1", Intent = TurnIntent.Answer, FromRecorder = true,
            Audio = new AudioReference("recording:" + Guid.NewGuid().ToString("N"), "audio/webm", null, 3),
            IdempotencyKey = "recording:nonce-1", ReceivedAt = _time.GetUtcNow(),
        };

        var queued = await Task.WhenAll(a.EnqueueAsync(turn, default), b.EnqueueAsync(turn, default));

        Assert.Single(queued, q => q);
        Assert.Single(await storage.TurnsAsync());
    }

    private static async Task<long> CountAsync(TestStorage storage)
    {
        await using var connection = await storage.Database().OpenConnectionAsync(default);
        return await connection.ValueAsync<long>("SELECT COUNT(*) FROM recordings;", default);
    }
}
