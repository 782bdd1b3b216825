using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Queue;

public sealed class SqliteDeliveryLedgerTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Begin_NewSlot_IsNewAndAgainWithoutAnIdIsInDoubt()
    {
        var ledger = new SqliteDeliveryLedger(_db.Database, _time);

        var first = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "D1", "1700000001.000001", null, default);
        // A second process on the same file: the post was started and never came back.
        var again = await new SqliteDeliveryLedger(_db.Database, _time).BeginAsync("slack:Ev1", DeliverySlots.Main, "C9", null, null, default);

        Assert.Equal(DeliveryState.New, first.State);
        Assert.Equal(DeliveryState.InDoubt, again.State);
        Assert.Equal("D1", again.Conversation);
        Assert.Equal("1700000001.000001", again.Thread);
        Assert.Equal(_time.GetUtcNow(), again.StartedAt);
    }

    [Fact]
    public async Task Record_AfterBegin_TheNextBeginUpdatesThatMessage()
    {
        var ledger = new SqliteDeliveryLedger(_db.Database, _time);
        await ledger.BeginAsync("teams:m1", DeliverySlots.Main, "a:1", null, null, default);

        await ledger.RecordAsync("teams:m1", DeliverySlots.Main, "a:1", "activity-7", default);
        var again = await ledger.BeginAsync("teams:m1", DeliverySlots.Main, "a:1", null, null, default);

        Assert.Equal(DeliveryState.Posted, again.State);
        Assert.Equal("activity-7", again.MessageId);
    }

    [Fact]
    public async Task Begin_WithAKnownPlaceholder_IsPostedAndSlotsAreSeparate()
    {
        var ledger = new SqliteDeliveryLedger(_db.Database, _time);

        var main = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, "1700000001.000009", default);
        var direct = await ledger.BeginAsync("slack:Ev1", DeliverySlots.Private, "U1", null, null, default);

        Assert.Equal(DeliveryState.Posted, main.State);
        Assert.Equal("1700000001.000009", main.MessageId);
        Assert.Equal(DeliveryState.New, direct.State);
    }

    [Fact]
    public async Task Forget_ARefusedPost_LeavesNothingToLookFor()
    {
        var ledger = new SqliteDeliveryLedger(_db.Database, _time);
        await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, null, default);

        await ledger.ForgetAsync("slack:Ev1", DeliverySlots.Main, default);

        Assert.Null(await ledger.FindAsync("slack:Ev1", DeliverySlots.Main, default));
        Assert.Equal(DeliveryState.New, (await ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, null, default)).State);
    }

    [Fact]
    public async Task ForgetFinished_OldFinishedTurn_DropsItsDeliveriesButNotThoseOfPendingTurns()
    {
        using var queue = new SqliteTurnQueue(_db.Database, Options.Create(new TurnQueueOptions()), _time);
        var ledger = new SqliteDeliveryLedger(_db.Database, _time);
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
