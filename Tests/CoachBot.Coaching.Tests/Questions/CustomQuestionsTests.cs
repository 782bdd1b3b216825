using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;
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

    [Theory]
    [InlineData("What kind of workplace and manager bring out your best work, and what drains your energy?")]
    [InlineData("  what kind of workplace and manager bring out your best work and what drains your energy  ")]
    public void Create_BankQuestionTypedAsTheBankAsksIt_IsThatQuestion(string typed)
    {
        var bank = Bank.BuiltIn;

        var question = CustomQuestions.Create(typed, Roles.General, bank);

        Assert.Same(bank.Find("gen-020"), question);
        Assert.Equal("bank", question.RubricSource);
    }

    [Fact]
    public void Create_UnrelatedQuestion_UsesTheGenericRubricOfItsCategory()
    {
        var custom = CustomQuestions.Create("What would you do if the zeppelin lost its helium over Antarctica?", null, Bank.BuiltIn);

        Assert.Equal("generic:situational", custom.RubricSource);
        Assert.Equal(Categories.Situational, custom.Category);
        Assert.InRange(custom.Rubric.Count, 3, 6);
    }

    [Theory]
    // A strength is not a weakness: the weakness question is the bank's closest by words, and lends nothing.
    [InlineData("What is your greatest strength?", "designer", "weakness")]
    [InlineData("Tell me about a deal you won.", "sales", "lost")]
    [InlineData("Tell me about a time you missed a deadline.", Roles.General, "very tight deadline")]
    [InlineData("Tell me about a launch that went well.", "product-manager", "went wrong")]
    [InlineData("Describe a time you worked well with a teammate.", "software-engineer", "disagree")]
    public void Create_QuestionAskingTheOppositeOfABankQuestion_DoesNotBorrowItsPoints(string text, string role, string foreign)
    {
        var custom = CustomQuestions.Create(text, role, Bank.BuiltIn);

        Assert.NotEmpty(custom.Rubric);
        Assert.DoesNotContain(custom.Rubric, p => p.Point.Contains(foreign, StringComparison.OrdinalIgnoreCase));
        foreach (var id in custom.RubricSource.StartsWith("closest:", StringComparison.Ordinal) ? custom.RubricSource["closest:".Length..].Split(',') : [])
        {
            Assert.DoesNotContain(foreign, Bank.BuiltIn.Find(id)!.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("What is your greatest strength?", QuestionTypes.StrengthsWeaknesses, "Names a specific strength that matters for this role")]
    [InlineData("What would your team say you do well, and where should you improve?", QuestionTypes.StrengthsWeaknesses, "Names a real area to improve, not a disguised strength")]
    [InlineData("How do you handle stress?", QuestionTypes.StrengthsWeaknesses, "Gives a real example of a time it happened")]
    [InlineData("What is your least favourite part of your job?", QuestionTypes.Motivation, "Names a genuine but minor frustration, plainly")]
    [InlineData("Why are you leaving your current job?", QuestionTypes.Motivation, "Stays fair to the current employer and its people")]
    // A two-part question is listened to for both halves.
    [InlineData("What do you enjoy most about your job, and what do you enjoy least?", QuestionTypes.Motivation, "Names honestly what they enjoy least, without blaming anyone")]
    [InlineData("Tell me about a design decision you regret.", QuestionTypes.Story, "Owns their part without excuses")]
    [InlineData("Tell me about your proudest achievement.", QuestionTypes.Story, "Says what made the difference and what they would repeat")]
    [InlineData("Design a URL shortener.", QuestionTypes.Design, "Explains the trade-offs behind the choices")]
    public void Create_NoBankQuestionAsksTheSame_UsesItsTypesRubricForThatWording(string text, string type, string point)
    {
        var custom = CustomQuestions.Create(text, Roles.General, Bank.BuiltIn);

        Assert.Equal(type, QuestionTypes.Of(custom).Id);
        Assert.Equal("generic:" + type, custom.RubricSource);
        Assert.Contains(custom.Rubric, p => p.Point == point);
        Assert.Equal(QuestionTypes.Get(type).Category, custom.Category);
    }

    [Fact]
    public void Create_QuestionSharingOnlyCommonWordsWithABankQuestion_BorrowsNothing()
    {
        // "customer" and "time" are in many support questions: sharing them says nothing about what is asked.
        var custom = CustomQuestions.Create("Tell me about a time a customer thanked you.", "customer-support", Bank.BuiltIn);

        Assert.Equal("generic:" + QuestionTypes.Story, custom.RubricSource);
    }

    [Fact]
    public void Create_NoWordingSaysTheKind_TakesTheKindOfTheBankQuestionItBorrowsFrom()
    {
        var bank = Bank.BuiltIn;
        var lender = bank.Find("support-012")!;

        var custom = CustomQuestions.Create("Troubleshooting a problem a customer describes vaguely: talk me through it", "customer-support", bank);

        Assert.Equal("closest:" + lender.Id, custom.RubricSource);
        Assert.Equal(QuestionTypes.Of(lender).Id, QuestionTypes.Of(custom).Id);
    }

    [Theory]
    [InlineData("What is your greatest strength?", "What is your greatest weakness?", true)]
    [InlineData("Tell me about a deal you won.", "Tell me about a deal you lost.", true)]
    [InlineData("Tell me about a time you failed.", "Tell me about a time you failed. What did you learn?", false)]
    [InlineData("Tell me about a time you received critical feedback.", "Tell me about a time you gave critical feedback.", true)]
    public void AskOpposites_ReadsTheMarkedWordings(string one, string other, bool opposite) =>
        Assert.Equal(opposite, QuestionTypes.AskOpposites(one, other));
}
