using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Questions;

public sealed class QuestionBankLoaderTests : IDisposable
{
    private const string ValidQuestion = """
        { "id": "abc-001", "text": "Tell me about a time you changed your mind.", "category": "behavioral", "difficulty": 1,
          "competencies": ["learning"],
          "rubric": [ { "point": "A", "cues": ["alpha"] }, { "point": "B", "cues": ["beta*"] }, { "point": "C", "cues": ["gamma ray"] } ],
          "followUps": ["Why?"] }
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coachbot-bank-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void BuiltInBank_MeetsTheCoverageTheProductPromises()
    {
        var bank = Bank.BuiltIn;

        Assert.True(bank.All.Count >= 150, $"{bank.All.Count} questions");
        Assert.Equal(Roles.All.Order(), bank.All.Select(q => q.Role).Distinct().Order());
        foreach (var role in Roles.All)
        {
            Assert.Equal(Categories.All.Order(), bank.All.Where(q => q.Role == role).Select(q => q.Category).Distinct().Order());
        }

        Assert.Equal([1, 2, 3], bank.All.Select(q => q.Difficulty).Distinct().Order());
        Assert.All(bank.All, q => Assert.InRange(q.Rubric.Count, 3, 6));
        Assert.All(bank.All, q => Assert.InRange(q.FollowUps.Count, 1, 2));
    }

    [Fact]
    public void Load_ValidFile_ReadsEveryField()
    {
        var bank = QuestionBankLoader.LoadFiles([Write("ok.json", File("general", ValidQuestion))]);

        var q = Assert.Single(bank.All);
        Assert.Equal("abc-001", q.Id);
        Assert.Equal("general", q.Role);
        Assert.Equal(["beta*"], q.Rubric[1].Cues);
        Assert.Equal("bank", q.RubricSource);
    }

    [Theory]
    [InlineData("\"difficulty\": 1", "\"difficulty\": 4", "\"difficulty\" must be 1, 2 or 3")]
    [InlineData("\"category\": \"behavioral\"", "\"category\": \"trivia\"", "\"category\" must be one of")]
    [InlineData("\"id\": \"abc-001\"", "\"id\": \"ABC_1\"", "\"id\" must look like")]
    [InlineData("{ \"point\": \"C\", \"cues\": [\"gamma ray\"] }", "{ \"point\": \"C\", \"cues\": [\"Gamma!\"] }", "rubric point #3 needs")]
    [InlineData(", { \"point\": \"C\", \"cues\": [\"gamma ray\"] }", "", "\"rubric\" must have 3–6 key points (has 2)")]
    [InlineData("\"followUps\": [\"Why?\"]", "\"followUps\": []", "\"followUps\" must hold 1 or 2")]
    [InlineData("\"difficulty\": 1,", "\"difficulty\": 1, \"dificulty\": 2,", "not valid JSON")]
    public void Load_BrokenRule_NamesTheFileAndTheProblem(string from, string to, string problem)
    {
        var path = Write("broken.json", File("general", ValidQuestion.Replace(from, to, StringComparison.Ordinal)));

        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.LoadFiles([path]));

        Assert.Contains("'broken.json'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateIdAcrossFiles_NamesBothFiles()
    {
        var a = Write("a.json", File("general", ValidQuestion));
        var b = Write("b.json", File("sales", ValidQuestion));

        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.LoadFiles([a, b]));

        Assert.Contains("'b.json'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'a.json'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownRole_IsRefused()
    {
        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.LoadFiles([Write("x.json", File("astronaut", ValidQuestion))]));

        Assert.Contains("\"role\" must be one of", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedJson_ReportsTheLine()
    {
        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.LoadFiles([Write("cut.json", "{\n\"role\": \"general\",\n\"questions\": [")]));

        Assert.Contains("'cut.json' is not valid JSON at line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectories_MissingFolder_SaysWhichFolder()
    {
        var missing = Path.Combine(_dir.FullName, "nope");

        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.LoadDirectories([missing]));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_ByRole_IncludesGeneralQuestions()
    {
        var bank = Bank.BuiltIn;

        var forSales = bank.Filter("sales");

        Assert.Contains(forSales, q => q.Role == Roles.General);
        Assert.DoesNotContain(forSales, q => q.Role == "designer");
    }

    private static string File(string role, string question) => $$"""{ "role": "{{role}}", "questions": [ {{question}} ] }""";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }
}
