using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Postgres;

/// <summary>The group scheduler's lease on PostgreSQL, shared by every instance (the statement is <see cref="SqlSchedulerLease"/>'s).</summary>
internal sealed class PostgresSchedulerLease(PostgresDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time)
    : SqlSchedulerLease(database, options, time);
