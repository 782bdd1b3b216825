using System.Data.Common;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>
/// Stops start-up with one clear message when the storage settings cannot work: an unknown provider, a PostgreSQL
/// connection string that is missing or malformed, or a provider that does not hold every store yet (a host that kept
/// half its state in SQLite would not be shared by its instances; it would only look as if it were).
/// </summary>
internal sealed class StorageOptionsValidator(IEnumerable<StorageProviderSupport> providers) : IValidateOptions<StorageOptions>
{
    private static string Join(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Join(string.Empty, items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim() ?? string.Empty;
        if (provider.Length == 0 || provider.Equals(StorageProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }

        if (!provider.Equals(StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider is '{options.Provider}', which is not a storage provider: use '{StorageProviders.Sqlite}' (the default) or '{StorageProviders.Postgres}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Storage:Provider is Postgres but Storage:ConnectionString is empty: set it (Storage__ConnectionString=\"Host=…;Port=5432;Database=coachbot;Username=…;Password=…\").");
        }

        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString cannot be read as a connection string ({ex.Message}); it looks like Host=…;Port=5432;Database=coachbot;Username=…;Password=….");
        }

        var support = providers.FirstOrDefault(p => p.Name.Equals(StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase));
        if (support is null)
        {
            return ValidateOptionsResult.Fail("Storage:Provider is Postgres, but this program was composed without the PostgreSQL provider (CoachBot.Storage.Postgres).");
        }

        if (support.CheckConnectionString(options.ConnectionString) is { } problem)
        {
            return ValidateOptionsResult.Fail(problem);
        }

        var missing = StorageProviders.AllStores.Except(support.Stores, StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Storage:Provider is Postgres, but PostgreSQL does not hold all of CoachBot's state yet: {Join(support.Stores)} run on it; " +
                $"{Join(missing)} {(missing.Count == 1 ? "is" : "are")} still SQLite-only. The bot would keep half its state on this machine, so it does not start. " +
                "Use Storage:Provider=Sqlite (the default) until they move; README, section 'PostgreSQL'.");
    }
}
