using System.Collections.Concurrent;
using CoachBot.Coaching.Storage;
using Microsoft.Data.Sqlite;

namespace CoachBot.Storage.Sqlite;

/// <summary>
/// The one path by which turns enter the queue: a dedicated thread that owns one connection and commits every write
/// waiting for it in a single short transaction (group commit). A caller's task completes only after the commit, so a
/// turn is stored before its platform is acknowledged, yet a burst of acknowledgements never queues up on SQLite's
/// write lock, never sleeps in its busy handler against each other, and never holds a thread-pool thread while it
/// waits. WAL checkpoints run here too, but only when no write is waiting, and this connection never checkpoints on
/// commit.
/// </summary>
internal sealed class TurnWriter : IDisposable
{
    // Enough to take a whole burst in one commit while keeping each transaction short (each write is one indexed row).
    private const int MaxBatch = 512;

    // A checkpoint is tried when nothing has been written for this long.
    private static readonly TimeSpan CheckpointWhenIdle = TimeSpan.FromMilliseconds(200);

    private readonly SqliteDatabase _database;
    private readonly BlockingCollection<Write> _writes = [];
    private readonly Thread _thread;

    public TurnWriter(SqliteDatabase database)
    {
        _database = database;
        _thread = new Thread(Run) { IsBackground = true, Name = "CoachBot turn writer" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="write"/> inside the next group commit; completes after that commit.</summary>
    /// <exception cref="ObjectDisposedException">The writer has stopped (the host is shutting down).</exception>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var job = new Write<T>(write);
        try
        {
            _writes.Add(job, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(TurnWriter), "The turn queue is shutting down.");
        }

        // A cancelled caller stops waiting, but the write itself cannot be taken back once queued: the turn may be stored.
        return job.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _writes.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _writes.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        var batch = new List<Write>(MaxBatch);
        var unCheckpointed = false;
        try
        {
            while (!_writes.IsCompleted)
            {
                if (!_writes.TryTake(out var first, CheckpointWhenIdle))
                {
                    if (unCheckpointed && connection is not null)
                    {
                        unCheckpointed = !TryCheckpoint(connection);
                    }

                    continue;
                }

                batch.Add(first);
                while (batch.Count < MaxBatch && _writes.TryTake(out var next))
                {
                    batch.Add(next);
                }

                try
                {
                    connection ??= Open();
                    Commit(connection, batch);
                    unCheckpointed = true;
                }
#pragma warning disable CA1031 // Whatever failed (a locked or damaged file), every caller in the batch gets the error.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    foreach (var write in batch)
                    {
                        write.Fail(ex);
                    }

                    // A connection left in a bad state is not reused.
                    connection?.Dispose();
                    connection = null;
                }

                batch.Clear();
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        // Migration is awaited once per database; this thread exists to block on SQLite, so blocking here is its job.
        var connection = _database.OpenUnpooledAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var pragma = connection.Command("PRAGMA wal_autocheckpoint = 0;");
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static void Commit(SqliteConnection connection, List<Write> batch)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var outcomes = new Exception?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            // One write that fails (a constraint, a bad payload) is undone alone; the others in the batch still commit.
            transaction.Save("turn");
            try
            {
                batch[i].Run(connection);
                transaction.Release("turn");
            }
#pragma warning disable CA1031 // Handed to that caller below.
            catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 5 or 6 or 10 or 11 or 13 })
#pragma warning restore CA1031
            {
                transaction.Rollback("turn");
                transaction.Release("turn");
                outcomes[i] = ex;
            }
        }

        transaction.Commit();
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Complete();
            }
        }
    }

    private static bool TryCheckpoint(SqliteConnection connection)
    {
        try
        {
            // PASSIVE: copies what it can without waiting for readers or blocking writers; the WAL file is reused after.
            using var checkpoint = connection.Command("PRAGMA wal_checkpoint(PASSIVE);");
            checkpoint.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private abstract class Write
    {
        public abstract void Run(SqliteConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class Write<T>(Func<SqliteConnection, T> write) : Write
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override void Run(SqliteConnection connection) => _result = write(connection);

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception error) => _done.TrySetException(error);
    }
}
