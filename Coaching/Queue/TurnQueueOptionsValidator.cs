using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Queue;

/// <summary>Refuses <c>Queue:Workers=0</c> where no other instance could coach the turns (one SQLite file, one instance).</summary>
internal sealed class TurnQueueOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<TurnQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, TurnQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = storage.Value.Provider?.Trim();
        return options.Workers == 0 && !string.Equals(provider, StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Fail(
                "Queue:Workers is 0, so this instance would coach nothing, and on SQLite no other instance can: set it to 1 or more " +
                "(0 is for an instance that shares a PostgreSQL database with instances that coach).")
            : ValidateOptionsResult.Success;
    }
}
