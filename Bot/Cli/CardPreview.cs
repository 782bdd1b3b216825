using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;

namespace CoachBot.Bot.Cli;

/// <summary><c>practice --card &lt;channel&gt;</c>: prints the message the bot would send on that channel for the report.</summary>
internal static class CardPreview
{
    public static readonly string[] Channels = ["slack", "teams"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Option<string> Option()
    {
        var option = new Option<string>("--card") { Description = "Print the message the bot would send on this channel instead of the report: " + string.Join(", ", Channels) + "." };
        option.AcceptOnlyFromAmong(Channels);
        return option;
    }

    public static string Render(string channel, CoachingReport report) => channel switch
    {
        "slack" => BlockKitRenderer.Render(report).ToJson(),

        // The card as Teams receives it (the recorder button is shown when a public URL is configured).
        "teams" => AdaptiveCards.ForReply(new TurnReply { Kind = TurnReplyKind.Report, Text = $"Overall {report.Overall}/100", Report = report }, new CardOptions(CanRecord: true)).ToJsonString(Indented),
        _ => throw new UsageException($"--card takes one of: {string.Join(", ", Channels)}."),
    };
}
