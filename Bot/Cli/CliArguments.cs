using CoachBot.Coaching.Questions;

namespace CoachBot.Bot.Cli;

/// <summary>Checks of argument values that several verbs share; a bad value is a usage error (exit 2).</summary>
internal static class CliArguments
{
    /// <summary>A role id or alias (pm, swe, support…), or null when none was given.</summary>
    public static string? Role(string? value) =>
        value is null ? null : Roles.Resolve(value)
            ?? throw new UsageException($"Unknown role '{value}'. Roles: {string.Join(", ", Roles.All)}.");

    /// <summary>A question category, or null when none was given.</summary>
    public static string? Category(string? value)
    {
        var category = value?.ToLowerInvariant();
        return category is null || Categories.All.Contains(category)
            ? category
            : throw new UsageException($"Unknown category '{value}'. Categories: {string.Join(", ", Categories.All)}.");
    }
}
