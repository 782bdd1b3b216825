using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>Feedback kept for a Teams member, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class PendingFeedbackStoreTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task ForUser_KeptOnOneInstance_IsFoundOnAnother_OldestFirst_OnePerTurn(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var a = storage.PendingFeedback(_time);
        var b = storage.PendingFeedback(_time);
        await a.AddAsync("29:ana", "turn-1", "{\"text\":\"first\"}", default);
        _time.Advance(TimeSpan.FromMinutes(1));
        await a.AddAsync("29:ana", "turn-2", "{\"text\":\"second\"}", default);
        await a.AddAsync("29:ben", "turn-3", "{\"text\":\"ben's\"}", default);
        _time.Advance(TimeSpan.FromMinutes(1));
        // The same turn's card stored again (a retried delivery) replaces the first, it is not kept twice.
        await b.AddAsync("29:ana", "turn-2", "{\"text\":\"second, again\"}", default);

        var kept = await b.ForUserAsync("29:ana", _time.GetUtcNow().AddDays(-14), default);

        Assert.Equal([("turn-1", "{\"text\":\"first\"}"), ("turn-2", "{\"text\":\"second, again\"}")], kept);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Expiry_FeedbackOlderThanTheWindow_IsDeletedAndNotSent_NewerStays(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.PendingFeedback(_time);
        await store.AddAsync("29:old", "turn-old", "{}", default);
        await store.AddAsync("29:ana", "turn-old-ana", "{}", default);
        _time.Advance(TimeSpan.FromDays(10));
        await store.AddAsync("29:new", "turn-new", "{}", default);
        _time.Advance(TimeSpan.FromDays(5));
        var window = _time.GetUtcNow().AddDays(-14);

        var deleted = await store.DeleteOlderThanAsync(window, default);
        var forAna = await store.ForUserAsync("29:ana", window, default);

        Assert.Equal(2, deleted);
        Assert.Empty(forAna);
        Assert.Single(await store.ForUserAsync("29:new", window, default));
        Assert.Empty(await store.ForUserAsync("29:old", window, default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ForUser_FeedbackPastTheWindow_IsNotSent_AndIsDeletedOnTheWay(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.PendingFeedback(_time);
        await store.AddAsync("29:ana", "turn-old", "{}", default);
        await store.AddAsync("29:ben", "turn-old", "{}", default);
        _time.Advance(TimeSpan.FromDays(15));
        var window = _time.GetUtcNow().AddDays(-14);

        var forAna = await store.ForUserAsync("29:ana", window, default);

        Assert.Empty(forAna);
        Assert.Equal(0, await store.DeleteOlderThanAsync(window, default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Remove_OneSentTurn_OrEverythingOnForgetMe_LeavesOthersAlone(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var store = storage.PendingFeedback(_time);
        await store.AddAsync("29:ana", "turn-1", "{}", default);
        await store.AddAsync("29:ana", "turn-2", "{}", default);
        await store.AddAsync("29:ana", "turn-3", "{}", default);
        await store.AddAsync("29:ben", "turn-4", "{}", default);
        var window = _time.GetUtcNow().AddDays(-14);

        await store.RemoveAsync("29:ana", "turn-2", default);
        var afterSend = (await store.ForUserAsync("29:ana", window, default)).Select(k => k.TurnKey);
        await store.RemoveAsync("29:ana", null, default);

        Assert.Equal(["turn-1", "turn-3"], afterSend);
        Assert.Empty(await store.ForUserAsync("29:ana", window, default));
        Assert.Single(await store.ForUserAsync("29:ben", window, default));
    }
}
