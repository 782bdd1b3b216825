using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>Creates the <see cref="IChatClient"/> for a configured provider.</summary>
public static class AdviceChatClients
{
    /// <summary>
    /// The client for <paramref name="provider"/> (already validated) over <paramref name="http"/>, which the caller owns.
    /// Ollama through OllamaSharp (over its own HttpClient, which it owns), Anthropic over plain HTTP, OpenAI and Azure
    /// OpenAI through the OpenAI SDK.
    /// </summary>
    public static IChatClient Create(LlmProviderOptions provider, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var kind = LlmProviderKinds.Resolve(provider.Kind) ?? throw new ArgumentException($"Unknown provider kind '{provider.Kind}'.", nameof(provider));
        var baseUrl = BaseUrl(provider);
        var model = LlmProviderKinds.ModelOf(provider) ?? throw new ArgumentException("The provider has no model.", nameof(provider));
        return kind switch
        {
            LlmProviderKinds.Ollama => new OllamaChatClient(baseUrl, model, time),
            LlmProviderKinds.Anthropic => new AnthropicChatClient(http, baseUrl, model, provider.ApiKey ?? string.Empty, time),
            _ => new OpenAiChatClient(http, baseUrl, model, provider.ApiKey, kind == LlmProviderKinds.AzureOpenAI, time),
        };
    }

    /// <summary>The configured base URL, or the kind's default.</summary>
    public static Uri BaseUrl(LlmProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var kind = LlmProviderKinds.Resolve(provider.Kind) ?? throw new ArgumentException($"Unknown provider kind '{provider.Kind}'.", nameof(provider));
        return string.IsNullOrWhiteSpace(provider.BaseUrl)
            ? LlmProviderKinds.DefaultBaseUrl(kind) ?? throw new ArgumentException($"{kind} needs a BaseUrl.", nameof(provider))
            : new Uri(provider.BaseUrl);
    }
}
