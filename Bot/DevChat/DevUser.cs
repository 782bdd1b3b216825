using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CoachBot.Bot.DevChat;

/// <summary>The dev chat's user: a random id in a cookie, one per browser profile; it is also the conversation id.</summary>
internal static partial class DevUser
{
    public const string CookieName = "coachbot_dev_user";

    /// <summary>The browser's user id, or null when it has none (or a malformed one).</summary>
    public static string? Get(HttpContext context) =>
        context.Request.Cookies[CookieName] is { } id && IdPattern().IsMatch(id) ? id : null;

    /// <summary>The browser's user id, issuing one when it has none.</summary>
    public static string Ensure(HttpContext context)
    {
        if (Get(context) is { } id)
        {
            return id;
        }

        id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(365),
        });
        return id;
    }

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
