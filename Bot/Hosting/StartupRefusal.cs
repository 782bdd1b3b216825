using CoachBot.Coaching.Questions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// A host that its settings refuse (a missing <c>Teams:AppPassword</c>, an <c>http://</c> <c>Teams:PublicBaseUrl</c>, a bad
/// question file, a database it cannot open) stops with one message naming the problem and exit code 1, the command
/// line's "refused": not an unhandled exception with a stack trace and SIGABRT, which under systemd reads as a crash.
/// </summary>
internal static partial class StartupRefusal
{
    /// <summary>The exit code of a refused start (the command line's <c>Refused</c>).</summary>
    public const int ExitCode = 1;

    /// <summary>
    /// Runs, before the host starts, what its start would run first: every option validated on start, then every hosted
    /// service built (which loads the question bank and opens the queue). A refusal then throws here, before the host
    /// would log it with its stack trace.
    /// </summary>
    public static void Check(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        _ = services.GetServices<IHostedService>().ToList();
    }

    /// <summary>
    /// The failures of a validation, each without the framework's "DataAnnotation validation failed for 'XOptions'
    /// members: 'Y' with the error: '…'." wrapping: the message inside names the setting already.
    /// </summary>
    public static string Failures(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return string.Join("; ", exception.Failures.Select(f =>
            DataAnnotationWrapping().Match(f) is { Success: true } m ? m.Groups["message"].Value : f));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex DataAnnotationWrapping();

    /// <summary>The one message for a refusal, or null when <paramref name="exception"/> is not one (a defect, shown in full).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException options => $"CoachBot did not start: the configuration is not valid: {Failures(options)}",
        AggregateException all when all.InnerExceptions.Count > 0 && all.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join(Environment.NewLine, all.InnerExceptions.Select(Describe)),
        QuestionBankException bank => $"CoachBot did not start: the question bank could not be loaded: {bank.Message}",
        SqliteException or UnauthorizedAccessException => $"CoachBot did not start: it could not use its storage ({exception.Message}). Check Storage:DatabasePath and that its folder is writable.",
        IOException io => $"CoachBot did not start: {io.Message}",
        _ => null,
    };
}
