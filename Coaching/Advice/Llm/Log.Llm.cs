using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching;

/// <summary>Log lines of the LLM advice chain (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Advice chain: {Chain}")]
    public static partial void AdviceChain(ILogger logger, string chain);

    [LoggerMessage(5001, LogLevel.Warning, "LLM provider {Index} ({Kind}, {Model}) has no API key and is skipped; set Llm__Providers__{Index}__ApiKey in the environment or user-secrets")]
    public static partial void ProviderSkipped(ILogger logger, int index, string kind, string model);

    [LoggerMessage(5002, LogLevel.Information, "Advice written by {Source} ({Model}) in {ElapsedMs} ms")]
    public static partial void AdviceWritten(ILogger logger, string source, string? model, long elapsedMs);

    [LoggerMessage(5003, LogLevel.Warning, "Advice provider {Source} failed ({Reason}); falling back to {Next}: {Message}")]
    public static partial void ProviderFellBack(ILogger logger, string source, string reason, string next, string message);

    [LoggerMessage(5004, LogLevel.Information, "Advice provider {Source} failed transiently (attempt {Attempt}); retrying in {DelayMs} ms: {Message}")]
    public static partial void ProviderRetrying(ILogger logger, string source, int attempt, long delayMs, string message);

    [LoggerMessage(5005, LogLevel.Warning, "Advice provider {Source} returned unusable JSON; asking once for a repair: {Problem}")]
    public static partial void RepairRequested(ILogger logger, string source, string problem);

    [LoggerMessage(5006, LogLevel.Warning, "Circuit of advice provider {Source} opened for {BreakSeconds} s")]
    public static partial void CircuitOpened(ILogger logger, string source, double breakSeconds);

    [LoggerMessage(5007, LogLevel.Information, "Circuit of advice provider {Source} closed")]
    public static partial void CircuitClosed(ILogger logger, string source);

    [LoggerMessage(5008, LogLevel.Debug, "Advice served from the cache for {Source} ({Model})")]
    public static partial void AdviceCached(ILogger logger, string source, string model);

    [LoggerMessage(5010, LogLevel.Warning, "The advice budget of {BudgetSeconds} s was spent while {Source} was writing; the rule-based coach answers")]
    public static partial void AdviceBudgetSpent(ILogger logger, double budgetSeconds, string source);

    [LoggerMessage(5011, LogLevel.Warning, "Circuit of advice provider {Source} opened for {BreakSeconds} s after {Failures} failures in a row")]
    public static partial void CircuitOpenedInARow(ILogger logger, string source, double breakSeconds, int failures);

    [LoggerMessage(5009, LogLevel.Trace, "Prompt for {Source}: {Prompt}")]
    public static partial void AdvicePrompt(ILogger logger, string source, string prompt);
}
