namespace CoachBot.Coaching.Questions;

/// <summary>Where the question bank comes from.</summary>
public sealed class QuestionBankOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Questions";

    /// <summary>The folder of the built-in bank; empty means the <c>questions</c> folder next to the program.</summary>
    public string? Directory { get; set; }

    /// <summary>Extra folders with an organisation's own question files, loaded and validated like the built-in ones.</summary>
    public IList<string> AdditionalDirectories { get; } = [];

    /// <summary>The folders to load, in order.</summary>
    public IReadOnlyList<string> ResolveDirectories() =>
    [
        string.IsNullOrWhiteSpace(Directory) ? Path.Combine(AppContext.BaseDirectory, "questions") : Directory,
        .. AdditionalDirectories.Where(d => !string.IsNullOrWhiteSpace(d)),
    ];
}
