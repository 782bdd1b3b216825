using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>
/// The lease as a row of <c>leases</c>, with one statement for every provider: <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c>
/// the row is this instance's or has run out, <c>RETURNING</c> the row only when it was taken, so of two instances
/// asking at once exactly one holds it. Times are each instance's <see cref="TimeProvider"/>, so instances' clocks must
/// agree to well under a lease (as for the turn queue's leases).
/// </summary>
internal class SqlSchedulerLease(ISqlDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time) : ISchedulerLease
{
    /// <summary>The lease's name (its row).</summary>
    internal const string Name = "group-scheduler";

    // The queue's instance name when one is configured (a pod name): a restarted instance takes its lease back at once.
    public string Owner { get; } = options?.Value.InstanceId is { } configured && !string.IsNullOrWhiteSpace(configured)
        ? configured.Trim()
        : TurnQueueOptions.NewInstanceName();

    public async Task<bool> TryHoldAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var holder = await connection.ValueAsync<string>(
            """
            INSERT INTO leases (name, owner, lease_until) VALUES (@n, @o, @until)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
            WHERE leases.owner = excluded.owner OR leases.lease_until < @now
            RETURNING owner;
            """,
            cancellationToken, ("@n", Name), ("@o", Owner), ("@until", database.Dialect.Time(now + duration)), ("@now", database.Dialect.Time(now)));
        return holder == Owner;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("DELETE FROM leases WHERE name = @n AND owner = @o;", cancellationToken, ("@n", Name), ("@o", Owner));
    }
}
