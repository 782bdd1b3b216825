using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>The delivery ledger, the same on every storage provider (a SQLite file, the test PostgreSQL).</summary>
public sealed class DeliveryLedgerTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task Begin_NewSlot_IsNewAndAgainWithoutAnIdIsInDoubt(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var ledger = storage.Ledger(_time);

        var first = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "D1", "1700000001.000001", null, default);
        // A second process on the same database: the post was started and never came back.
        var again = await storage.Ledger(_time).BeginAsync("slack:Ev1", DeliverySlots.Main, "C9", null, null, default);

        Assert.Equal(DeliveryState.New, first.State);
        Assert.Equal(DeliveryState.InDoubt, again.State);
        Assert.Equal("D1", again.Conversation);
        Assert.Equal("1700000001.000001", again.Thread);
        Assert.Equal(_time.GetUtcNow(), again.StartedAt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Record_AfterBegin_TheNextBeginUpdatesThatMessage(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var ledger = storage.Ledger(_time);
        await ledger.BeginAsync("teams:m1", DeliverySlots.Main, "a:1", null, null, default);

        await ledger.RecordAsync("teams:m1", DeliverySlots.Main, "a:1", "activity-7", default);
        var again = await ledger.BeginAsync("teams:m1", DeliverySlots.Main, "a:1", null, null, default);

        Assert.Equal(DeliveryState.Posted, again.State);
        Assert.Equal("activity-7", again.MessageId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Begin_WithAKnownPlaceholder_IsPostedAndSlotsAreSeparate(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var ledger = storage.Ledger(_time);

        var main = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, "1700000001.000009", default);
        var direct = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Private, "U1", null, null, default);

        Assert.Equal(DeliveryState.Posted, main.State);
        Assert.Equal("1700000001.000009", main.MessageId);
        Assert.Equal(DeliveryState.New, direct.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Forget_ARefusedPost_LeavesNothingToLookFor(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var ledger = storage.Ledger(_time);
        await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, null, default);

        await ledger.ForgetAsync("slack:Ev1", DeliverySlots.Main, default);

        Assert.Null(await ledger.FindAsync("slack:Ev1", DeliverySlots.Main, default));
        Assert.Equal(DeliveryState.New, (await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, null, default)).State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ForgetFinished_OldFinishedTurn_DropsItsDeliveriesButNotThoseOfPendingTurns(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        using var queue = storage.Queue(_time);
        var ledger = storage.Ledger(_time);
        await queue.EnqueueAsync(Turn("done"), default);
        await queue.EnqueueAsync(Turn("waiting", user: "U2"), default);
        await ledger.RecordAsync("done", DeliverySlots.Main, "C1", "1.1", default);
        await ledger.RecordAsync("waiting", DeliverySlots.Main, "C1", "1.2", default);
        var claimed = await queue.ClaimAsync(default);
        await queue.CompleteAsync(claimed!.Id, default);

        _time.Advance(TimeSpan.FromDays(8));
        await queue.ForgetFinishedAsync(_time.GetUtcNow().AddDays(-7), default);

        Assert.Null(await ledger.FindAsync("done", DeliverySlots.Main, default));
        Assert.NotNull(await ledger.FindAsync("waiting", DeliverySlots.Main, default));
    }

    private static CoachingTurn Turn(string key, string user = "U1") => new()
    {
        Channel = "test",
        UserId = user,
        ConversationId = "C1",
        Intent = TurnIntent.Answer,
        Text = "an answer",
        IdempotencyKey = key,
    };
}
