using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>The turn queue's behaviour, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class TurnQueueTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task Enqueue_SameIdempotencyKeyTwice_StoresOneTurn(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);

        Assert.True(await queue.EnqueueAsync(Turn("slack:Ev1"), default));
        Assert.False(await queue.EnqueueAsync(Turn("slack:Ev1"), default));

        Assert.Equal(1, (await queue.CountsAsync(default))["pending"]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_TwoClaims_NeverHandOutTheSameTurn(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("a"), default);

        var first = await queue.ClaimAsync(default);
        var second = await queue.ClaimAsync(default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("a", first.Turn.IdempotencyKey);
        Assert.Equal(1, first.Attempt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_ExpiredLease_MakesTheTurnClaimableAgain(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time, leaseSeconds: 60);
        await queue.EnqueueAsync(Turn("a"), default);
        await queue.ClaimAsync(default);

        _time.Advance(TimeSpan.FromSeconds(61));
        var again = await queue.ClaimAsync(default);

        Assert.NotNull(again);
        Assert.Equal(2, again.Attempt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Fail_BelowMaxAttempts_RetriesAfterBackoffThenFailsForGood(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time, maxAttempts: 2, retryDelaySeconds: 10);
        await queue.EnqueueAsync(Turn("a"), default);

        var first = await queue.ClaimAsync(default);
        Assert.True(await queue.FailAsync(first!.Id, "boom", default));
        Assert.Null(await queue.ClaimAsync(default));

        _time.Advance(TimeSpan.FromSeconds(11));
        var second = await queue.ClaimAsync(default);
        Assert.False(await queue.FailAsync(second!.Id, "boom again", default));

        Assert.Equal(1, (await queue.CountsAsync(default))["failed"]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SaveResult_ThenRecoverAfterCrash_HandsBackTheStoredResult(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("a"), default);
        var claimed = await queue.ClaimAsync(default);
        await queue.SaveResultAsync(claimed!.Id, "{\"kind\":\"Text\"}", default);

        // A new process starts on the same database (under the same instance name).
        using var restarted = storage.Queue(_time);
        Assert.Equal(1, await restarted.RecoverAbandonedAsync(default));
        var again = await restarted.ClaimAsync(default);

        Assert.Equal("{\"kind\":\"Text\"}", again!.Result);
        await restarted.CompleteAsync(again.Id, default);
        Assert.Equal(1, (await restarted.CountsAsync(default))["done"]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Release_OnShutdown_DoesNotCountTheAttempt(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("a"), default);
        var claimed = await queue.ClaimAsync(default);

        await queue.ReleaseAsync(claimed!.Id, default);
        var again = await queue.ClaimAsync(default);

        Assert.Equal(1, again!.Attempt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ForgetFinished_OldFinishedTurns_LoseTheirAnswerButKeepTheirKey(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("old") with { Text = "My secret answer." }, default);
        var old = await queue.ClaimAsync(default);
        await queue.SaveResultAsync(old!.Id, "{\"text\":\"report\"}", default);
        await queue.CompleteAsync(old.Id, default);
        _time.Advance(TimeSpan.FromDays(8));
        await queue.EnqueueAsync(Turn("waiting") with { Text = "Still to coach." }, default);

        var cleared = await queue.ForgetFinishedAsync(_time.GetUtcNow().AddDays(-7), default);

        Assert.Equal(1, cleared);
        Assert.False(await queue.EnqueueAsync(Turn("old"), default));
        var rows = await storage.TurnsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("old", "{}", (string?)null), (rows[0].Key, rows[0].Payload, rows[0].Result));
        Assert.Contains("Still to coach.", rows[1].Payload, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Enqueue_RoundTripsTheWholeTurn(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Held_TurnIsNotClaimedUntilReleased_AndCarriesTheReleasedRouting(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        Assert.True(await queue.EnqueueAsync(Turn("held"), TimeSpan.FromSeconds(10), default));
        Assert.False(await queue.EnqueueAsync(Turn("held"), TimeSpan.FromSeconds(10), default));

        Assert.Null(await queue.ClaimAsync(default));
        Assert.True(await queue.ReleaseHeldAsync("held", new Dictionary<string, string> { ["placeholder"] = "P1" }, default));

        var claimed = await queue.ClaimAsync(default);
        Assert.NotNull(claimed);
        Assert.Equal("P1", claimed.Turn.Reply["placeholder"]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Held_NeverReleased_IsClaimedWhenTheHoldExpires_AndALateReleaseChangesNothing(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("crashed-adapter"), TimeSpan.FromSeconds(10), default);

        _time.Advance(TimeSpan.FromSeconds(11));
        var claimed = await queue.ClaimAsync(default);

        Assert.NotNull(claimed);
        Assert.False(await queue.ReleaseHeldAsync("crashed-adapter", new Dictionary<string, string> { ["placeholder"] = "late" }, default));
        Assert.Empty(claimed.Turn.Reply);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DurableRouting_LeavesOutThePlaceholderAndTheSender(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("routed") with { Reply = new Dictionary<string, string> { ["serviceUrl"] = "https://s", ["sender.name"] = "Ada" } }, TimeSpan.FromSeconds(10), default);
        await queue.ReleaseHeldAsync("routed", new Dictionary<string, string> { ["placeholderId"] = "P1" }, default);

        var turn = (await queue.ClaimAsync(default))!.Turn;
        var durable = TurnRouting.Durable(turn.Reply);

        Assert.Equal("P1", turn.Reply["placeholderId"]);
        Assert.Equal(["serviceUrl"], durable.Keys);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_PersonWhoseEarlierTurnIsRunning_WaitsWhileOtherPeoplesTurnsAreClaimed(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_EarlierTurnWaitingForItsRetry_HoldsBackThatPersonsNextTurn(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time, retryDelaySeconds: 10);
        await queue.EnqueueAsync(Turn("a1", "UA"), default);
        await queue.EnqueueAsync(Turn("a2", "UA"), default);

        var first = await queue.ClaimAsync(default);
        Assert.True(await queue.FailAsync(first!.Id, "provider down", default));

        Assert.Null(await queue.ClaimAsync(default));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("a1", (await queue.ClaimAsync(default))!.Turn.IdempotencyKey);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_TurnsOfOneGroupRound_AreClaimedOneAfterAnother(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        await queue.EnqueueAsync(Turn("r1", "UA") with { RoundId = 7 }, default);
        await queue.EnqueueAsync(Turn("r2", "UB") with { RoundId = 7 }, default);
        await queue.EnqueueAsync(Turn("other", "UC") with { RoundId = 8 }, default);

        var first = await queue.ClaimAsync(default);
        var second = await queue.ClaimAsync(default);

        Assert.Equal("r1", first!.Turn.IdempotencyKey);
        Assert.Equal("other", second!.Turn.IdempotencyKey);
        Assert.Null(await queue.ClaimAsync(default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Enqueue_ManyAtOnceWithDuplicates_StoresEachTurnOnceBeforeAnsweringItsCaller(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);

        // 200 callers at once, every key twice: de-duplication stays exact (SQLite: in one group commit).
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => queue.EnqueueAsync(Turn($"burst-{i % 100}", $"U{i % 100}"), default))));

        Assert.Equal(100, results.Count(stored => stored));
        Assert.Equal(100, (await storage.TurnsAsync()).Count);
    }

    internal static CoachingTurn Turn(string key, string user = "U1") => new()
    {
        Channel = "test",
        UserId = user,
        ConversationId = "C1",
        Intent = TurnIntent.Answer,
        Text = "An answer.",
        IdempotencyKey = key,
    };
}
