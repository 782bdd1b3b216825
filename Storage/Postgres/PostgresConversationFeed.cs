using System.Text;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// The dev chat's conversations on PostgreSQL, shared by every instance: each entry is a row of <c>devchat_entries</c>,
/// and its commit sends <c>NOTIFY coachbot_devchat</c> with the conversation's id (never the entry: a card can be larger
/// than a notification may carry), so the instance holding the browser's stream reads the new rows. Entries of one
/// conversation are appended under a lock on that conversation, so their ids increase in commit order and a reader that
/// resumes after an id never skips one committed later. <c>LISTEN</c> runs on one connection per instance, reconnected
/// with back-off as the queue's; after a reconnect every conversation is read again, and readers also look every few
/// seconds on their own (the dev chat's keep-alive), which covers a lost notification. An instance listens from its first
/// read on, so one that never serves a browser's stream holds no listening connection.
/// </summary>
internal sealed class PostgresConversationFeed : IConversationFeed, IDisposable
{
    /// <summary>The notification channel that names a conversation with new entries.</summary>
    internal const string Channel = "coachbot_devchat";

    // First key of pg_advisory_xact_lock(int, int) for conversations ("devc"); the second is the conversation's hash.
    private const int ConversationLocks = 0x64657663;

    // A conversation id longer than a notification may carry wakes every reader instead (ids are 32 characters).
    private const int LongestNotified = 4000;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private List<Action<string?>> _subscribers = [];
    private Task? _listener;
    private string? _epoch;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private int _disposed;

    public PostgresConversationFeed(PostgresDatabase database, TimeProvider time, ILogger<PostgresConversationFeed>? logger = null)
    {
        _database = database;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<string> GetEpochAsync(CancellationToken cancellationToken)
    {
        if (_epoch is { } epoch)
        {
            return epoch;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return _epoch = await connection.ValueAsync<string>("SELECT epoch FROM devchat_epoch WHERE id = 1;", cancellationToken)
            ?? throw new InvalidOperationException("The devchat_epoch row is missing from the database.");
    }

    public async Task<long> AppendAsync(FeedAppend entry, int keepEntries, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long id;
        var now = _time.GetUtcNow();
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Held to the commit: the next entry of this conversation takes its id after this one is visible.
            await connection.RunAsync("SELECT pg_advisory_xact_lock(@space, hashtext(@conversation));", cancellationToken,
                ("@space", ConversationLocks), ("@conversation", entry.ConversationId));
            if (entry.ForgetsOthers)
            {
                await connection.RunAsync("DELETE FROM devchat_entries WHERE conversation_id = @conversation AND turn_key <> @turn;", cancellationToken,
                    ("@conversation", entry.ConversationId), ("@turn", entry.TurnKey));
            }

            if (entry.ReplacesTurn)
            {
                await connection.RunAsync("DELETE FROM devchat_entries WHERE conversation_id = @conversation AND turn_key = @turn AND role = @role;", cancellationToken,
                    ("@conversation", entry.ConversationId), ("@turn", entry.TurnKey), ("@role", entry.Role));
            }

            id = await connection.ValueAsync<long>(
                """
                INSERT INTO devchat_entries (conversation_id, turn_key, role, content, created_at)
                VALUES (@conversation, @turn, @role, @content, @at) RETURNING id;
                """,
                cancellationToken,
                ("@conversation", entry.ConversationId), ("@turn", entry.TurnKey), ("@role", entry.Role), ("@content", entry.Content), ("@at", PostgresDialect.Instance.Time(now)));
            await connection.RunAsync(
                """
                DELETE FROM devchat_entries WHERE conversation_id = @conversation AND id <= (
                    SELECT id FROM devchat_entries WHERE conversation_id = @conversation ORDER BY id DESC OFFSET @keep LIMIT 1);
                """,
                cancellationToken, ("@conversation", entry.ConversationId), ("@keep", keepEntries));
            // Sent to every listening instance when the transaction commits; never if it rolls back.
            await connection.RunAsync("SELECT pg_notify(@channel, @payload);", cancellationToken,
                ("@channel", Channel), ("@payload", Encoding.UTF8.GetByteCount(entry.ConversationId) <= LongestNotified ? entry.ConversationId : string.Empty));
            await transaction.CommitAsync(cancellationToken);
        }

        // This instance's readers need not wait for the notification's round trip.
        Signal(entry.ConversationId);
        await SweepAsync(now - keepFor, cancellationToken);
        return id;
    }

    public async Task<IReadOnlyList<FeedEntry>> ReadAfterAsync(string conversationId, long afterId, CancellationToken cancellationToken)
    {
        // Only an instance that serves a stream listens. Entries committed before its LISTEN took effect are read again
        // when it does (every subscriber is told then).
        EnsureListening();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await connection.RowsAsync(
            "SELECT id, turn_key, role, content FROM devchat_entries WHERE conversation_id = @conversation AND id > @after ORDER BY id;",
            r => new FeedEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken, ("@conversation", conversationId), ("@after", afterId));
    }

    public IDisposable Subscribe(Action<string?> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, changed];
        }

        return new Subscription(this, changed);
    }

    private void Unsubscribe(Action<string?> changed)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != changed)];
        }
    }

    private void Signal(string? conversationId)
    {
        List<Action<string?>> subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(conversationId);
        }
    }

    private async Task SweepAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_time.GetUtcNow() < _nextSweep)
            {
                return;
            }

            _nextSweep = _time.GetUtcNow() + SweepEvery;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("DELETE FROM devchat_entries WHERE created_at < @cutoff;", cancellationToken, ("@cutoff", PostgresDialect.Instance.Time(olderThan)));
    }

    private void EnsureListening()
    {
        if (_listener is not null || Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        lock (_gate)
        {
            _listener ??= Task.Run(() => ListenAsync(_stopping.Token));
        }
    }

    private Task ListenAsync(CancellationToken stopping) =>
        PostgresListener.RunAsync(_database, Channel, Signal, (ex, seconds) => Log.FeedListenerFailed(_logger, ex, _database.Location, seconds), _time, stopping);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _listener?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener ends by cancellation; nothing else to report at shutdown.
        }

        _stopping.Dispose();
    }

    private sealed class Subscription(PostgresConversationFeed feed, Action<string?> changed) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(changed);
    }
}
