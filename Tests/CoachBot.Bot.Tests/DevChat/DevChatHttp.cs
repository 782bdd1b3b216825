using System.Net;
using System.Net.Http.Json;
using CoachBot.Bot.Tests.Support;
using Microsoft.AspNetCore.TestHost;

namespace CoachBot.Bot.Tests.DevChat;

/// <summary>An HTTP client into the in-process host that looks like a browser on a given machine with a dev chat identity.</summary>
internal static class DevChatHttp
{
    public const string User = "0123456789abcdef0123456789abcdef";

    public static HttpClient Client(CoachBotFactory factory, string remote = "127.0.0.1", string? user = User)
    {
        var address = IPAddress.Parse(remote);
        var client = new HttpClient(factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address))
        {
            BaseAddress = factory.Server.BaseAddress,
        };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"coachbot_dev_user={user}");
        }

        return client;
    }

    public static async Task<string> RecorderTokenAsync(HttpClient client, string? questionId = null)
    {
        var response = await client.PostAsJsonAsync("/api/dev/recordings", new { questionId });
        response.EnsureSuccessStatusCode();
        var link = await response.Content.ReadFromJsonAsync<RecorderLink>();
        return link!.Token;
    }

    public static MultipartFormDataContent Audio(byte[] bytes, string field = "audio")
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new("audio/webm");
        content.Add(file, field, "answer.webm");
        return content;
    }

    internal sealed record RecorderLink(string Token, string Url);
}
