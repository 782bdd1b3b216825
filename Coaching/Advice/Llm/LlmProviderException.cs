using System.Net;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>A provider call that failed: a network error or an HTTP status, with the server's <c>Retry-After</c>.</summary>
public sealed class LlmProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LlmProviderException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LlmProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LlmProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A failure with an HTTP status (null: no response, the connection failed or dropped).</summary>
    public LlmProviderException(string message, int? status, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, or null when there was no response.</summary>
    public int? Status { get; }

    /// <summary>How long the server asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether trying again may help: no response, 408, 429 or 5xx.</summary>
    public bool IsTransient => Status is null or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500;

    /// <summary>Reads <c>Retry-After</c> as seconds or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }
}

/// <summary>A model reply that is not the advice JSON the schema asks for.</summary>
public sealed class LlmOutputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LlmOutputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LlmOutputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LlmOutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
