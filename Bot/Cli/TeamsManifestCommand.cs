using System.CommandLine;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using CoachBot.Bot.Hosting;

namespace CoachBot.Bot.Cli;

/// <summary>
/// <c>coachbot manifest teams --app-id &lt;guid&gt; --bot-id &lt;guid&gt; --domain &lt;host&gt; [--name &lt;name&gt;] [--version 1.0.1]
/// [--website-url &lt;url&gt;] [--privacy-url &lt;url&gt;] [--terms-url &lt;url&gt;] --out coachbot-teams.zip</c>: the Teams app package (manifest.json from
/// <c>manifests/teams/</c>, color.png, outline.png) to upload in Teams. The zip is the document, so stdout stays empty;
/// the path written goes to stderr.
/// </summary>
internal static class TeamsManifestCommand
{
    private const string TemplateResource = "CoachBot.Bot.manifests.teams.manifest.json";

    public static Command Create(CliContext context)
    {
        var appId = new Option<string>("--app-id") { Description = "The Teams app's id (a GUID you choose once and keep for every version).", Required = true };
        var botId = new Option<string>("--bot-id") { Description = "The bot's Microsoft App ID from its Azure Bot registration (Teams:AppId).", Required = true };
        var domain = new Option<string>("--domain") { Description = "The bot's public host name, e.g. coachbot.example.com (serves the recorder dialog).", Required = true };
        var name = new Option<string>("--name") { Description = "The app's name in Teams (up to 30 characters).", DefaultValueFactory = _ => "CoachBot" };
        var output = new Option<FileInfo>("--out") { Description = "The zip to write.", DefaultValueFactory = _ => new FileInfo("coachbot-teams.zip") };
        var version = new Option<string>("--version") { Description = "The app package's version (major.minor.patch); raise it for every update you upload.", DefaultValueFactory = _ => "1.0.0" };
        var website = new Option<string>("--website-url") { Description = "The app's website in its Teams details (default: https://<domain>/about, a page the host serves)." };
        var privacy = new Option<string>("--privacy-url") { Description = "Your organisation's privacy statement (default: https://<domain>/privacy, served by the host)." };
        var terms = new Option<string>("--terms-url") { Description = "Your organisation's terms of use (default: https://<domain>/terms, served by the host)." };
        var command = new Command("teams", "Write the Microsoft Teams app package (manifest and icons) as a zip.") { appId, botId, domain, name, version, website, privacy, terms, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = Guid(parse.GetValue(appId)!, "--app-id");
            var bot = Guid(parse.GetValue(botId)!, "--bot-id");
            var host = parse.GetValue(domain)!.Trim().TrimEnd('.').ToLowerInvariant();
            if (Uri.CheckHostName(host) != UriHostNameType.Dns || !host.Contains('.', StringComparison.Ordinal))
            {
                throw new UsageException($"--domain must be a public host name such as coachbot.example.com (no scheme, port or path), not '{host}'.");
            }

            var appName = parse.GetValue(name)!.Trim();
            if (appName.Length is 0 or > 30)
            {
                throw new UsageException("--name must be 1 to 30 characters long.");
            }

            var packageVersion = parse.GetValue(version)!.Trim();
            if (!IsPackageVersion(packageVersion))
            {
                throw new UsageException($"--version must be a semantic version major.minor.patch such as 1.0.1: three numbers, none with a leading zero (Teams reads the version as semver), not '{packageVersion}'.");
            }

            var websiteUrl = HttpsUrl(parse.GetValue(website), "--website-url") ?? $"https://{host}{PolicyPages.AboutPath}";
            var privacyUrl = HttpsUrl(parse.GetValue(privacy), "--privacy-url") ?? $"https://{host}/privacy";
            var termsUrl = HttpsUrl(parse.GetValue(terms), "--terms-url") ?? $"https://{host}/terms";
            var manifest = Template()
                .Replace("\"version\": \"1.0.0\"", $"\"version\": \"{packageVersion}\"", StringComparison.Ordinal)
                .Replace("https://{{DOMAIN}}/about", JsonSerializer.Serialize(websiteUrl)[1..^1], StringComparison.Ordinal)
                .Replace("https://{{DOMAIN}}/privacy", JsonSerializer.Serialize(privacyUrl)[1..^1], StringComparison.Ordinal)
                .Replace("https://{{DOMAIN}}/terms", JsonSerializer.Serialize(termsUrl)[1..^1], StringComparison.Ordinal)
                .Replace("{{APP_ID}}", app, StringComparison.Ordinal)
                .Replace("{{BOT_ID}}", bot, StringComparison.Ordinal)
                .Replace("{{DOMAIN}}", host, StringComparison.Ordinal)
                .Replace("{{NAME}}", JsonSerializer.Serialize(appName)[1..^1], StringComparison.Ordinal);

            var target = parse.GetValue(output)!;
            var problem = await OutputFile.WriteAsync(target, async (file, ct) =>
            {
                using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
                await AddAsync(zip, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest), ct);
                await AddAsync(zip, "color.png", TeamsIcons.Color(), ct);
                await AddAsync(zip, "outline.png", TeamsIcons.Outline(), ct);
            }, cancellationToken);
            if (problem is not null)
            {
                await context.Error.WriteLineAsync(problem);
                return CoachBotCli.Refused;
            }

            await context.Error.WriteLineAsync($"Wrote {target.FullName} (version {packageVersion}): upload it in Teams (Apps → Manage your apps → Upload an app), or in the Teams admin center for the whole organisation.");
            return CoachBotCli.Ok;
        });
        return command;
    }

    /// <summary>
    /// A package version Teams accepts: semver's major.minor.patch (no pre-release or build part), each number without a
    /// leading zero (semver forbids "01"), at most five digits.
    /// </summary>
    internal static bool IsPackageVersion(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 3 && parts.All(p => p.Length is >= 1 and <= 5 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0'));
    }

    private static string? HttpsUrl(string? value, string option) =>
        value is null ? null
        : Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri.AbsoluteUri
        : throw new UsageException($"{option} must be an https address, not '{value}'.");

    private static string Guid(string value, string option) =>
        System.Guid.TryParseExact(value.Trim(), "D", out var guid)
            ? guid.ToString("D")
            : throw new UsageException($"{option} must be a GUID such as 6f1c2a4e-8d3b-4a57-9e21-0c5d7b8a9f10, not '{value}'.");

    private static string Template()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The Teams manifest template {TemplateResource} is missing from the program.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task AddAsync(ZipArchive zip, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = entry.Open();
        await stream.WriteAsync(content, cancellationToken);
    }
}
