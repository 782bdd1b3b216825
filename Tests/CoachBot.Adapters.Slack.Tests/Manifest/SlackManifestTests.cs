using CoachBot.Coaching.Tests.Support;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Manifest;
using CoachBot.Adapters.Slack.Tests.Support;

namespace CoachBot.Adapters.Slack.Tests.Manifest;

public sealed class SlackManifestTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_Manifest_IsValidAgainstSlacksSchema(bool socketMode)
    {
        var (code, output) = Validate(SlackManifest.Build(new Uri("https://coach.example.com/"), socketMode));

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Validate_BrokenManifest_FailsTheSchemaCheck()
    {
        var manifest = JsonNode.Parse(SlackManifest.Build(new Uri("https://coach.example.com"), false))!;
        manifest["features"]!["slash_commands"]![0]!["command"] = "coach";

        var (code, _) = Validate(manifest.ToJsonString());

        Assert.Equal(1, code);
    }

    [Fact]
    public void Build_Http_PointsSlackAtTheThreeEndpoints()
    {
        var manifest = JsonNode.Parse(SlackManifest.Build(new Uri("https://coach.example.com/bot/"), false))!;

        Assert.Equal("https://coach.example.com/bot/slack/commands", manifest["features"]!["slash_commands"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("https://coach.example.com/bot/slack/events", manifest["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>());
        Assert.Equal("https://coach.example.com/bot/slack/interactions", manifest["settings"]!["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.False(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Build_SocketMode_HasNoRequestUrls()
    {
        var json = SlackManifest.Build(null, true);

        Assert.DoesNotContain("request_url", json, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", json, StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(json)!["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Build_Manifest_AsksForExactlyTheScopesAndEventsUsed()
    {
        var manifest = JsonNode.Parse(SlackManifest.Build(new Uri("https://coach.example.com"), false))!;

        Assert.Equal(
            ["app_mentions:read", "channels:history", "channels:read", "chat:write", "commands", "files:read", "groups:history", "groups:read", "im:history", "users:read"],
            manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["app_home_opened", "app_mention", "message.channels", "message.groups", "message.im"],
            manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("http://coach.example.com")]
    [InlineData("https://coach.example.com/?x=1")]
    public void Build_NotAPlainHttpsAddress_Throws(string url) =>
        Assert.Throws<ArgumentException>(() => SlackManifest.Build(new Uri(url), false));

    [Fact]
    public void Build_HttpWithoutBaseUrl_Throws() => Assert.Throws<ArgumentException>(() => SlackManifest.Build(null, false));

    internal static (int Code, string Output) Validate(string manifest)
    {
        var file = Path.Combine(Path.GetTempPath(), $"coachbot-manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, manifest);
        try
        {
            return TestData.Try("node", TestData.JsTools, "validate-slack-manifest.mjs", Path.Combine(TestData.Shared, "schemas"), file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
