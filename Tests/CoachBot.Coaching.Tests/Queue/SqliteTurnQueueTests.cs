using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Queue;

public sealed class SqliteTurnQueueTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyTwice_StoresOneTurn()
    {
        using var queue = Queue();

        Assert.True(await queue.EnqueueAsync(Turn("slack:Ev1"), default));
        Assert.False(await queue.EnqueueAsync(Turn("slack:Ev1"), default));

        Assert.Equal(1, (await queue.CountsAsync(default))["pending"]);
    }

    [Fact]
    public async Task Claim_TwoClaims_NeverHandOutTheSameTurn()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("a"), default);

        var first = await queue.ClaimAsync(default);
        var second = await queue.ClaimAsync(default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("a", first.Turn.IdempotencyKey);
        Assert.Equal(1, first.Attempt);
    }

    [Fact]
    public async Task Claim_ExpiredLease_MakesTheTurnClaimableAgain()
    {
        using var queue = Queue(leaseSeconds: 60);
        await queue.EnqueueAsync(Turn("a"), default);
        await queue.ClaimAsync(default);

        _time.Advance(TimeSpan.FromSeconds(61));
        var again = await queue.ClaimAsync(default);

        Assert.NotNull(again);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Fail_BelowMaxAttempts_RetriesAfterBackoffThenFailsForGood()
    {
        using var queue = Queue(maxAttempts: 2, retryDelaySeconds: 10);
        await queue.EnqueueAsync(Turn("a"), default);

        var first = await queue.ClaimAsync(default);
        Assert.True(await queue.FailAsync(first!.Id, "boom", default));
        Assert.Null(await queue.ClaimAsync(default));

        _time.Advance(TimeSpan.FromSeconds(11));
        var second = await queue.ClaimAsync(default);
        Assert.False(await queue.FailAsync(second!.Id, "boom again", default));

        Assert.Equal(1, (await queue.CountsAsync(default))["failed"]);
    }

    [Fact]
    public async Task SaveResult_ThenRecoverAfterCrash_HandsBackTheStoredResult()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("a"), default);
        var claimed = await queue.ClaimAsync(default);
        await queue.SaveResultAsync(claimed!.Id, "{\"kind\":\"Text\"}", default);

        // A new process starts on the same file.
        using var restarted = Queue();
        Assert.Equal(1, await restarted.RecoverAbandonedAsync(default));
        var again = await restarted.ClaimAsync(default);

        Assert.Equal("{\"kind\":\"Text\"}", again!.Result);
        await restarted.CompleteAsync(again.Id, default);
        Assert.Equal(1, (await restarted.CountsAsync(default))["done"]);
    }

    [Fact]
    public async Task Release_OnShutdown_DoesNotCountTheAttempt()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("a"), default);
        var claimed = await queue.ClaimAsync(default);

        await queue.ReleaseAsync(claimed!.Id, default);
        var again = await queue.ClaimAsync(default);

        Assert.Equal(1, again!.Attempt);
    }

    [Fact]
    public async Task ForgetFinished_OldFinishedTurns_LoseTheirAnswerButKeepTheirKey()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("old") with { Text = "My secret answer." }, default);
        var old = await queue.ClaimAsync(default);
        await queue.SaveResultAsync(old!.Id, "{\"text\":\"report\"}", default);
        await queue.CompleteAsync(old.Id, default);
        _time.Advance(TimeSpan.FromDays(8));
        await queue.EnqueueAsync(Turn("waiting") with { Text = "Still to coach." }, default);

        var cleared = await queue.ForgetFinishedAsync(_time.GetUtcNow().AddDays(-7), default);

        Assert.Equal(1, cleared);
        Assert.False(await queue.EnqueueAsync(Turn("old"), default));
        await using var connection = await _db.Database.OpenAsync(default);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT idempotency_key, payload, result FROM turns ORDER BY id;";
        await using var rows = await read.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());
        Assert.Equal(("old", "{}", true), (rows.GetString(0), rows.GetString(1), rows.IsDBNull(2)));
        Assert.True(await rows.ReadAsync());
        Assert.Contains("Still to coach.", rows.GetString(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_RoundTripsTheWholeTurn()
    {
        using var queue = Queue();
        var turn = Turn("a") with
        {
            Audio = new AudioReference("https://files.example/voice.m4a", "audio/mp4", "voice.m4a", 1234),
            Reply = new Dictionary<string, string> { ["ts"] = "1700000000.000100" },
        };
        await queue.EnqueueAsync(turn, default);

        var claimed = await queue.ClaimAsync(default);

        Assert.Equal(turn.Audio, claimed!.Turn.Audio);
        Assert.Equal("1700000000.000100", claimed.Turn.Reply["ts"]);
        Assert.Equal(TurnIntent.Answer, claimed.Turn.Intent);
    }

    [Fact]
    public async Task Held_TurnIsNotClaimedUntilReleased_AndCarriesTheReleasedRouting()
    {
        using var queue = Queue();
        Assert.True(await queue.EnqueueAsync(Turn("held"), TimeSpan.FromSeconds(10), default));
        Assert.False(await queue.EnqueueAsync(Turn("held"), TimeSpan.FromSeconds(10), default));

        Assert.Null(await queue.ClaimAsync(default));
        Assert.True(await queue.ReleaseHeldAsync("held", new Dictionary<string, string> { ["placeholder"] = "P1" }, default));

        var claimed = await queue.ClaimAsync(default);
        Assert.NotNull(claimed);
        Assert.Equal("P1", claimed.Turn.Reply["placeholder"]);
    }

    [Fact]
    public async Task Held_NeverReleased_IsClaimedWhenTheHoldExpires_AndALateReleaseChangesNothing()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("crashed-adapter"), TimeSpan.FromSeconds(10), default);

        _time.Advance(TimeSpan.FromSeconds(11));
        var claimed = await queue.ClaimAsync(default);

        Assert.NotNull(claimed);
        Assert.False(await queue.ReleaseHeldAsync("crashed-adapter", new Dictionary<string, string> { ["placeholder"] = "late" }, default));
        Assert.Empty(claimed.Turn.Reply);
    }

    [Fact]
    public async Task DurableRouting_LeavesOutThePlaceholderAndTheSender()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("routed") with { Reply = new Dictionary<string, string> { ["serviceUrl"] = "https://s", ["sender.name"] = "Ada" } }, TimeSpan.FromSeconds(10), default);
        await queue.ReleaseHeldAsync("routed", new Dictionary<string, string> { ["placeholderId"] = "P1" }, default);

        var turn = (await queue.ClaimAsync(default))!.Turn;
        var durable = TurnRouting.Durable(turn.Reply);

        Assert.Equal("P1", turn.Reply["placeholderId"]);
        Assert.Equal(["serviceUrl"], durable.Keys);
    }

    [Fact]
    public async Task Claim_PersonWhoseEarlierTurnIsRunning_WaitsWhileOtherPeoplesTurnsAreClaimed()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("a1", "UA"), default);
        await queue.EnqueueAsync(Turn("a2", "UA"), default);
        await queue.EnqueueAsync(Turn("b1", "UB"), default);

        var first = await queue.ClaimAsync(default);
        var second = await queue.ClaimAsync(default);
        var none = await queue.ClaimAsync(default);
        await queue.CompleteAsync(first!.Id, default);
        var third = await queue.ClaimAsync(default);

        Assert.Equal("a1", first.Turn.IdempotencyKey);
        Assert.Equal("b1", second!.Turn.IdempotencyKey);
        Assert.Null(none);
        Assert.Equal("a2", third!.Turn.IdempotencyKey);
    }

    [Fact]
    public async Task Claim_EarlierTurnWaitingForItsRetry_HoldsBackThatPersonsNextTurn()
    {
        using var queue = Queue(retryDelaySeconds: 10);
        await queue.EnqueueAsync(Turn("a1", "UA"), default);
        await queue.EnqueueAsync(Turn("a2", "UA"), default);

        var first = await queue.ClaimAsync(default);
        Assert.True(await queue.FailAsync(first!.Id, "provider down", default));

        Assert.Null(await queue.ClaimAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("a1", (await queue.ClaimAsync(default))!.Turn.IdempotencyKey);
    }

    [Fact]
    public async Task Claim_TurnsOfOneGroupRound_AreClaimedOneAfterAnother()
    {
        using var queue = Queue();
        await queue.EnqueueAsync(Turn("r1", "UA") with { RoundId = 7 }, default);
        await queue.EnqueueAsync(Turn("r2", "UB") with { RoundId = 7 }, default);
        await queue.EnqueueAsync(Turn("other", "UC") with { RoundId = 8 }, default);

        var first = await queue.ClaimAsync(default);
        var second = await queue.ClaimAsync(default);

        Assert.Equal("r1", first!.Turn.IdempotencyKey);
        Assert.Equal("other", second!.Turn.IdempotencyKey);
        Assert.Null(await queue.ClaimAsync(default));
    }

    [Fact]
    public async Task Enqueue_ManyAtOnceWithDuplicates_StoresEachTurnOnceBeforeAnsweringItsCaller()
    {
        using var queue = Queue();

        // 200 callers at once, every key twice: the group commit keeps de-duplication exact.
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => queue.EnqueueAsync(Turn($"burst-{i % 100}", $"U{i % 100}"), default))));

        Assert.Equal(100, results.Count(stored => stored));
        Assert.Equal(100, await CountFromAnotherConnectionAsync());
    }

    [Fact]
    public async Task Enqueue_WhileAnotherWriterHoldsTheLock_AnswersOnlyOnceTheTurnIsStored()
    {
        var patient = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = _db.Path, BusyTimeoutMilliseconds = 120_000 }));
        using var queue = new SqliteTurnQueue(patient, Options.Create(new TurnQueueOptions()), _time);
        Assert.True(await queue.EnqueueAsync(Turn("first"), default));
        await using var other = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await other.OpenAsync();
        await using var locked = other.BeginTransaction(deferred: false);

        var enqueue = queue.EnqueueAsync(Turn("second", "U2"), default);
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

    private SqliteTurnQueue Queue(int maxAttempts = 3, int leaseSeconds = 600, double retryDelaySeconds = 2) =>
        new(_db.Database, Options.Create(new TurnQueueOptions { MaxAttempts = maxAttempts, LeaseSeconds = leaseSeconds, RetryDelaySeconds = retryDelaySeconds }), _time);

    private static CoachingTurn Turn(string key, string user = "U1") => new()
    {
        Channel = "test",
        UserId = user,
        ConversationId = "C1",
        Intent = TurnIntent.Answer,
        Text = "An answer.",
        IdempotencyKey = key,
    };
}
