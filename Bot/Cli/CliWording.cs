namespace CoachBot.Bot.Cli;

/// <summary>
/// The coaching core answers in chat wording ("paste the text as a message", "say “skip”"); on the command line the
/// same refusal names the flag or verb that does it. One table for every verb, so a practice refusal and a mock
/// refusal read alike; phrases are replaced longest first, and a text with none of them is left as it is.
/// </summary>
internal static class CliWording
{
    private static readonly (string Chat, string CommandLine)[] Phrases =
    [
        ("To type your answer, paste the text as a message; to answer out loud, send a voice note or an audio file",
            "To answer in writing, use --text \"…\"; to answer out loud, pass a recording with --audio <file>"),
        ("Say “skip” to move on, “repeat” to hear a question again, “mock stop” to end early.",
            "Run mock skip to move on, mock stop to end early (and mock report for the card again)."),
        ("Reply “yes” to keep it as your answer", "Run mock answer --text yes to keep it as your answer"),
        ("or say “skip” to move on", "or run mock skip to move on"),
        ("Please send it again, or type your answer.", "Check the file, or answer with --text instead."),
        ("Please type your answer instead.", "Answer with --text instead."),
        ("or type your answer.", "or answer with --text."),
        ("type your answer", "answer with --text"),
    ];

    /// <summary><paramref name="chatText"/> with each chat instruction replaced by its command-line form.</summary>
    public static string For(string chatText)
    {
        var text = chatText;
        foreach (var (chat, commandLine) in Phrases)
        {
            text = text.Replace(chat, commandLine, StringComparison.Ordinal);
        }

        return text;
    }
}
