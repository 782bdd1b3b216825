using System.Text;
using CoachBot.Adapters.Slack.Security;

namespace CoachBot.Adapters.Slack.Tests.Security;

public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("token=x&team_id=T1&command=%2Fcoach&text=next");

    private static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_SlackSignedRequest_IsValid()
    {
        var ts = Stamp(Now);
        Assert.Equal(SignatureResult.Valid, SlackSignature.Verify(Secret, ts, SlackSignature.Compute(Secret, ts, Body), Body, Now));
    }

    [Fact]
    public void Compute_KnownInput_MatchesIndependentHmac()
    {
        // The formula, computed independently: v0= + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)).
        var expected = "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("v0:1700000000:" + Encoding.UTF8.GetString(Body))));
        Assert.Equal(expected, SlackSignature.Compute(Secret, "1700000000", Body));
    }

    [Fact]
    public void Verify_TimestampOlderThanFiveMinutes_Rejects()
    {
        var ts = Stamp(Now.AddMinutes(-5).AddSeconds(-1));
        Assert.Equal(SignatureResult.Expired, SlackSignature.Verify(Secret, ts, SlackSignature.Compute(Secret, ts, Body), Body, Now));
    }

    [Fact]
    public void Verify_TimestampFromTheFuture_Rejects()
    {
        var ts = Stamp(Now.AddMinutes(6));
        Assert.Equal(SignatureResult.Expired, SlackSignature.Verify(Secret, ts, SlackSignature.Compute(Secret, ts, Body), Body, Now));
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_Rejects()
    {
        var ts = Stamp(Now);
        Assert.Equal(SignatureResult.Mismatch, SlackSignature.Verify(Secret, ts, SlackSignature.Compute("another-secret", ts, Body), Body, Now));
    }

    [Fact]
    public void Verify_BodyChangedAfterSigning_Rejects()
    {
        var ts = Stamp(Now);
        var signature = SlackSignature.Compute(Secret, ts, Body);
        Assert.Equal(SignatureResult.Mismatch, SlackSignature.Verify(Secret, ts, signature, Encoding.UTF8.GetBytes("token=x&team_id=T1&command=%2Fcoach&text=forget-me"), Now));
    }

    [Theory]
    [InlineData(null, "v0=abc")]
    [InlineData("1700000000", null)]
    [InlineData("", "")]
    public void Verify_MissingHeaders_Rejects(string? ts, string? signature) =>
        Assert.Equal(SignatureResult.Missing, SlackSignature.Verify(Secret, ts, signature, Body, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Verify_NoSigningSecret_RejectsEvenACorrectlyShapedRequest(string? secret)
    {
        var ts = Stamp(Now);
        Assert.Equal(SignatureResult.NoSecret, SlackSignature.Verify(secret, ts, SlackSignature.Compute(string.Empty, ts, Body), Body, Now));
    }

    [Theory]
    [InlineData("17e8")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public void Verify_MalformedTimestamp_Rejects(string ts) =>
        Assert.Equal(SignatureResult.BadTimestamp, SlackSignature.Verify(Secret, ts, SlackSignature.Compute(Secret, ts, Body), Body, Now));
}
