namespace CoachBot.Adapters.Slack.Tests;

public sealed class SlackStartupCheckTests
{
    [Fact]
    public void TokenProblems_SwappedTokens_SaysBothAreSwapped_WithoutPrintingThem()
    {
        var problems = SlackStartupCheck.TokenProblems(new SlackOptions { AppToken = "xoxb-1-secret-bot", BotToken = "xapp-1-secret-app" }).ToList();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("swapped", p, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slack:AppToken", StringComparison.Ordinal) && p.Contains("xapp-", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slack:BotToken", StringComparison.Ordinal) && p.Contains("xoxb-", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain("secret", p, StringComparison.Ordinal));
    }

    [Fact]
    public void TokenProblems_TokensOfTheRightKind_OrNone_SaysNothing()
    {
        Assert.Empty(SlackStartupCheck.TokenProblems(new SlackOptions { AppToken = "xapp-1-A-2-b", BotToken = "xoxb-1-2-c" }));
        Assert.Empty(SlackStartupCheck.TokenProblems(new SlackOptions()));
    }

    [Fact]
    public void TokenProblems_AppTokenOfNoKnownKind_NamesTheKindItWants()
    {
        var problem = Assert.Single(SlackStartupCheck.TokenProblems(new SlackOptions { AppToken = "paste-here" }));

        Assert.Contains("xapp-", problem, StringComparison.Ordinal);
        Assert.Contains("connections:write", problem, StringComparison.Ordinal);
    }
}
