namespace CoachBot.Adapters.Slack;

/// <summary>The channel name of Slack turns, and the keys of the reply routing the adapter keeps in <c>CoachingTurn.Reply</c>.</summary>
internal static class SlackChannel
{
    public const string Name = "slack";

    /// <summary>The conversation to answer in (may differ from the turn's after a fallback to the user's DM).</summary>
    public const string RouteChannel = "channel";

    /// <summary>The thread to answer in.</summary>
    public const string RouteThread = "thread_ts";

    /// <summary>Who the turn is from (for ephemeral messages).</summary>
    public const string RouteUser = "user";

    /// <summary>The "working on it" message the reply replaces.</summary>
    public const string RoutePlaceholder = "placeholder_ts";

    /// <summary>Where the turn came from: message, command or action.</summary>
    public const string RouteOrigin = "origin";
}
