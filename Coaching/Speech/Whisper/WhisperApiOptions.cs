using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// The remote Whisper engine (<c>whisper-api</c>): any server speaking OpenAI's <c>POST /v1/audio/transcriptions</c>
/// (OpenAI, whisper.cpp's whisper-server, faster-whisper servers) or Azure OpenAI's deployment form of it.
/// </summary>
public sealed class WhisperApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Speech:WhisperApi";

    /// <summary>
    /// The server's root, e.g. <c>https://api.openai.com</c>, <c>http://127.0.0.1:8080</c> or
    /// <c>https://my-resource.openai.azure.com</c>. Empty: the engine is unavailable.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The path under <see cref="BaseUrl"/> (OpenAI form only); whisper-server answers on <c>/inference</c> unless started with <c>--inference-path</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TranscriptionsPath { get; set; } = "/v1/audio/transcriptions";

    /// <summary>Bearer token (OpenAI) or <c>api-key</c> (Azure); optional for local servers. From an environment variable or user-secrets.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model name sent with each request.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "whisper-1";

    /// <summary>The spoken language (ISO 639-1).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z]{2,3}$", ErrorMessage = "Speech:WhisperApi:Language must be an ISO 639-1 code such as 'en'.")]
    public string Language { get; set; } = "en";

    /// <summary>Azure OpenAI: the deployment name. When set, requests go to <c>{BaseUrl}/openai/deployments/{AzureDeployment}/audio/transcriptions</c> with an <c>api-key</c> header.</summary>
    public string? AzureDeployment { get; set; }

    /// <summary>Azure OpenAI: the <c>api-version</c> query parameter.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AzureApiVersion { get; set; } = "2024-06-01";

    /// <summary>How long one transcription may take in all (every attempt), in seconds.</summary>
    [Range(1, 3_600)]
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>Further attempts after a 429, a 5xx or a dropped connection.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    /// <summary>The pause before the first retry, in seconds (doubled for each further one).</summary>
    [Range(0, 60)]
    public double RetryDelaySeconds { get; set; } = 1;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Speech:WhisperApi:BaseUrl must be an absolute http(s) URL or empty.", [nameof(BaseUrl)]);
        }

        if (!TranscriptionsPath.StartsWith('/'))
        {
            yield return new ValidationResult("Speech:WhisperApi:TranscriptionsPath must start with '/'.", [nameof(TranscriptionsPath)]);
        }
    }
}
