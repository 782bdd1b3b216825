using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;

namespace CoachBot.Coaching.Tests.Queue;

/// <summary>Claims on Teams invokes and welcomes, the same on every storage provider: one instance answers each.</summary>
public sealed class InvokeClaimsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_TwoInstancesAtOnce_ExactlyOneAnswers_TheOtherGetsItsCard(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var instances = Enumerable.Range(0, 4).Select(_ => storage.InvokeClaims(_time)).ToList();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => instances[i % 4].ClaimAsync("invoke:act-1", Lifetime, default))));
        Assert.Single(claims, c => c.Claimed);
        Assert.All(claims.Where(c => !c.Claimed), c => Assert.Null(c.Result));

        await instances[0].CompleteAsync("invoke:act-1", "{\"card\":1}", default);
        var redelivered = await instances[3].ClaimAsync("invoke:act-1", Lifetime, default);

        Assert.Equal((false, "{\"card\":1}"), redelivered);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Release_AfterAFailure_LetsARetryOnAnotherInstanceRunAgain(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var a = storage.InvokeClaims(_time);
        var b = storage.InvokeClaims(_time);
        Assert.True((await a.ClaimAsync("invoke:act-2", Lifetime, default)).Claimed);

        await a.ReleaseAsync("invoke:act-2", default);

        Assert.True((await b.ClaimAsync("invoke:act-2", Lifetime, default)).Claimed);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_AfterItExpired_IsTakenAgain_AndExpiredClaimsAreSwept(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var a = storage.InvokeClaims(_time);
        var b = storage.InvokeClaims(_time);
        Assert.True((await a.ClaimAsync("welcome:conv:1", Lifetime, default)).Claimed);
        await a.CompleteAsync("welcome:conv:1", "{}", default);
        Assert.True((await a.ClaimAsync("welcome:conv:old", Lifetime, default)).Claimed);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False((await b.ClaimAsync("welcome:conv:1", Lifetime, default)).Claimed);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await b.ClaimAsync("welcome:conv:1", Lifetime, default)).Claimed);

        await using var connection = await storage.Database().OpenConnectionAsync(default);
        Assert.Equal(0, await connection.ValueAsync<int>("SELECT COUNT(*) FROM invoke_claims WHERE claim_key = 'welcome:conv:old';", default));
        Assert.Equal(1, await connection.ValueAsync<int>("SELECT COUNT(*) FROM invoke_claims;", default));
    }
}
