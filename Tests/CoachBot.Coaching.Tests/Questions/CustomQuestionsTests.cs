using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Questions;

public class CustomQuestionsTests
{
    [Theory]
    [InlineData("Tell me about a time you missed a deadline.", Categories.Behavioral)]
    [InlineData("What would you do if a customer threatened to cancel?", Categories.Situational)]
    [InlineData("Why do you want to work on our payments team?", Categories.Motivation)]
    [InlineData("Explain the difference between a process and a thread.", Categories.Technical)]
    // "What is…" about the speaker is not a technical question (the bank files weaknesses and strengths under motivation).
    [InlineData("What is your greatest weakness?", Categories.Motivation)]
    [InlineData("What are your main strengths?", Categories.Motivation)]
    [InlineData("So, tell me about yourself.", Categories.Motivation)]
    public void InferCategory_ReadsTheWording(string question, string category) =>
        Assert.Equal(category, CustomQuestions.InferCategory(question));

    [Fact]
    public void Create_QuestionLikeOneInTheBank_BorrowsThatRubric()
    {
        var bank = Bank.BuiltIn;
        var original = bank.Filter(Roles.General, Categories.Behavioral)[0];

        var custom = CustomQuestions.Create(original.Text.Replace("?", " at work?", StringComparison.Ordinal), Roles.General, bank);

        Assert.StartsWith("closest:" + original.Id, custom.RubricSource, StringComparison.Ordinal);
        Assert.Contains(custom.Rubric, p => original.Rubric.Contains(p));
        Assert.StartsWith("custom-", custom.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnrelatedQuestion_UsesTheGenericRubricOfItsCategory()
    {
        var custom = CustomQuestions.Create("What would you do if the zeppelin lost its helium over Antarctica?", null, Bank.BuiltIn);

        Assert.Equal("generic:situational", custom.RubricSource);
        Assert.Equal(Categories.Situational, custom.Category);
        Assert.InRange(custom.Rubric.Count, 3, 6);
    }
}
