namespace CoachBot.Coaching.Questions;

/// <summary>A question bank file is missing, unreadable or breaks a rule; the message names the file and the problem.</summary>
public sealed class QuestionBankException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QuestionBankException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public QuestionBankException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QuestionBankException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
