using System.Text.Json;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Round feedback that Teams would not let the bot send privately (the member has not installed CoachBot for
/// themselves, so no 1:1 chat can be created). It is kept in the bot's database (<see cref="IPendingFeedbackStore"/>,
/// shared by every instance on PostgreSQL) and sent as soon as the member installs the app personally; it expires after
/// <see cref="TeamsOptions.PendingFeedbackDays"/> and goes when the member says "forget me".
/// </summary>
internal sealed class PendingFeedback(IPendingFeedbackStore store, IOptions<TeamsOptions> options, TimeProvider time)
{
    /// <summary>Keeps <paramref name="activity"/> (the report card) for <paramref name="userId"/>; the same turn keeps one.</summary>
    public Task AddAsync(string userId, string turnKey, Activity activity, CancellationToken cancellationToken) =>
        store.AddAsync(userId, turnKey, JsonSerializer.Serialize(activity, ProtocolJson.Options), cancellationToken);

    /// <summary>The member's kept feedback that has not expired, oldest first, with the key to remove each once sent.</summary>
    public async Task<IReadOnlyList<(string TurnKey, Activity Activity)>> ForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var found = new List<(string, Activity)>();
        foreach (var (turnKey, payload) in await store.ForUserAsync(userId, Oldest(), cancellationToken))
        {
            if (JsonSerializer.Deserialize<Activity>(payload, ProtocolJson.Options) is { } activity)
            {
                found.Add((turnKey, activity));
            }
        }

        return found;
    }

    /// <summary>Deletes the feedback kept longer than <see cref="TeamsOptions.PendingFeedbackDays"/>; returns how many.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => store.DeleteOlderThanAsync(Oldest(), cancellationToken);

    private DateTimeOffset Oldest() => time.GetUtcNow().AddDays(-options.Value.PendingFeedbackDays);

    /// <summary>Removes one kept feedback (it was sent), or all of a member's when <paramref name="turnKey"/> is null.</summary>
    public Task RemoveAsync(string userId, string? turnKey, CancellationToken cancellationToken) => store.RemoveAsync(userId, turnKey, cancellationToken);
}
