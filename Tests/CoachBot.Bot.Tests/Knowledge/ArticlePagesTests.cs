using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Cards;
using CoachBot.Bot.Tests.Support;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Knowledge;

/// <summary>The host's article pages, where the dev chat's and Teams cards' "Read: …" pointers lead.</summary>
public sealed class ArticlePagesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static List<string> Links(CardOptions options)
    {
        var card = AdaptiveCards.ForReply(new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = ReplySamples.RoughVoiceReport() }, options);
        var links = new List<string>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                if (o["type"]?.GetValue<string>() == "Action.OpenUrl")
                {
                    links.Add(o["url"]!.GetValue<string>());
                }

                foreach (var (_, child) in o)
                {
                    Walk(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                {
                    Walk(child);
                }
            }
        }

        Walk(card);
        return links;
    }

    [Fact]
    public async Task DevChatCardLink_OpensTheArticlePage()
    {
        await using var factory = new CoachBotFactory(_folder.File("pages.db"));
        using var client = factory.CreateClient();
        var link = Links(DevChatReplier.Options)[0];

        var response = await client.GetAsync(new Uri(link, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>Use STAR as a skeleton, not a script</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>A rough time budget</h2>", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsCardLink_WithPublicBaseUrl_IsThePathTheHostServes()
    {
        await using var factory = new CoachBotFactory(_folder.File("pages.db"));
        using var client = factory.CreateClient();
        var link = new Uri(Links(new CardOptions(CanRecord: true, ArticleBaseUrl: "https://coachbot.example.com/"))[0]);

        var response = await client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));

        Assert.Equal("coachbot.example.com", link.Host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Use STAR as a skeleton, not a script", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestedDocument_WithMarkupInIt_IsEscapedAndItsNameWithASlashOpens()
    {
        await using var factory = new CoachBotFactory(_folder.File("pages.db"));
        // On this machine (where the dev chat may be used) an ingested document is shown.
        using var client = CoachBot.Bot.Tests.DevChat.DevChatHttp.Client(factory);
        await factory.Services.GetRequiredService<IKnowledgeStore>().IngestAsync(
            [new KnowledgeDocument("team/values <b>.md", "<script>alert(1)</script> Values", "## <i>Customer</i> obsession\n\nWe call <img src=x onerror=alert(1)> every churned customer.\n\n- one\n- two")],
            default);

        var response = await client.GetAsync(new Uri(CoachBot.Cards.ReportView.ArticleUrl("team/values <b>.md"), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Values", html, StringComparison.Ordinal);
        Assert.Contains("We call &lt;img src=x onerror=alert(1)&gt; every churned customer.", html, StringComparison.Ordinal);
        Assert.Contains("<li>two</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestedDocument_WhereTheDevChatIsNotOpen_IsNotPublishedButBuiltInArticlesAre()
    {
        await using var factory = new CoachBotFactory(_folder.File("pages.db"));
        using var client = CoachBot.Bot.Tests.DevChat.DevChatHttp.Client(factory, remote: "10.1.2.3");
        await factory.Services.GetRequiredService<IKnowledgeStore>().IngestAsync(
            [new KnowledgeDocument("handbook/salaries.md", "Salary bands", "Band 4 pays between 80 and 95.")], default);

        var company = await client.GetAsync(new Uri(CoachBot.Cards.ReportView.ArticleUrl("handbook/salaries.md"), UriKind.Relative));
        var builtIn = await client.GetAsync(new Uri(CoachBot.Cards.ReportView.ArticleUrl("builtin:star-we-vs-i"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, company.StatusCode);
        Assert.DoesNotContain("Band 4", await company.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, builtIn.StatusCode);
    }

    [Fact]
    public async Task UnknownArticle_Is404WithAClearMessage()
    {
        await using var factory = new CoachBotFactory(_folder.File("pages.db"));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/knowledge/builtin%3Ano-such-article", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no article <code>builtin:no-such-article</code>", html, StringComparison.Ordinal);
    }
}
