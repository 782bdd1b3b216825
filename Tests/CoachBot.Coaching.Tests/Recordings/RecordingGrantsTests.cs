using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Recordings;

public sealed class RecordingGrantsTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Validate_IssuedToken_ReturnsTheGrantWithANonce()
    {
        var grants = Grants(Key);

        var token = grants.Issue(Grant());
        var grant = grants.Validate(token, out var reason);

        Assert.NotNull(grant);
        Assert.Equal("", reason);
        Assert.Equal("U1", grant.UserId);
        Assert.Equal("q-1", grant.QuestionId);
        Assert.Equal("https://smba.trafficmanager.net/teams/", grant.Reply["serviceUrl"]);
        Assert.NotEmpty(grant.Nonce);
        Assert.NotEqual(grant.Nonce, grants.Validate(grants.Issue(Grant()), out _)!.Nonce);
    }

    [Fact]
    public void Validate_AfterTheLifetime_RejectsAsExpired()
    {
        var grants = Grants(Key, lifetimeSeconds: 60);
        var token = grants.Issue(Grant());

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Null(grants.Validate(token, out var reason));
        Assert.Contains("expired", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PayloadChangedToAnotherUser_RejectsTheSignature()
    {
        var grants = Grants(Key);
        var token = grants.Issue(Grant());
        var forged = Grants(Key).Issue(Grant() with { UserId = "U-attacker" });

        // The attacker's payload with the victim's signature.
        var spliced = forged[..forged.IndexOf('.', StringComparison.Ordinal)] + token[token.IndexOf('.', StringComparison.Ordinal)..];

        Assert.Null(grants.Validate(spliced, out var reason));
        Assert.Contains("signature", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenFromAnotherKey_Rejects()
    {
        var other = Grants(Convert.ToBase64String(new byte[32]));

        Assert.Null(Grants(Key).Validate(other.Issue(Grant()), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("!!!.???")]
    public void Validate_MalformedToken_RejectsWithAReason(string? token)
    {
        Assert.Null(Grants(Key).Validate(token, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AQID")]
    public void Create_BadSigningKey_StopsWithTheSettingNamed(string key)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Grants(key));

        Assert.Contains("Recordings:SigningKey", ex.Message, StringComparison.Ordinal);
    }

    private RecordingGrants Grants(string key, int lifetimeSeconds = 900) =>
        new(Options.Create(new RecordingOptions { SigningKey = key, GrantLifetimeSeconds = lifetimeSeconds }), _time);

    private static RecordingGrant Grant() => new()
    {
        Channel = "teams",
        TenantId = "tenant-1",
        UserId = "U1",
        ConversationId = "a:conversation",
        QuestionId = "q-1",
        Reply = new Dictionary<string, string> { ["serviceUrl"] = "https://smba.trafficmanager.net/teams/" },
    };
}
