using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// OpenAI chat completions through the OpenAI SDK, as an <see cref="IChatClient"/>. The base URL is configurable, so
/// Azure OpenAI's v1 API and OpenAI-compatible servers (vLLM, LM Studio, Ollama's <c>/v1</c>) work too. The SDK's own
/// retries are off: the provider's Polly pipeline decides, and SDK failures become <see cref="LlmProviderException"/>.
/// </summary>
internal sealed class OpenAiChatClient : ProviderChatClient
{
    private readonly Sdk.ChatClient _client;
    private readonly string _provider;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;

    public OpenAiChatClient(HttpClient http, Uri endpoint, string model, string? apiKey, bool azure, TimeProvider time)
        : base(azure ? "azure-openai" : "openai", endpoint, model)
    {
        ArgumentNullException.ThrowIfNull(http);
        _endpoint = endpoint;
        _time = time;
        _provider = azure ? "azure-openai" : "openai";
        if (azure && !string.IsNullOrEmpty(apiKey))
        {
            // Azure's v1 API reads the key from "api-key"; the SDK also sends it as a bearer token.
            http.DefaultRequestHeaders.Add("api-key", apiKey);
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Compatible servers without auth still need a non-empty credential for the SDK.
        _client = new Sdk.ChatClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sdkMessages = LlmHttp.Texts(messages).Select(m => m.Role switch
        {
            "system" => (Sdk.ChatMessage)new Sdk.SystemChatMessage(m.Text),
            "assistant" => new Sdk.AssistantChatMessage(m.Text),
            _ => new Sdk.UserChatMessage(m.Text),
        }).ToList();

        var completionOptions = new Sdk.ChatCompletionOptions();
        if (options?.Temperature is { } temperature)
        {
            completionOptions.Temperature = temperature;
        }

        if (options?.MaxOutputTokens is { } max)
        {
            completionOptions.MaxOutputTokenCount = max;
        }

        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } json)
        {
            completionOptions.ResponseFormat = Sdk.ChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription, jsonSchemaIsStrict: true);
        }

        Sdk.ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(sdkMessages, completionOptions, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (ClientResultException ex)
        {
            var raw = ex.GetRawResponse();
            TimeSpan? retryAfter = raw is not null && raw.Headers.TryGetValue("Retry-After", out var value)
                ? LlmProviderException.ParseRetryAfter(value, _time.GetUtcNow())
                : null;
            // Status 0: no response at all (connection refused or dropped).
            throw new LlmProviderException($"{_endpoint.Host} ({_provider}) failed: {ex.Message}", ex.Status == 0 ? null : ex.Status, retryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new LlmProviderException($"{_endpoint.Host} ({_provider}) could not be reached or dropped the connection: {ex.Message}", null, null, ex);
        }
        catch (IOException ex)
        {
            throw new LlmProviderException($"The connection to {_endpoint.Host} ({_provider}) broke: {ex.Message}", null, null, ex);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // The SDK could not read the reply as a chat completion.
            throw new LlmOutputException($"{_endpoint.Host} ({_provider}) sent a reply that is not a chat completion: {ex.Message}", ex);
        }

        var text = string.Concat(completion.Content.Where(p => p.Kind == Sdk.ChatMessageContentPartKind.Text).Select(p => p.Text));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = completion.Model ?? Model,
            FinishReason = completion.FinishReason == Sdk.ChatFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
        };
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(Sdk.ChatClient) ? _client : base.GetService(serviceType, serviceKey);

}
