using CoachBot.Adapters.Teams;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Bot.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Teams;

/// <summary>Round feedback kept for a member without the app goes after Teams:PendingFeedbackDays, as /privacy says.</summary>
public sealed class PendingFeedbackExpiryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DeleteExpired_FeedbackOlderThanTheSetting_IsDeleted_NewerStays()
    {
        var time = new ManualTime(Start);
        await using var factory = Factory("expiry.db", time);
        var kept = factory.Services.GetRequiredService<PendingFeedback>();
        await kept.AddAsync("29:old", "turn-old", Feedback(), default);
        time.Advance(TimeSpan.FromDays(10));
        await kept.AddAsync("29:new", "turn-new", Feedback(), default);
        time.Advance(TimeSpan.FromDays(5)); // the first is 15 days old, the second 5

        var deleted = await kept.DeleteExpiredAsync(default);

        Assert.Equal(1, deleted);
        Assert.Equal(["29:new"], await UsersAsync("expiry.db"));
    }

    [Fact]
    public async Task Host_StartedAfterTheFeedbackExpired_DeletesIt_WithoutAnyoneInstallingTheApp()
    {
        await using (var before = Factory("restart.db", new ManualTime(Start)))
        {
            await before.Services.GetRequiredService<PendingFeedback>().AddAsync("29:d", "turn-d", Feedback(), default);
        }

        Assert.Equal(["29:d"], await UsersAsync("restart.db"));
        await using var after = Factory("restart.db", new ManualTime(Start.AddDays(15)));
        _ = after.Services;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await UsersAsync("restart.db")).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await UsersAsync("restart.db"));
    }

    private CoachBotFactory Factory(string database, TimeProvider time) =>
        new CoachBotFactory(_folder.File(database)).WithSetting("Teams:PendingFeedbackDays", "14").WithServices(s => s.AddSingleton(time));

    private static Activity Feedback() => new() { Type = "message", Text = "Overall 72/100" };

    private async Task<List<string>> UsersAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={_folder.File(database)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id FROM teams_pending_feedback ORDER BY user_id;";
        var users = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }
}
