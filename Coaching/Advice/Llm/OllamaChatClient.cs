using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models.Exceptions;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Ollama's chat through OllamaSharp (<c>POST /api/chat</c>, not streamed, <c>format</c> set to the requested JSON
/// schema so the model's output is constrained to it). OllamaSharp drops the status and <c>Retry-After</c> of a refused
/// request, which the advice chain's retry and circuit breaker need, so a handler under it turns every HTTP failure
/// into an <see cref="LlmProviderException"/> first; a model Ollama does not have says to run <c>ollama pull</c>.
/// </summary>
internal sealed class OllamaChatClient : ProviderChatClient
{
    private readonly HttpClient _http;
    private readonly OllamaApiClient _ollama;
    private readonly string _host;

    public OllamaChatClient(Uri baseUrl, string model, TimeProvider time)
        : base("ollama", baseUrl, model)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _host = baseUrl.Host;
#pragma warning disable CA2000 // The HttpClient owns the handler chain and is disposed with this client.
        _http = new HttpClient(new ProblemHandler(model, time) { InnerHandler = LlmHttp.CreateHandler() }, disposeHandler: true)
#pragma warning restore CA2000
        {
            BaseAddress = LlmHttp.AsBase(baseUrl),
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline owns timeouts
        };
        _ollama = new OllamaApiClient(_http, model);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatResponse response;
        try
        {
            // Text only, as the other providers send it.
            var texts = LlmHttp.Texts(messages).Select(m => new ChatMessage(m.Role switch { "system" => ChatRole.System, "assistant" => ChatRole.Assistant, _ => ChatRole.User }, m.Text));
            response = await ((IChatClient)_ollama).GetResponseAsync(texts, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OllamaException ex)
        {
            throw new LlmProviderException($"{_host} refused the request: {LlmHttp.Excerpt(ex.Message)}", (int)HttpStatusCode.BadRequest, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new LlmProviderException($"{_host} could not be reached or dropped the connection: {ex.Message}", null, null, ex);
        }
        catch (IOException ex)
        {
            throw new LlmProviderException($"The connection to {_host} broke: {ex.Message}", null, null, ex);
        }
        catch (JsonException ex)
        {
            throw new LlmOutputException($"{_host} sent a reply that is not Ollama's chat JSON: {ex.Message}", ex);
        }

        if (string.IsNullOrEmpty(response.Text))
        {
            throw new LlmOutputException("Ollama's reply has no message content.");
        }

        response.ModelId ??= Model;
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ollama.Dispose();
            _http.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Turns a refused request into an <see cref="LlmProviderException"/> with its status and Retry-After.</summary>
    private sealed class ProblemHandler(string model, TimeProvider time) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri?.Host ?? "Ollama";
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new LlmProviderException($"{host} could not be reached or dropped the connection: {ex.Message}", null, null, ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
                    _ => (TimeSpan?)null,
                };
                var message = response.StatusCode == HttpStatusCode.NotFound && text.Contains("not found", StringComparison.OrdinalIgnoreCase)
                    ? $"{host} has no model '{model}': run `ollama pull {model}` on the Ollama host, or set the provider's Model to one it has ({LlmHttp.Excerpt(text)})"
                    : $"{host} answered {(int)response.StatusCode} {response.ReasonPhrase}: {LlmHttp.Excerpt(text)}";
                throw new LlmProviderException(message, (int)response.StatusCode, retryAfter);
            }
        }
    }
}
