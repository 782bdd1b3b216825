using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>The in-process whisper.cpp engine (<c>whisper.cpp</c>, through Whisper.net): its model and decoding settings.</summary>
public sealed class WhisperOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Speech:Whisper";

    /// <summary>The model whisper.cpp's own scripts download by default for English.</summary>
    public const string DefaultModelUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en.bin";

    /// <summary>SHA-256 of <see cref="DefaultModelUrl"/>'s file.</summary>
    public const string DefaultModelSha256 = "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002";

    /// <summary>
    /// The ggml model file. Relative paths are resolved against the host's data root (the repository root when run
    /// from a built checkout). When the file is missing it is
    /// downloaded from <see cref="ModelUrl"/> on first use.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string ModelPath { get; set; } = Path.Combine("data", "models", "ggml-base.en.bin");

    /// <summary>Where a missing model is downloaded from; empty turns downloading off.</summary>
    public string? ModelUrl { get; set; } = DefaultModelUrl;

    /// <summary>
    /// The downloaded file's SHA-256 (hex); a mismatch discards the download. Empty skips the check. When
    /// <see cref="ModelUrl"/> is changed, set this to the new file's hash (or empty).
    /// </summary>
    [RegularExpression("^([0-9a-fA-F]{64})?$", ErrorMessage = "Speech:Whisper:ModelSha256 must be 64 hex digits or empty.")]
    public string? ModelSha256 { get; set; } = DefaultModelSha256;

    /// <summary>The downloaded file's size in bytes; 0 accepts any size the server announces.</summary>
    [Range(0, long.MaxValue)]
    public long ModelSizeBytes { get; set; }

    /// <summary>How long a model download may take, in minutes.</summary>
    [Range(1, 240)]
    public int DownloadTimeoutMinutes { get; set; } = 30;

    /// <summary>CPU threads whisper.cpp uses per transcription.</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Beam size: 1 decodes greedily (fastest), 2 or more uses beam search of that width (whisper-cli's default is 5).</summary>
    [Range(1, 16)]
    public int BeamSize { get; set; } = 1;

    /// <summary>The spoken language (ISO 639-1); English models accept only <c>en</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z]{2,3}$", ErrorMessage = "Speech:Whisper:Language must be an ISO 639-1 code such as 'en'.")]
    public string Language { get; set; } = "en";

    /// <summary>After the engine was found unavailable, how long to answer "unavailable" at once before trying again, in seconds.</summary>
    [Range(0, 86_400)]
    public int RetryUnavailableAfterSeconds { get; set; } = 300;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ModelUrl)
            && (!Uri.TryCreate(ModelUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Speech:Whisper:ModelUrl must be an absolute http(s) URL or empty.", [nameof(ModelUrl)]);
        }
    }
}
