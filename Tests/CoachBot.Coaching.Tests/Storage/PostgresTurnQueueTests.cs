using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Queue;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage.Postgres;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>What the PostgreSQL queue does for several instances: leases with owners, take-over, wake-ups across instances.</summary>
public sealed class PostgresTurnQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [PostgresFact]
    public async Task Claim_InstanceDiedHoldingATurn_AnotherInstanceTakesItOverWhenTheLeaseExpires()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var dead = storage.Queue(_time, leaseSeconds: 60, instance: "instance-dead");
        using var alive = storage.Queue(_time, leaseSeconds: 60, instance: "instance-alive");
        await alive.EnqueueAsync(TurnQueueTests.Turn("a"), default);
        var claimed = await dead.ClaimAsync(default);
        await dead.SaveResultAsync(claimed!.Id, "{\"stored\":true}", default);
        dead.Dispose();

        Assert.Null(await alive.ClaimAsync(default));
        Assert.Equal(0, await alive.RecoverAbandonedAsync(default));
        _time.Advance(TimeSpan.FromSeconds(61));
        var taken = await alive.ClaimAsync(default);

        Assert.Equal("a", taken!.Turn.IdempotencyKey);
        Assert.Equal(2, taken.Attempt);
        Assert.Equal("{\"stored\":true}", taken.Result);
    }

    [PostgresFact]
    public async Task RenewLeases_WhileAnInstanceWorks_NoOtherInstanceTakesTheTurn()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var working = (PostgresTurnQueue)storage.Queue(_time, leaseSeconds: 60, instance: "instance-working");
        using var other = storage.Queue(_time, leaseSeconds: 60, instance: "instance-other");
        await working.EnqueueAsync(TurnQueueTests.Turn("long"), default);
        var claimed = await working.ClaimAsync(default);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(40));
            Assert.Equal(1, await working.RenewLeasesAsync(default));
            Assert.Null(await other.ClaimAsync(default));
        }

        await working.CompleteAsync(claimed!.Id, default);
        Assert.Equal(0, await working.RenewLeasesAsync(default));
        Assert.Equal(1, (await other.CountsAsync(default))["done"]);
    }

    [PostgresFact]
    public async Task RecoverAbandoned_AtStartUp_LeavesOtherInstancesRunningTurnsAlone()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var a = storage.Queue(_time, instance: "instance-a");
        using var b = storage.Queue(_time, instance: "instance-b");
        await a.EnqueueAsync(TurnQueueTests.Turn("a1", "UA"), default);
        await a.EnqueueAsync(TurnQueueTests.Turn("b1", "UB"), default);
        await a.ClaimAsync(default);
        await b.ClaimAsync(default);

        // Instance a restarts under its name: its own turn goes back to the queue, b's stays with b.
        using var restarted = storage.Queue(_time, instance: "instance-a");
        Assert.Equal(1, await restarted.RecoverAbandonedAsync(default));
        var again = await restarted.ClaimAsync(default);

        Assert.Equal("a1", again!.Turn.IdempotencyKey);
        Assert.Null(await restarted.ClaimAsync(default));
    }

    [PostgresFact]
    public async Task WaitForWork_TurnEnqueuedByAnotherInstance_WakesTheIdleWorker()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var idle = storage.Queue(TimeProvider.System, instance: "instance-idle");
        using var busy = storage.Queue(TimeProvider.System, instance: "instance-busy");
        // The first wait starts the listener, which signals once it listens: nothing else can wake this one.
        await idle.WaitForWorkAsync(TimeSpan.FromMinutes(10), default).WaitAsync(Generous);

        var woken = idle.WaitForWorkAsync(TimeSpan.FromMinutes(10), default);
        await busy.EnqueueAsync(TurnQueueTests.Turn("wake"), default);

        // No polling within ten minutes: only the other instance's NOTIFY can end this wait.
        await woken.WaitAsync(Generous);
        Assert.Equal("wake", (await idle.ClaimAsync(default))!.Turn.IdempotencyKey);
    }

    [PostgresFact]
    public async Task Begin_TwoInstancesStartTheSameSlotAtOnce_OnlyOneMayPost()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var ledgers = Enumerable.Range(0, 8).Select(_ => storage.Ledger(_time)).ToList();

        var records = await Task.WhenAll(ledgers.Select(l => Task.Run(() => l.BeginAsync("slack:Ev1", DeliverySlots.Main, "C1", null, null, default))));

        Assert.Single(records, r => r.State == DeliveryState.New);
        Assert.Equal(7, records.Count(r => r.State == DeliveryState.InDoubt));
    }
}
