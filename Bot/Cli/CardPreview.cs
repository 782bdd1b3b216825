using System.CommandLine;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Coaching.Reports;

namespace CoachBot.Bot.Cli;

/// <summary><c>practice --card &lt;channel&gt;</c>: prints the message the bot would send on that channel for the report.</summary>
internal static class CardPreview
{
    public static readonly string[] Channels = ["slack"];

    public static Option<string> Option()
    {
        var option = new Option<string>("--card") { Description = "Print the message the bot would send on this channel instead of the report: " + string.Join(", ", Channels) + "." };
        option.AcceptOnlyFromAmong(Channels);
        return option;
    }

    public static string Render(string channel, CoachingReport report) => channel switch
    {
        "slack" => BlockKitRenderer.Render(report).ToJson(),
        _ => throw new UsageException($"--card takes one of: {string.Join(", ", Channels)}."),
    };
}
