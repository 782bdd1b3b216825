using System.Net;
using System.Net.Http.Json;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Support;

namespace CoachBot.Bot.Tests.DevChat;

public sealed class DevChatAccessTests : IDisposable
{
    private const string Token = "7d7b973638d8bb0fba8a5837ac8ae9373c8d4aaa54969c317e0d080ab695c542";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Page_ProductionWithoutSetting_IsNotServed()
    {
        await using var factory = new CoachBotFactory(_folder.File("prod.db")).WithEnvironment("Production");
        using var client = DevChatHttp.Client(factory);

        var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        var api = await client.PostAsJsonAsync("/api/dev/messages", new { id = "abcdefgh", text = "start" });

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("<!doctype html>", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Page_ProductionWithDevChatEnabled_IsServedWithAUserCookie()
    {
        await using var factory = new CoachBotFactory(_folder.File("on.db")).WithEnvironment("Production").WithSetting("DevChat:Enabled", "true");
        using var client = DevChatHttp.Client(factory, user: null);

        var page = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("dev chat", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("coachbot_dev_user=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_FromAnotherMachineWithoutAToken_Returns403SayingHowToSetOne()
    {
        await using var factory = new CoachBotFactory(_folder.File("remote.db"));
        using var client = DevChatHttp.Client(factory, remote: "192.168.1.20");

        var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        var api = await client.PostAsJsonAsync("/api/dev/messages", new { id = "abcdefgh", text = "start" });

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Contains("DevChat__Token", text, StringComparison.Ordinal);
        Assert.Contains("openssl rand -hex 32", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [Fact]
    public async Task Api_FromAnotherMachine_NeedsTheConfiguredToken()
    {
        await using var factory = new CoachBotFactory(_folder.File("token.db")).WithSetting("DevChat:Token", Token);
        using var client = DevChatHttp.Client(factory, remote: "10.1.2.3");

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/dev/messages") { Content = JsonContent.Create(new { id = "abcdefgh1", text = "help" }) };
        wrong.Headers.Add("X-CoachBot-Token", Token + "x");
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/dev/messages") { Content = JsonContent.Create(new { id = "abcdefgh2", text = "help" }) };
        right.Headers.Add("X-CoachBot-Token", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(right)).StatusCode);
    }

    [Fact]
    public async Task Page_FirstEntryWithTheToken_KeepsItInACookieAndLeavesTheAddressBar()
    {
        await using var factory = new CoachBotFactory(_folder.File("entry.db")).WithSetting("DevChat:Token", Token);
        using var client = DevChatHttp.Client(factory, remote: "10.1.2.3", user: null);

        var entry = await client.GetAsync(new Uri("/?access=" + Token, UriKind.Relative));
        var cookie = entry.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("coachbot_devchat_access=", StringComparison.Ordinal));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.Add("Cookie", cookie.Split(';')[0]);
        var page = await client.SendAsync(again);
        var without = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, entry.StatusCode);
        Assert.Equal("/", entry.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
    }

    [Fact]
    public async Task Page_TokenMadeByThePrintedRecipe_OpensWithAccessAsPrinted()
    {
        // The recipe the 403 page, the weak-token refusal and the README print, run as printed; its output pasted into
        // /?access=<token> unencoded, as a person would, through a proxy on this machine.
        var token = await RunRecipeAsync(TokenStrength.HowToGenerate);
        Assert.Equal(Uri.EscapeDataString(token), token);
        await using var factory = new CoachBotFactory(_folder.File("recipe.db")).WithSetting("DevChat:Token", token);
        using var client = DevChatHttp.Client(factory, user: null);
        using var entry = new HttpRequestMessage(HttpMethod.Get, "/?access=" + token);
        entry.Headers.Add("X-Forwarded-For", "10.0.0.5");

        var response = await client.SendAsync(entry);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Page_Base64TokenPastedUnencoded_ItsPlusArrivingAsASpace_StillOpens()
    {
        // `openssl rand -base64 32`, the recipe printed before: its '+' becomes a space when the query is decoded.
        const string token = "1Nh5XI9woDPa5TXNzlF7M+SqD340SSS3AqHu4vPRf2Q=";
        await using var factory = new CoachBotFactory(_folder.File("plus.db")).WithSetting("DevChat:Token", token);
        using var client = DevChatHttp.Client(factory, remote: "10.1.2.3", user: null);

        var entry = await client.GetAsync(new Uri("/?access=" + token, UriKind.Relative));
        var cookie = entry.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("coachbot_devchat_access=", StringComparison.Ordinal));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.Add("Cookie", cookie.Split(';')[0]);

        Assert.Equal(HttpStatusCode.Redirect, entry.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/?access=" + token.Replace('+', '-'), UriKind.Relative))).StatusCode);
    }

    private static async Task<string> RunRecipeAsync(string command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }

    [Fact]
    public async Task Page_LoopbackAddressWithAForeignHostName_IsRefused()
    {
        // DNS rebinding: a page on evil.example that resolves to 127.0.0.1 must not reach the token-less dev chat.
        await using var factory = new CoachBotFactory(_folder.File("rebind.db"));
        using var client = DevChatHttp.Client(factory);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example";

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Assets_AdaptiveCardsRenderer_IsBundledIntoTheBuild()
    {
        await using var factory = new CoachBotFactory(_folder.File("assets.db")).WithEnvironment("Production");
        using var client = DevChatHttp.Client(factory);

        var renderer = await client.GetAsync(new Uri("/assets/adaptivecards.min.js", UriKind.Relative));
        var recorder = await client.GetAsync(new Uri("/record?token=x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, renderer.StatusCode);
        Assert.Contains("AdaptiveCards", await renderer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The recorder serves every channel, so it is there in Production without the dev chat.
        Assert.Equal(HttpStatusCode.OK, recorder.StatusCode);
        Assert.Contains("MediaRecorder", await (await client.GetAsync(new Uri("/assets/recorder.js", UriKind.Relative))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
