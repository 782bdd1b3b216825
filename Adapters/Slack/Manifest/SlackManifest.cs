using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Adapters.Slack.Manifest;

/// <summary>
/// Fills in the app manifest template (<c>manifests/slack/manifest.template.json</c>, embedded): the request URLs
/// under <c>base-url</c> for HTTP, or Socket Mode with no URLs at all.
/// </summary>
public static class SlackManifest
{
    private const string Placeholder = "{{base_url}}";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the manifest JSON.</summary>
    /// <param name="baseUrl">The public https address of the bot (required unless <paramref name="socketMode"/>).</param>
    /// <param name="socketMode">Socket Mode: Slack needs no request URLs.</param>
    /// <exception cref="ArgumentException">The base URL is missing or not an absolute https address.</exception>
    public static string Build(Uri? baseUrl, bool socketMode)
    {
        if (!socketMode && baseUrl is null)
        {
            throw new ArgumentException("A --base-url is needed unless the app uses Socket Mode.", nameof(baseUrl));
        }

        if (baseUrl is not null && (!baseUrl.IsAbsoluteUri || baseUrl.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            throw new ArgumentException($"The base URL must be an absolute https address without query or fragment, such as https://coachbot.example.com (got {baseUrl}).", nameof(baseUrl));
        }

        var manifest = JsonNode.Parse(Template())!.AsObject();
        var prefix = baseUrl?.AbsoluteUri.TrimEnd('/') ?? string.Empty;
        var command = manifest["features"]!["slash_commands"]![0]!.AsObject();
        var settings = manifest["settings"]!.AsObject();
        var events = settings["event_subscriptions"]!.AsObject();
        var interactivity = settings["interactivity"]!.AsObject();
        settings["socket_mode_enabled"] = socketMode;
        foreach (var (owner, key) in new[] { (command, "url"), (events, "request_url"), (interactivity, "request_url") })
        {
            if (socketMode)
            {
                owner.Remove(key);
            }
            else
            {
                owner[key] = owner[key]!.GetValue<string>().Replace(Placeholder, prefix, StringComparison.Ordinal);
            }
        }

        return manifest.ToJsonString(Indented);
    }

    private static string Template()
    {
        using var stream = typeof(SlackManifest).Assembly.GetManifestResourceStream("CoachBot.Adapters.Slack.Manifest.manifest.template.json")
            ?? throw new InvalidOperationException("The Slack manifest template is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
