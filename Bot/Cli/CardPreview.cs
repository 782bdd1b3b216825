using System.Text.Encodings.Web;
using System.Text.Json;
using CoachBot.Adapters.Teams.Cards;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;

namespace CoachBot.Bot.Cli;

/// <summary>What <c>practice --card &lt;platform&gt;</c> prints: the message the bot would send for the report.</summary>
internal static class CardPreview
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The platforms with a preview.</summary>
    public static IReadOnlyList<string> Platforms { get; } = ["teams"];

    /// <summary>Renders the reply the bot would send for <paramref name="report"/> on <paramref name="platform"/>.</summary>
    public static string Render(string platform, CoachingReport report)
    {
        var reply = new TurnReply { Kind = TurnReplyKind.Report, Text = $"Overall {report.Overall}/100", Report = report };
        return platform switch
        {
            // The card as Teams receives it (the recorder button is shown when a public URL is configured).
            "teams" => TeamsCards.ForReply(reply, new CardOptions(CanRecord: true)).ToJsonString(Indented),
            _ => throw new UsageException($"--card must be one of: {string.Join(", ", Platforms)}."),
        };
    }
}
