using System.ComponentModel.DataAnnotations;

namespace CoachBot.Bot.DevChat;

/// <summary>Settings of the web dev chat (<c>DevChat</c> section).</summary>
internal sealed class DevChatOptions
{
    public const string SectionName = "DevChat";

    /// <summary>Serves the dev chat; unset means only in the Development environment.</summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// The access token required when the host listens beyond loopback or a request comes from another machine.
    /// Without one, such requests are refused. It needs 128 bits of entropy (<see cref="DevChatOptionsValidation"/>), for
    /// example <c>openssl rand -hex 32</c> (URL-safe as printed). Set it from the environment (<c>DevChat__Token</c>), never a committed file.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Messages and replies kept per conversation for browsers that reconnect or reload.</summary>
    [Range(10, 10_000)]
    public int MaxEntriesPerConversation { get; set; } = 200;

    /// <summary>
    /// Days a conversation's entries are kept in a database shared by several instances (PostgreSQL); one instance keeps
    /// them in memory (<see cref="MaxConversations"/>) until it restarts.
    /// </summary>
    [Range(1, 3_650)]
    public int KeepDays { get; set; } = 7;

    /// <summary>Conversations kept in memory on one instance; the least recently used is dropped first.</summary>
    [Range(1, 100_000)]
    public int MaxConversations { get; set; } = 500;
}
