using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Scoring;

public sealed class QuestionTypeReaderTests : IDisposable
{
    private readonly QuestionTypeReader _reader = new(NullLogger<QuestionTypeReader>.Instance);

    public void Dispose() => _reader.Dispose();

    [Theory]
    // Wordings no pattern places: the type comes from the labelled examples closest in meaning.
    [InlineData("Biggest professional screw-up so far?", QuestionTypes.Story)]
    [InlineData("Before we start, the short version of how you ended up selling software?", QuestionTypes.SelfIntroduction)]
    [InlineData("Conversion on the pricing page halved after Tuesday's release. Your first three moves?", QuestionTypes.Situational)]
    [InlineData("Lay out an evaluation harness for our support chatbot, end to end.", QuestionTypes.Design)]
    public async Task ReadAsync_WordingNoPatternPlaces_ReadsTheTypeByMeaning(string question, string type)
    {
        Assert.Null(QuestionTypes.Recognise(question));

        var read = await _reader.ReadAsync(question, CancellationToken.None);

        Assert.Equal(type, read?.Id);
    }

    [Fact]
    public async Task ReadAsync_WordingAPatternPlaces_KeepsThatType()
    {
        var read = await _reader.ReadAsync("What is your greatest weakness?", CancellationToken.None);

        Assert.Equal(QuestionTypes.StrengthsWeaknesses, read?.Id);
    }

    [Fact]
    public async Task CreateAsync_TypeReadByMeaning_IsTheTypeTheQuestionIsScoredAs()
    {
        var question = await CustomQuestions.CreateAsync("Career story so far, in two minutes, for someone who has not read your CV.", "sales", Bank.BuiltIn, _reader, CancellationToken.None);

        Assert.Equal(QuestionTypes.SelfIntroduction, question.TypeId);
        Assert.Equal(QuestionTypes.SelfIntroduction, QuestionTypes.Of(question).Id);
        Assert.Equal("generic:" + QuestionTypes.SelfIntroduction, question.RubricSource);
        Assert.Contains(question.Rubric, p => p.Point.StartsWith("Says where they are now", StringComparison.Ordinal));
    }
}
