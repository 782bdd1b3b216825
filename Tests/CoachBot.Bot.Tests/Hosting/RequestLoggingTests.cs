using CoachBot.Bot.Tests.Support;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task Production_SecretsInQueryStrings_NeverReachTheLogs()
    {
        const string access = "ea474d77e3156d82937a3f2b02202d230c6e6f235250709a5cf1dddd72178816";
        const string grant = "recorder-grant-2b8e1d.signature";
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DevChat:Enabled"] = "true",
            ["DevChat:Token"] = access,
        });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        using var page = await client.GetAsync($"/?access={access}");
        using var recorder = await client.GetAsync($"/record?token={grant}");
        using var upload = await client.PostAsync($"/api/recordings?token={grant}", new StringContent(string.Empty));

        // The console logger writes on its own thread; give it time to write whatever it was going to.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Contains("Recording upload refused", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(access, host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(grant, host.Output, StringComparison.Ordinal);
    }
}
