using System.Net;
using CoachBot.Adapters.Teams.Auth;
using CoachBot.Adapters.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Adapters.Teams.Tests.Auth;

public sealed class InboundAuthenticatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTime _time = new(Start);
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

    private InboundAuthenticator Authenticator => _services.GetRequiredService<InboundAuthenticator>();

    private Task<AuthResult> CheckAsync(string? token, string channelId = "msteams", string? serviceUrl = null, IPAddress? remote = null) =>
        Authenticator.AuthenticateAsync(token is null ? null : "Bearer " + token, remote ?? IPAddress.Parse("52.1.2.3"), channelId, serviceUrl ?? _fake.ServiceUrl, default);

    [Fact]
    public async Task Authenticate_ValidToken_Allows()
    {
        var result = await CheckAsync(_fake.IssueToken(TeamsServices.AppId, Start));

        Assert.True(result.Allowed, result.Reason);
    }

    public static TheoryData<string, int> BadTokens => new()
    {
        { "expired", 401 },
        { "not-yet-valid", 401 },
        { "wrong-audience", 401 },
        { "audience-with-trailing-slash", 401 },
        { "wrong-issuer", 401 },
        { "alg-none", 401 },
        { "hs256-with-public-key", 401 },
        { "unknown-kid", 401 },
        { "tampered-payload", 401 },
        { "missing-endorsement", 403 },
        { "service-url-mismatch", 403 },
        { "no-token", 401 },
        { "garbage", 401 },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Authenticate_BadToken_Refuses(string kind, int status)
    {
        using var stranger = new TestKey("key-stranger", "msteams");
        var unendorsed = new TestKey("key-skype-only", "skype");
        _fake.AddKey(unendorsed);
        var token = kind switch
        {
            "expired" => _fake.IssueToken(TeamsServices.AppId, Start, validFrom: TimeSpan.FromHours(-2), validFor: TimeSpan.FromHours(1)),
            "not-yet-valid" => _fake.IssueToken(TeamsServices.AppId, Start, validFrom: TimeSpan.FromMinutes(10)),
            "wrong-audience" => _fake.IssueToken("11111111-2222-3333-4444-555555555555", Start),
            "audience-with-trailing-slash" => _fake.IssueToken(TeamsServices.AppId + "/", Start),
            "wrong-issuer" => _fake.IssueToken(TeamsServices.AppId, Start, issuer: "https://evil.example.com"),
            "alg-none" => _fake.IssueUnsignedToken(TeamsServices.AppId, Start),
            "hs256-with-public-key" => _fake.IssueHmacWithPublicKey(TeamsServices.AppId, Start),
            "unknown-kid" => _fake.IssueToken(TeamsServices.AppId, Start, key: stranger),
            "tampered-payload" => FakeBotFramework.Tamper(_fake.IssueToken("11111111-2222-3333-4444-555555555555", Start), "aud", TeamsServices.AppId),
            "missing-endorsement" => _fake.IssueToken(TeamsServices.AppId, Start, key: unendorsed),
            "service-url-mismatch" => _fake.IssueToken(TeamsServices.AppId, Start, serviceUrl: "https://smba.trafficmanager.net/emea/"),
            "no-token" => null,
            _ => "not.a.jwt",
        };

        var result = await CheckAsync(token);

        Assert.False(result.Allowed);
        Assert.Equal(status, result.StatusCode);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("HTTPS://SMBA.TrafficManager.NET/amer/", true)]
    [InlineData("https://smba.trafficmanager.net:443/amer/", true)]
    [InlineData("https://smba.trafficmanager.net/amer", false)]
    [InlineData("https://smba.trafficmanager.net/amer//", false)]
    [InlineData("https://smba.trafficmanager.net/AMER/", false)]
    [InlineData("http://smba.trafficmanager.net/amer/", false)]
    [InlineData("https://smba.trafficmanager.net:8443/amer/", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/amer/", false)]
    public async Task Authenticate_ServiceUrlClaim_MatchesOnlyTheSameUrlAfterNormalisation(string claimed, bool allowed)
    {
        var token = _fake.IssueToken(TeamsServices.AppId, Start, serviceUrl: claimed);

        var result = await CheckAsync(token, serviceUrl: "https://smba.trafficmanager.net/amer/");

        Assert.Equal(allowed, result.Allowed);
        Assert.Equal(allowed ? 200 : 403, result.StatusCode);
    }

    [Fact]
    public async Task Authenticate_ExpiredWithinFiveMinutesOfSkew_Allows()
    {
        var token = _fake.IssueToken(TeamsServices.AppId, Start, validFrom: TimeSpan.FromMinutes(-64), validFor: TimeSpan.FromHours(1));

        Assert.True((await CheckAsync(token)).Allowed);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await CheckAsync(token)).Allowed);
    }

    [Fact]
    public async Task Authenticate_KeyNotEndorsedForThisChannel_Forbids()
    {
        var token = _fake.IssueToken(TeamsServices.AppId, Start);

        var result = await CheckAsync(token, channelId: "slack");

        Assert.Equal(403, result.StatusCode);
    }

    [Fact]
    public async Task Authenticate_ManyRequests_FetchesKeysOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, Start))).Allowed);
        }

        Assert.Equal(1, _fake.JwksFetches);
    }

    [Fact]
    public async Task Authenticate_KeysOlderThanADay_FetchesThemAgain()
    {
        Assert.True((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, Start))).Allowed);
        _time.Advance(TimeSpan.FromHours(25));

        Assert.True((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, _time.GetUtcNow()))).Allowed);
        Assert.Equal(2, _fake.JwksFetches);
    }

    [Fact]
    public async Task Authenticate_UnknownKid_RefreshesKeysAtMostOncePerWindow()
    {
        Assert.True((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, Start))).Allowed);
        var rolled = new TestKey("key-2", "msteams");
        _fake.AddKey(rolled);

        // Right after a fetch, made-up kids do not make the bot fetch again.
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, Start, key: rolled))).Allowed);
        }

        Assert.Equal(1, _fake.JwksFetches);

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await CheckAsync(_fake.IssueToken(TeamsServices.AppId, _time.GetUtcNow(), key: rolled))).Allowed);
        Assert.Equal(2, _fake.JwksFetches);
    }

    [Fact]
    public async Task Authenticate_KeyEndpointDown_RetriesAtMostEvery30Seconds()
    {
        var settings = TeamsServices.For(_fake);
        settings["Teams:OpenIdMetadataUrl"] = _fake.ServiceUrl + "down/openidconfiguration";
        await using var services = TeamsServices.Build(settings, _time);
        var authenticator = services.GetRequiredService<InboundAuthenticator>();
        int Attempts() => _fake.Calls.Count(c => c.Path.Contains("/down/", StringComparison.Ordinal));

        // Unauthenticated callers must not be able to make every request fetch keys while the endpoint is down.
        for (var i = 0; i < 6; i++)
        {
            var result = await authenticator.AuthenticateAsync("Bearer " + _fake.IssueToken(TeamsServices.AppId, Start), IPAddress.Parse("52.1.2.3"), "msteams", _fake.ServiceUrl, default);
            Assert.False(result.Allowed);
        }

        Assert.Equal(1, Attempts());
        _time.Advance(TimeSpan.FromSeconds(31));
        await authenticator.AuthenticateAsync("Bearer " + _fake.IssueToken(TeamsServices.AppId, _time.GetUtcNow()), IPAddress.Parse("52.1.2.3"), "msteams", _fake.ServiceUrl, default);
        Assert.Equal(2, Attempts());
    }

    [Fact]
    public async Task Authenticate_SingleTenantIssuer_AllowedOnlyWhenTenantConfigured()
    {
        const string tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        var token = _fake.IssueToken(TeamsServices.AppId, Start, issuer: $"https://sts.windows.net/{tenant}/");
        Assert.False((await CheckAsync(token)).Allowed);

        var settings = TeamsServices.For(_fake);
        settings["Teams:TenantId"] = tenant;
        await using var singleTenant = TeamsServices.Build(settings, _time);
        var result = await singleTenant.GetRequiredService<InboundAuthenticator>()
            .AuthenticateAsync("Bearer " + token, IPAddress.Parse("52.1.2.3"), "msteams", _fake.ServiceUrl, default);

        Assert.True(result.Allowed, result.Reason);
    }

    [Fact]
    public async Task Authenticate_DevelopmentMode_AllowsLoopbackOnly()
    {
        await using var dev = TeamsServices.Build(new Dictionary<string, string?>(), _time);
        var authenticator = dev.GetRequiredService<InboundAuthenticator>();

        Assert.True((await authenticator.AuthenticateAsync(null, IPAddress.Loopback, "emulator", "http://localhost:5000", default)).Allowed);
        Assert.True((await authenticator.AuthenticateAsync(null, IPAddress.IPv6Loopback, "emulator", "http://localhost:5000", default)).Allowed);
        Assert.Equal(401, (await authenticator.AuthenticateAsync(null, IPAddress.Parse("10.0.0.7"), "emulator", "http://localhost:5000", default)).StatusCode);
        Assert.Equal(401, (await authenticator.AuthenticateAsync(null, null, "emulator", "http://localhost:5000", default)).StatusCode);
    }
}
