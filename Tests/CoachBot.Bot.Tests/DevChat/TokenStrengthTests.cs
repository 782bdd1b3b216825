using System.Security.Cryptography;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Support;

namespace CoachBot.Bot.Tests.DevChat;

public sealed class TokenStrengthTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("abababababababababababababababababababababababab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    [InlineData("s3cret-dev-chat-token-123")]
    [InlineData("0123456789abcdef")]
    public void Validate_WeakToken_FailsSayingHowToMakeOne(string token)
    {
        var result = new DevChatOptionsValidation().Validate(null, new DevChatOptions { Token = token });

        Assert.True(result.Failed);
        Assert.Contains("openssl rand -hex 32", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokensFromOpensslRand_Pass()
    {
        // What `openssl rand -base64 32` and `openssl rand -hex 32` print: 256 random bits each.
        for (var i = 0; i < 500; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(32);
            foreach (var token in new[] { Convert.ToBase64String(bytes), Convert.ToHexStringLower(bytes) })
            {
                var result = new DevChatOptionsValidation().Validate(null, new DevChatOptions { Token = token });
                Assert.True(result.Succeeded, $"{token}: {result.FailureMessage}");
            }
        }
    }

    [Fact]
    public async Task StartUp_WeakDevChatToken_StopsWithHowToGenerateOne()
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("weak.db"),
            ["DevChat:Token"] = "aaaaaaaaaaaaaaaa",
        });

        Assert.NotEqual(0, code);
        Assert.Contains("DevChat:Token", output, StringComparison.Ordinal);
        Assert.Contains("openssl rand -hex 32", output, StringComparison.Ordinal);
        Assert.DoesNotContain("aaaaaaaaaaaaaaaa", output, StringComparison.Ordinal);
    }
}
