using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>The intake's yield to acknowledgements: the worker waits while turns are being stored, within a bound.</summary>
public sealed class TurnIntakeTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task WhenQuiet_TurnBeingStored_WaitsUntilItIsStored()
    {
        var (queue, intake) = Intake(yieldMilliseconds: 600_000);
        using (queue)
        using (intake)
        {
            await using var other = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
            await other.OpenAsync();
            var locked = other.BeginTransaction(deferred: false);

            // The turn cannot be stored while another writer holds the lock, so its acknowledgement is still pending.
            var submit = intake.SubmitAsync(Turn("ack-1"), null, default);
            var quiet = intake.WhenQuietAsync(default);
            await Task.Delay(200);
            Assert.False(quiet.IsCompleted);

            await locked.CommitAsync();
            await locked.DisposeAsync();
            Assert.True(await submit);
            await quiet;
            Assert.Equal(1, (await queue.CountsAsync(default))["pending"]);
        }
    }

    [Fact]
    public async Task WhenQuiet_YieldTurnedOff_DoesNotWaitForTurnsBeingStored()
    {
        var (queue, intake) = Intake(yieldMilliseconds: 0);
        using (queue)
        using (intake)
        {
            await using var other = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
            await other.OpenAsync();
            var locked = other.BeginTransaction(deferred: false);
            var submit = intake.SubmitAsync(Turn("ack-2"), null, default);

            var quiet = intake.WhenQuietAsync(default);

            Assert.True(quiet.IsCompletedSuccessfully);
            await locked.CommitAsync();
            await locked.DisposeAsync();
            Assert.True(await submit);
        }
    }

    private (SqliteTurnQueue Queue, TurnIntake Intake) Intake(int yieldMilliseconds)
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = _db.Path, BusyTimeoutMilliseconds = 120_000 }));
        var options = Options.Create(new TurnQueueOptions { YieldToAcknowledgementsMilliseconds = yieldMilliseconds });
        var queue = new SqliteTurnQueue(database, options, TimeProvider.System);
        var intake = new TurnIntake(queue, options, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), TimeProvider.System, NullLogger<TurnIntake>.Instance);
        return (queue, intake);
    }

    private static CoachingTurn Turn(string key) => new()
    {
        Channel = "test",
        UserId = "U1",
        ConversationId = "C1",
        Intent = TurnIntent.Answer,
        Text = "An answer.",
        IdempotencyKey = key,
    };
}
