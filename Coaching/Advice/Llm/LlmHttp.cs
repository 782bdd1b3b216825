using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>The HTTP plumbing shared by the providers spoken over plain HttpClient (Anthropic) or under OllamaSharp.</summary>
internal static class LlmHttp
{
    /// <summary>
    /// A client for one provider: pooled connections that are renewed, no timeout of its own (the pipeline owns
    /// timeouts), and no redirects: .NET keeps custom headers such as <c>x-api-key</c> and <c>api-key</c> on a
    /// redirect, so following one could hand a provider's key to another host. A 3xx is reported as a failure.
    /// </summary>
    public static HttpClient CreateClient() => new(CreateHandler())
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The handler under <see cref="CreateClient"/>: renewed pooled connections, no redirects.</summary>
    public static SocketsHttpHandler CreateHandler() =>
        new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10), AllowAutoRedirect = false };

    /// <summary>Ensures a trailing slash so relative paths append instead of replacing the last segment.</summary>
    public static Uri AsBase(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>POSTs <paramref name="body"/> and returns the parsed JSON reply; failures become <see cref="LlmProviderException"/>.</summary>
    public static async Task<JsonDocument> PostJsonAsync(
        HttpClient http, Uri url, JsonObject body, Action<HttpRequestHeaders>? headers, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        headers?.Invoke(request.Headers);
        string text;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
                    _ => (TimeSpan?)null,
                };
                throw new LlmProviderException(
                    $"{url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(text)}", (int)response.StatusCode, retryAfter);
            }
        }
        catch (HttpRequestException ex)
        {
            throw new LlmProviderException($"{url.Host} could not be reached or dropped the connection: {ex.Message}", null, null, ex);
        }
        catch (IOException ex)
        {
            throw new LlmProviderException($"The connection to {url.Host} broke: {ex.Message}", null, null, ex);
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new LlmOutputException($"{url.Host} sent a reply that is not JSON: {Excerpt(text)}", ex);
        }
    }

    /// <summary>The JSON schema of a <see cref="ChatResponseFormatJson"/>, if the caller asked for structured output.</summary>
    public static JsonElement? Schema(ChatOptions? options) =>
        options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? schema : null;

    /// <summary>Chat messages as role/content pairs; only text content is sent.</summary>
    public static IEnumerable<(string Role, string Text)> Texts(IEnumerable<ChatMessage> messages) =>
        messages.Select(m => (m.Role == ChatRole.System ? "system" : m.Role == ChatRole.Assistant ? "assistant" : "user", m.Text));

    public static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
