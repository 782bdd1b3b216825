using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Cli;

public sealed class TeamsManifestCommandTests : IDisposable
{
    private const string AppId = "6f1c2a4e-8d3b-4a57-9e21-0c5d7b8a9f10";
    private const string BotId = "0b8e4b7e-1c2d-4e5f-a6b7-c8d9e0f1a2b3";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<Dictionary<string, byte[]>> PackageAsync(params string[] extra)
    {
        var zip = _folder.File("out/coachbot-teams.zip");
        var (code, stdout, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [],
            ["manifest", "teams", "--app-id", AppId, "--bot-id", BotId, "--domain", "coachbot.example.com", "--out", zip, .. extra]);
        Assert.True(code == 0, stderr);
        Assert.Contains("coachbot-teams.zip", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout); // the zip is the document; stdout stays empty
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    [Fact]
    public async Task ManifestTeams_OutThatIsAFolder_SaysSoAndNotTheDatabase()
    {
        var folder = Directory.CreateDirectory(_folder.File("a-folder")).FullName;

        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [],
            ["manifest", "teams", "--app-id", AppId, "--bot-id", BotId, "--domain", "coachbot.example.com", "--out", folder]);

        Assert.Equal(1, code);
        Assert.StartsWith($"Cannot write {folder}: it is a folder", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("DatabasePath", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestTeams_WritesManifestAndIconsAtTheZipRoot()
    {
        var files = await PackageAsync();

        Assert.Equal(["color.png", "manifest.json", "outline.png"], files.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ManifestTeams_ManifestIsValidAgainstTheOfficialSchema()
    {
        var files = await PackageAsync("--name", "Interview \"Coach\"");
        var manifest = _folder.File("manifest.json");
        await File.WriteAllBytesAsync(manifest, files["manifest.json"]);

        var (code, output) = Validate(manifest);
        Assert.True(code == 0, output);

        // The validator itself rejects a manifest that breaks the schema, so the check above means something.
        var broken = JsonNode.Parse(files["manifest.json"])!.AsObject();
        broken["bots"]![0]!["botId"] = "not-a-guid";
        broken.Remove("developer");
        var brokenPath = _folder.File("broken.json");
        await File.WriteAllTextAsync(brokenPath, broken.ToJsonString());
        Assert.Equal(1, Validate(brokenPath).Code);
    }

    [Fact]
    public async Task ManifestTeams_FillsIdsScopesFilesDomainAndChannelReadPermission()
    {
        var manifest = JsonNode.Parse((await PackageAsync("--name", "Interview \"Coach\""))["manifest.json"])!;

        Assert.Equal("1.29", (string?)manifest["manifestVersion"]);
        Assert.Equal(AppId, (string?)manifest["id"]);
        Assert.Equal("Interview \"Coach\"", (string?)manifest["name"]!["short"]);
        var bot = manifest["bots"]![0]!;
        Assert.Equal(BotId, (string?)bot["botId"]);
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.True((bool)bot["supportsFiles"]!);
        Assert.Contains(bot["commandLists"]![0]!["commands"]!.AsArray(), c => (string?)c!["title"] == "start");
        Assert.Equal(["coachbot.example.com"], manifest["validDomains"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(BotId, (string?)manifest["webApplicationInfo"]!["id"]);
        // Channel threads and group chats of rounds are read without an @mention.
        var permissions = manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray().Select(p => ((string?)p!["name"], (string?)p["type"]));
        // The recorder dialog needs the microphone inside Teams.
        Assert.Equal(["media"], manifest["devicePermissions"]!.AsArray().Select(p => (string?)p));
        Assert.Equal([("ChannelMessage.Read.Group", "Application"), ("ChatMessage.Read.Chat", "Application")], permissions);
        Assert.Contains(bot["commandLists"]![1]!["commands"]!.AsArray(), c => (string?)c!["title"] == "group");
    }

    [Fact]
    public async Task ManifestTeams_IconsHaveTheRequiredSizesAndOutlineIsWhiteOnTransparent()
    {
        var files = await PackageAsync();

        var (colorWidth, colorHeight, color) = DecodePng(files["color.png"]);
        var (outlineWidth, outlineHeight, outline) = DecodePng(files["outline.png"]);

        Assert.Equal((192, 192), (colorWidth, colorHeight));
        Assert.Equal((32, 32), (outlineWidth, outlineHeight));
        Assert.All(Pixels(color), p => Assert.Equal(255, p.A));
        Assert.True(Pixels(color).Select(p => (p.R, p.G, p.B)).Distinct().Count() >= 2, "the colour icon is a single colour");
        var pixels = Pixels(outline).ToList();
        Assert.All(pixels.Where(p => p.A > 0), p => Assert.Equal((255, 255, 255), (p.R, p.G, p.B)));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Fact]
    public async Task ManifestTeams_VersionAndOrganisationPages_AreWrittenIntoTheManifest()
    {
        var files = await PackageAsync("--version", "1.2.3", "--privacy-url", "https://contoso.example/privacy", "--terms-url", "https://contoso.example/terms");

        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        Assert.Equal("1.2.3", manifest.RootElement.GetProperty("version").GetString());
        Assert.Equal("https://contoso.example/privacy", manifest.RootElement.GetProperty("developer").GetProperty("privacyUrl").GetString());
        Assert.Equal("https://contoso.example/terms", manifest.RootElement.GetProperty("developer").GetProperty("termsOfUseUrl").GetString());
    }

    [Fact]
    public async Task ManifestTeams_WebsiteUrl_IsTheAboutPageTheHostServes_OrTheOneGiven()
    {
        using var byDefault = JsonDocument.Parse((await PackageAsync())["manifest.json"]);
        using var given = JsonDocument.Parse((await PackageAsync("--website-url", "https://intranet.example.com/coachbot"))["manifest.json"]);

        Assert.Equal("https://coachbot.example.com" + CoachBot.Bot.Hosting.PolicyPages.AboutPath, byDefault.RootElement.GetProperty("developer").GetProperty("websiteUrl").GetString());
        Assert.Equal("https://intranet.example.com/coachbot", given.RootElement.GetProperty("developer").GetProperty("websiteUrl").GetString());
    }

    [Fact]
    public async Task ManifestTeams_WebApplicationResource_DoesNotChangeWithTheDomain()
    {
        // Any change to webApplicationInfo makes Teams ask every user and team owner to consent to the update again,
        // so moving from a tunnel to the production host must leave it as it was.
        using var tunnel = JsonDocument.Parse((await PackageAsync())["manifest.json"]);
        var zip = _folder.File("prod.zip");
        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [],
            ["manifest", "teams", "--app-id", AppId, "--bot-id", BotId, "--domain", "coach.contoso.com", "--version", "1.0.1", "--out", zip]);
        Assert.True(code == 0, stderr);
        using var archive = ZipFile.OpenRead(zip);
        using var production = await JsonDocument.ParseAsync(archive.GetEntry("manifest.json")!.Open());

        var before = tunnel.RootElement.GetProperty("webApplicationInfo");
        var after = production.RootElement.GetProperty("webApplicationInfo");
        Assert.Equal("coach.contoso.com", production.RootElement.GetProperty("validDomains")[0].GetString());
        Assert.Equal("api://botid-" + BotId, before.GetProperty("resource").GetString());
        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task ManifestTeams_CommandMenus_FitTeamsLimits_AndOfferOnlyCommandsTheBotUnderstands()
    {
        var manifest = JsonNode.Parse((await PackageAsync())["manifest.json"])!;
        var lists = manifest["bots"]![0]!["commandLists"]!.AsArray();

        // Teams shows up to 10 commands per menu; titles up to 32 characters, descriptions up to 128.
        Assert.All(lists, list =>
        {
            var commands = list!["commands"]!.AsArray();
            Assert.InRange(commands.Count, 1, 10);
            Assert.All(commands, c =>
            {
                var title = (string)c!["title"]!;
                Assert.InRange(title.Length, 1, 32);
                Assert.InRange(((string?)c["description"])?.Length ?? 0, 1, 128);
                Assert.True(CoachBot.Coaching.Pipeline.ChatCommands.IsCommand(title), $"'{title}' is not a command the bot understands");
            });
        });
        var personal = lists.Single(l => l!["scopes"]!.AsArray().Select(s => (string?)s).Contains("personal"))!["commands"]!.AsArray().Select(c => (string?)c!["title"]);
        Assert.Contains("mock start", personal);
        Assert.Contains("plan", personal);
        Assert.Contains("forget me", personal);
    }

    [Theory]
    [InlineData("01.0.0", "leading zero")]
    [InlineData("1.00.0", "leading zero")]
    [InlineData("1.0.0-beta", "semantic version")]
    [InlineData("1.0", "semantic version")]
    public async Task ManifestTeams_VersionThatIsNotSemver_IsRefusedWithTheRule(string version, string expected)
    {
        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [],
            ["manifest", "teams", "--app-id", AppId, "--bot-id", BotId, "--domain", "coachbot.example.com", "--version", version, "--out", _folder.File("v.zip")]);

        Assert.Equal(2, code);
        Assert.Contains($"not '{version}'", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("v.zip")));
    }

    [Theory]
    [InlineData("--version", "1.0")]
    [InlineData("--website-url", "http://intranet.example.com/coachbot")]
    [InlineData("--privacy-url", "http://contoso.example/privacy")]
    [InlineData("--app-id", "not-a-guid")]
    [InlineData("--domain", "https://coachbot.example.com/")]
    public async Task ManifestTeams_BadArgument_ExitsWithUsage(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--app-id"] = AppId, ["--bot-id"] = BotId, ["--domain"] = "coachbot.example.com" };
        args[option] = value;

        var (code, _, stderr) = await CliRun.RunAsync(_folder.File("cli.db"), [],
            ["manifest", "teams", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--out", _folder.File("x.zip")]);

        Assert.Equal(2, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("x.zip")));
    }

    private static (int Code, string Output) Validate(string document)
    {
        var root = TestData.RepositoryRoot;
        var start = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(root, "tools", "js", "validate-json-schema.cjs"));
        start.ArgumentList.Add(Path.GetFullPath(Path.Combine(root, "..", "shared", "schemas", "teams-manifest.v1.29.schema.json")));
        start.ArgumentList.Add(document);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Decodes an 8-bit RGBA, non-interlaced PNG whose rows use filter 0 (what the icons use).</summary>
    private static (int Width, int Height, byte[] Rgba) DecodePng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(6, data[9]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(height * ((width * 4) + 1), bytes.Length);
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * ((width * 4) + 1)];
            Assert.Equal(0, filter);
            Array.Copy(bytes, (y * ((width * 4) + 1)) + 1, rgba, y * width * 4, width * 4);
        }

        return (width, height, rgba);
    }

    private static IEnumerable<(byte R, byte G, byte B, byte A)> Pixels(byte[] rgba)
    {
        for (var i = 0; i < rgba.Length; i += 4)
        {
            yield return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
        }
    }
}
