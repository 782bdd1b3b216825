using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// The LLM advice chain: an ordered list of providers tried in turn, then the rule-based coach.
/// Bound from <c>Llm</c>, e.g. <c>Llm__Providers__0__Kind=Ollama</c>, <c>Llm__Providers__0__Model=llama3.1:8b</c>.
/// </summary>
public sealed class LlmOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Llm";

    /// <summary>Providers in the order they are tried. Empty: the rule-based coach writes all advice.</summary>
    public IList<LlmProviderOptions> Providers { get; } = [];

    /// <summary>How long an identical request (same question, answer and provider) is served from the cache; 0 turns the cache off.</summary>
    [Range(0, 86_400)]
    public int CacheSeconds { get; set; } = 600;

    /// <summary>How many answers the cache holds at most.</summary>
    [Range(1, 100_000)]
    public int CacheEntries { get; set; } = 512;

    /// <summary>Retries per provider after a transient failure (network error, 408, 429, 5xx).</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    [Range(1, 60_000)]
    public int RetryBaseDelayMilliseconds { get; set; } = 400;

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the chain moves on to the next provider.</summary>
    [Range(0, 300)]
    public int MaxRetryAfterSeconds { get; set; } = 20;

    /// <summary>Share of failed calls in the sampling window that opens a provider's circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the circuit may open.</summary>
    [Range(2, 1000)]
    public int BreakMinimumCalls { get; set; } = 4;

    /// <summary>The circuit breaker's sampling window.</summary>
    [Range(1, 3600)]
    public int BreakSamplingSeconds { get; set; } = 60;

    /// <summary>How long an open circuit skips its provider before one trial call.</summary>
    [Range(1, 3600)]
    public int BreakSeconds { get; set; } = 30;

    /// <summary>
    /// Failed calls in a row (errors, unusable replies, timeouts, calls cut off by the advice budget) that open a
    /// provider's circuit for <see cref="BreakSeconds"/>, however few calls the sampling window saw; 0 turns this off.
    /// </summary>
    [Range(0, 1000)]
    public int BreakConsecutiveFailures { get; set; } = 3;

    /// <summary>
    /// The most time the whole chain may spend on the advice for a typed answer, retries and fallbacks included; when it
    /// is spent the rule-based coach answers at once.
    /// </summary>
    [Range(0.05, 600)]
    public double AdviceBudgetSeconds { get; set; } = 5;

    /// <summary>The same budget for a spoken answer, whose delivery metrics make a longer prompt.</summary>
    [Range(0.05, 600)]
    public double VoiceAdviceBudgetSeconds { get; set; } = 15;
}

/// <summary>One LLM provider of the chain.</summary>
public sealed class LlmProviderOptions
{
    /// <summary><c>Ollama</c>, <c>OpenAI</c>, <c>AzureOpenAI</c> or <c>Anthropic</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>
    /// The model (for Azure OpenAI: the deployment name). Defaults: <c>llama3.1:8b</c> for Ollama, <c>gpt-4o-mini</c> for
    /// OpenAI; required for Azure OpenAI and Anthropic.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>The server; each kind has a default except Azure OpenAI (<c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key; from the environment or user-secrets, never a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Time allowed for one attempt (the call and, if needed, its JSON repair).</summary>
    public double TimeoutSeconds { get; set; } = 30;
}

/// <summary>The provider kinds, their <c>advice.source</c> names and defaults.</summary>
public static class LlmProviderKinds
{
    /// <summary>Ollama's native chat API.</summary>
    public const string Ollama = "Ollama";

    /// <summary>OpenAI, or any OpenAI-compatible server.</summary>
    public const string OpenAI = "OpenAI";

    /// <summary>Azure OpenAI through its OpenAI-compatible v1 API.</summary>
    public const string AzureOpenAI = "AzureOpenAI";

    /// <summary>Anthropic's Messages API.</summary>
    public const string Anthropic = "Anthropic";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<string> All = [Ollama, OpenAI, AzureOpenAI, Anthropic];

    /// <summary>The canonical spelling of <paramref name="kind"/>, or null when it is not a known kind.</summary>
    public static string? Resolve(string? kind) =>
        All.FirstOrDefault(k => string.Equals(k, kind?.Trim().Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    /// <summary>The <c>advice.source</c> value of a kind.</summary>
    public static string SourceName(string kind) => kind switch
    {
        Ollama => "ollama",
        OpenAI => "openai",
        AzureOpenAI => "azure-openai",
        Anthropic => "anthropic",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown provider kind."),
    };

    /// <summary>The model a kind uses when none is configured (null: one is required).</summary>
    public static string? DefaultModel(string kind) => kind switch
    {
        Ollama => "llama3.1:8b",
        OpenAI => "gpt-4o-mini",
        _ => null,
    };

    /// <summary>The configured model, or the kind's default.</summary>
    public static string? ModelOf(LlmProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return string.IsNullOrWhiteSpace(provider.Model) ? Resolve(provider.Kind) is { } kind ? DefaultModel(kind) : null : provider.Model.Trim();
    }

    /// <summary>The server a kind talks to when no <c>BaseUrl</c> is set (null: one is required).</summary>
    public static Uri? DefaultBaseUrl(string kind) => kind switch
    {
        Ollama => new Uri("http://localhost:11434/"),
        OpenAI => new Uri("https://api.openai.com/v1/"),
        Anthropic => new Uri("https://api.anthropic.com/"),
        _ => null,
    };

    /// <summary>
    /// Whether the provider cannot work without a key: OpenAI's own service, Azure and Anthropic do; Ollama and
    /// OpenAI-compatible servers elsewhere (vLLM, LM Studio, Ollama's /v1) usually do not.
    /// </summary>
    public static bool NeedsKey(string kind, Uri baseUrl) => kind switch
    {
        Ollama => false,
        OpenAI => baseUrl.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };
}

/// <summary>Refuses unknown kinds, missing models and bad URLs, naming the setting, so start-up stops with a clear message.</summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Providers.Count; i++)
        {
            var provider = options.Providers[i];
            var key = $"{LlmOptions.SectionName}:Providers:{i}";
            var kind = LlmProviderKinds.Resolve(provider.Kind);
            if (kind is null)
            {
                failures.Add($"{key}:Kind '{provider.Kind}' is not a known provider; use one of {string.Join(", ", LlmProviderKinds.All)}.");
            }

            if (kind is not null && LlmProviderKinds.ModelOf(provider) is null)
            {
                failures.Add($"{key}:Model is required for {kind}{(kind == LlmProviderKinds.AzureOpenAI ? " (the deployment name)" : string.Empty)}.");
            }

            if (!string.IsNullOrWhiteSpace(provider.BaseUrl))
            {
                if (!Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add($"{key}:BaseUrl '{provider.BaseUrl}' is not an absolute http(s) URL.");
                }
            }
            else if (kind == LlmProviderKinds.AzureOpenAI)
            {
                failures.Add($"{key}:BaseUrl is required for Azure OpenAI, e.g. https://<resource>.openai.azure.com/openai/v1/.");
            }

            if (provider.TimeoutSeconds is < 0.05 or > 600 || double.IsNaN(provider.TimeoutSeconds))
            {
                failures.Add($"{key}:TimeoutSeconds must be between 0.05 and 600.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
