using System.Text.Json.Nodes;
using CoachBot.Coaching.Pipeline;

namespace CoachBot.Adapters.Teams.Cards;

/// <summary>Renders replies as Adaptive Cards (schema 1.5) for Teams and the web dev chat.</summary>
public static class TeamsCards
{
    /// <summary>The Adaptive Card schema version the cards declare.</summary>
    public const string Version = "1.5";

    /// <summary>The card for a reply.</summary>
    public static JsonObject ForReply(TurnReply reply, CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(options);
        return Card([new JsonObject { ["type"] = "TextBlock", ["text"] = reply.Text, ["wrap"] = true }], []);
    }

    /// <summary>The card posted when the app is installed: what CoachBot does and how to practise.</summary>
    public static JsonObject Welcome(CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Card([new JsonObject { ["type"] = "TextBlock", ["text"] = "Welcome to CoachBot. Say “start” to practise.", ["wrap"] = true }], []);
    }

    private static JsonObject Card(JsonArray body, JsonArray actions) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = Version,
        ["body"] = body,
        ["actions"] = actions,
    };
}
