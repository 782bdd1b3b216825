using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;
using CoachBot.Coaching.Groups;

namespace CoachBot.Storage.Sqlite;

/// <summary>The scheduler's lease in the SQLite file (the statements are <see cref="SqlSchedulerLease"/>'s).</summary>
internal sealed class SqliteSchedulerLease(SqliteDatabase database, IOptions<TurnQueueOptions> options, TimeProvider time)
    : SqlSchedulerLease(database, options, time);
