using CoachBot.Adapters.Teams.Auth;
using CoachBot.Adapters.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams.Tests.Auth;

public sealed class BotTokenClientTests : IAsyncLifetime
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
    private FakeBotFramework _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _services = TeamsServices.Build(TeamsServices.For(_fake), _time);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task GetToken_ManyCallersAtOnce_FetchesOnceWithClientCredentials()
    {
        var client = _services.GetRequiredService<BotTokenClient>();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.GetTokenAsync(default))));

        Assert.All(tokens, t => Assert.Equal("bot-token-1", t));
        Assert.Equal(1, _fake.TokenRequests);
        var form = _fake.Calls.Single(c => c.Path.EndsWith("/token", StringComparison.Ordinal)).Body;
        Assert.Contains("grant_type=client_credentials", form, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", form, StringComparison.Ordinal);
        Assert.Contains("client_id=" + TeamsServices.AppId, form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_CachedUntilFiveMinutesBeforeExpiry_ThenRefreshed()
    {
        var client = _services.GetRequiredService<BotTokenClient>();
        Assert.Equal("bot-token-1", await client.GetTokenAsync(default));

        _time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("bot-token-1", await client.GetTokenAsync(default));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("bot-token-2", await client.GetTokenAsync(default));
        Assert.Equal(2, _fake.TokenRequests);
    }

    [Fact]
    public async Task GetToken_CredentialsRefused_ThrowsAndCachesNothing()
    {
        _fake.RefuseTokens = true;
        var client = _services.GetRequiredService<BotTokenClient>();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetTokenAsync(default));
        _fake.RefuseTokens = false;

        Assert.Equal("bot-token-2", await client.GetTokenAsync(default));
    }

    [Fact]
    public async Task GetToken_DevelopmentMode_ReturnsNullWithoutARequest()
    {
        var settings = TeamsServices.For(_fake);
        settings.Remove("Teams:AppId");
        await using var dev = TeamsServices.Build(settings, _time);

        Assert.Null(await dev.GetRequiredService<BotTokenClient>().GetTokenAsync(default));
        Assert.Equal(0, _fake.TokenRequests);
    }

    [Fact]
    public void TokenEndpoint_SingleTenant_UsesTheTenantsAuthority()
    {
        var settings = new Dictionary<string, string?> { ["Teams:AppId"] = TeamsServices.AppId, ["Teams:AppPassword"] = "x", ["Teams:TenantId"] = "contoso.onmicrosoft.com" };
        using var services = TeamsServices.Build(settings);

        var options = services.GetRequiredService<IOptions<TeamsOptions>>().Value;

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", options.ResolvedTokenEndpoint);
        Assert.Contains("https://sts.windows.net/contoso.onmicrosoft.com/", options.ResolvedIssuers);
    }
}
