namespace CoachBot.Coaching.Pipeline;

/// <summary>Tells the chat commands every channel shares from answers, so each adapter classifies a message the same way.</summary>
public static class ChatCommands
{
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal)
    {
        "start", "next", "hint", "repeat", "progress", "role", "difficulty", "help", "forget", "forget-me", "group", "mock", "plan",
    };

    /// <summary>
    /// Whether a message is a command rather than an answer: it starts with a command word and is short (an answer that
    /// happens to begin with "next" or "start" is longer). Group commands may carry a few more settings.
    /// </summary>
    public static bool IsCommand(string? text)
    {
        var words = (text ?? string.Empty).Trim().TrimStart('/').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }

        var verb = words[0].ToLowerInvariant();

        // "plan job: <the posting>" carries a job description of any length.
        return Verbs.Contains(verb) && (words.Length <= (verb == "group" ? 8 : 4) || (verb == "plan" && words[1].StartsWith("job", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Whether a message in a group round's thread is one of the round's own words (next, wrap, remind, share, help).</summary>
    public static bool IsRoundCommand(string? text)
    {
        var words = (text ?? string.Empty).Trim().TrimStart('/').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length is 1 or 2 && words[0].ToLowerInvariant() is "next" or "wrap" or "remind" or "share" or "help";
    }
}
