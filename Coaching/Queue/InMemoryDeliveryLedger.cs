using System.Collections.Concurrent;

namespace CoachBot.Coaching.Queue;

/// <summary>
/// A delivery ledger that lives as long as the process: for adapters composed without the coaching storage (their own
/// tests, a host without a database). It survives no crash; the host registers the SQLite ledger.
/// </summary>
public sealed class InMemoryDeliveryLedger(TimeProvider time) : IDeliveryLedger
{
    private readonly ConcurrentDictionary<(string, string), DeliveryRecord> _slots = new();

    /// <inheritdoc />
    public Task<DeliveryRecord> BeginAsync(string turnKey, string slot, string conversation, string? thread, string? knownMessageId, CancellationToken cancellationToken)
    {
        var fresh = new DeliveryRecord(turnKey, slot, conversation, thread, knownMessageId, time.GetUtcNow(), knownMessageId is null ? DeliveryState.New : DeliveryState.Posted);
        var stored = _slots.GetOrAdd((turnKey, slot), fresh);
        return Task.FromResult(ReferenceEquals(stored, fresh) ? fresh : stored with { State = stored.MessageId is null ? DeliveryState.InDoubt : DeliveryState.Posted });
    }

    /// <inheritdoc />
    public Task<DeliveryRecord?> FindAsync(string turnKey, string slot, CancellationToken cancellationToken) =>
        Task.FromResult(_slots.TryGetValue((turnKey, slot), out var stored)
            ? stored with { State = stored.MessageId is null ? DeliveryState.InDoubt : DeliveryState.Posted }
            : null);

    /// <inheritdoc />
    public Task RecordAsync(string turnKey, string slot, string conversation, string messageId, CancellationToken cancellationToken)
    {
        _slots.AddOrUpdate(
            (turnKey, slot),
            _ => new DeliveryRecord(turnKey, slot, conversation, null, messageId, time.GetUtcNow(), DeliveryState.Posted),
            (_, stored) => stored with { Conversation = conversation, MessageId = messageId, State = DeliveryState.Posted });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ForgetAsync(string turnKey, string slot, CancellationToken cancellationToken)
    {
        _slots.TryRemove((turnKey, slot), out _);
        return Task.CompletedTask;
    }
}
