using System.Collections.Concurrent;
using System.Reflection;

namespace CoachBot.Bot.DevChat;

/// <summary>
/// The pages, scripts and styles of the dev chat and the recorder, embedded in the program (so a built or published
/// host serves them from anywhere), and the Adaptive Cards renderer that the build copies in from
/// <c>tools/js/node_modules</c> when it is installed.
/// </summary>
internal static class DevChatAssets
{
    public const string Renderer = "adaptivecards.min.js";

    private const string Prefix = "devchat/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    /// <summary>Whether the build bundled the Adaptive Cards renderer.</summary>
    public static bool HasRenderer => Read(Renderer) is not null;

    /// <summary>The file's bytes and content type, or null when no such asset is embedded.</summary>
    public static (byte[] Content, string ContentType)? Find(string name)
    {
        var extension = Path.GetExtension(name);
        if (!ContentTypes.TryGetValue(extension, out var type) || Read(name) is not { } content)
        {
            return null;
        }

        return (content, type);
    }

    /// <summary>Answers with an asset, no-cache (they change with each build and are small).</summary>
    public static IResult Serve(string name, HttpContext context)
    {
        if (Find(name) is not { } asset)
        {
            return name == Renderer
                ? Results.Text(
                    "console.error('CoachBot: the Adaptive Cards renderer was not bundled into this build. Run `bash scripts/prerequisites.sh`, then rebuild (`dotnet build` or `bash scripts/run.sh`).');",
                    "text/javascript; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
                : Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static byte[]? Read(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + n);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
