namespace CoachBot.Adapters.Slack.WebApi;

/// <summary>A Slack Web API call answered <c>ok: false</c> (or could not be made); <see cref="Error"/> is Slack's error code.</summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException()
    {
        Method = string.Empty;
        Error = "unknown";
    }

    public SlackApiException(string message)
        : base(message)
    {
        Method = string.Empty;
        Error = "unknown";
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = string.Empty;
        Error = "unknown";
    }

    public SlackApiException(string method, string error, Exception? innerException = null)
        : base($"Slack {method} failed: {error}", innerException)
    {
        Method = method;
        Error = error;
    }

    /// <summary>The Web API method, e.g. <c>chat.update</c>.</summary>
    public string Method { get; }

    /// <summary>Slack's error code, e.g. <c>channel_not_found</c>, or <c>http_500</c>, <c>not_configured</c>.</summary>
    public string Error { get; }
}
