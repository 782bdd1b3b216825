using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Groups;

public sealed class SqliteGroupRoundsTests : IDisposable
{
    private readonly Coach _coach = new();

    public void Dispose() => _coach.Dispose();

    [Fact]
    public async Task FindOpen_TwoRoundsInAChatOneWrapped_ReturnsTheOpenOneOfThatChatOnly()
    {
        var first = await StartAsync("chat-1");
        var second = await StartAsync("chat-1");
        await StartAsync("chat-2");
        await _coach.Groups.WrapAsync(second.Id, default);

        var found = await _coach.Groups.FindOpenAsync("teams", "chat-1", default);
        await _coach.Groups.WrapAsync(first.Id, default);
        var afterWrap = await _coach.Groups.FindOpenAsync("teams", "chat-1", default);

        Assert.Equal(first.Id, found?.Id);
        Assert.Null(afterWrap);
        Assert.Null(await _coach.Groups.FindOpenAsync("slack", "chat-2", default));
    }

    private Task<GroupRound> StartAsync(string conversation) =>
        _coach.Groups.StartAsync(
            new NewGroupRound("teams", "T1", conversation, "U-FAC", "general", 1, DateTimeOffset.UtcNow.AddHours(1), new Dictionary<string, string>()),
            default);
}
