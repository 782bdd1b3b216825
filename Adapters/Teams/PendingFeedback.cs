using System.Globalization;
using System.Text.Json;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Round feedback that Teams would not let the bot send privately (the member has not installed CoachBot for
/// themselves, so no 1:1 chat can be created). It is kept in the bot's database, in a table of its own, and sent as
/// soon as the member installs the app personally; it expires after <see cref="TeamsOptions.PendingFeedbackDays"/>
/// and goes when the member says "forget me".
/// </summary>
internal sealed class PendingFeedback(SqliteDatabase database, IOptions<TeamsOptions> options, TimeProvider time)
{
    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS teams_pending_feedback (
            user_id TEXT NOT NULL,
            turn_key TEXT NOT NULL,
            activity TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, turn_key)
        );
        """;

    /// <summary>Keeps <paramref name="activity"/> (the report card) for <paramref name="userId"/>; the same turn keeps one.</summary>
    public async Task AddAsync(string userId, string turnKey, Activity activity, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema +
            "INSERT OR REPLACE INTO teams_pending_feedback (user_id, turn_key, activity, created_at) VALUES ($u, $k, $a, $t);";
        command.Parameters.AddWithValue("$u", userId);
        command.Parameters.AddWithValue("$k", turnKey);
        command.Parameters.AddWithValue("$a", JsonSerializer.Serialize(activity, ProtocolJson.Options));
        command.Parameters.AddWithValue("$t", time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The member's kept feedback that has not expired, oldest first, with the key to remove each once sent.</summary>
    public async Task<IReadOnlyList<(string TurnKey, Activity Activity)>> ForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var oldest = Oldest();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema +
            "DELETE FROM teams_pending_feedback WHERE created_at < $oldest;" +
            "SELECT turn_key, activity FROM teams_pending_feedback WHERE user_id = $u ORDER BY created_at;";
        command.Parameters.AddWithValue("$u", userId);
        command.Parameters.AddWithValue("$oldest", oldest);
        var found = new List<(string, Activity)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<Activity>(reader.GetString(1), ProtocolJson.Options) is { } activity)
            {
                found.Add((reader.GetString(0), activity));
            }
        }

        return found;
    }

    /// <summary>Deletes the feedback kept longer than <see cref="TeamsOptions.PendingFeedbackDays"/>; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema + "DELETE FROM teams_pending_feedback WHERE created_at < $oldest;";
        command.Parameters.AddWithValue("$oldest", Oldest());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Oldest() =>
        time.GetUtcNow().AddDays(-options.Value.PendingFeedbackDays).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Removes one kept feedback (it was sent), or all of a member's when <paramref name="turnKey"/> is null.</summary>
    public async Task RemoveAsync(string userId, string? turnKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema + "DELETE FROM teams_pending_feedback WHERE user_id = $u AND ($k IS NULL OR turn_key = $k);";
        command.Parameters.AddWithValue("$u", userId);
        command.Parameters.AddWithValue("$k", (object?)turnKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
