namespace CoachBot.Coaching.Plans;

/// <summary>Why a résumé or job description file could not be read.</summary>
public enum DocumentProblem
{
    /// <summary>The file is larger than <see cref="PlanOptions.MaxFileBytes"/>.</summary>
    TooLarge,

    /// <summary>The PDF is encrypted or password-protected.</summary>
    Encrypted,

    /// <summary>The file holds no readable text (a scanned PDF, an image).</summary>
    NoText,

    /// <summary>A Word document with macros.</summary>
    Macros,

    /// <summary>The file is damaged or is not what its name says.</summary>
    Broken,

    /// <summary>A file type that is not read (only PDF, DOCX and plain text are).</summary>
    Unsupported,

    /// <summary>The text was read, but finding its facts failed (a fault in CoachBot, not in the document).</summary>
    NotUnderstood,
}

/// <summary>A document was refused; <see cref="Exception.Message"/> tells the user why and what to send instead.</summary>
public sealed class DocumentRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public DocumentRefusedException(DocumentProblem problem, string message, Exception? inner = null)
        : base(message, inner) => Problem = problem;

    /// <summary>Creates a refusal for an unreadable file.</summary>
    public DocumentRefusedException()
        : this(DocumentProblem.Broken, "The file could not be read.")
    {
    }

    /// <summary>Creates a refusal for an unreadable file with this message.</summary>
    public DocumentRefusedException(string message)
        : this(DocumentProblem.Broken, message)
    {
    }

    /// <summary>Creates a refusal for an unreadable file with this message and cause.</summary>
    public DocumentRefusedException(string message, Exception innerException)
        : this(DocumentProblem.Broken, message, innerException)
    {
    }

    /// <summary>What was wrong.</summary>
    public DocumentProblem Problem { get; }

    /// <summary>A stable code for JSON output, such as <c>encrypted</c> or <c>too_large</c>.</summary>
    public string Code => Problem switch
    {
        DocumentProblem.TooLarge => "too_large",
        DocumentProblem.Encrypted => "encrypted",
        DocumentProblem.NoText => "no_text",
        DocumentProblem.Macros => "macros",
        DocumentProblem.Broken => "broken",
        DocumentProblem.NotUnderstood => "not_understood",
        _ => "unsupported",
    };
}
