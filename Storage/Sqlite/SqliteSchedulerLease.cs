using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Sqlite;

/// <summary>The scheduler's lease in the SQLite file (the statements are <see cref="SqlSchedulerLease"/>'s).</summary>
internal sealed class SqliteSchedulerLease(SqliteDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time)
    : SqlSchedulerLease(database, options, time);
