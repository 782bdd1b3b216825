using CoachBot.Coaching.Plans;

namespace CoachBot.Coaching.Tests.Plans;

public sealed class FactExtractorTests
{
    [Fact]
    public void FromResume_BulletsWithActionVerbs_BecomeExperiences()
    {
        var facts = FactExtractor.FromResume(string.Join('\n', PlanDocuments.BackendResume));

        Assert.Contains(facts.Experiences, e => e.Text == "migrated billing to event sourcing, cutting reconciliation errors by 40%" && e.HasFigure);
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("built a Kafka order pipeline", StringComparison.Ordinal) && e.Skills.Contains("message queues"));
        Assert.DoesNotContain(facts.Experiences, e => e.Text.Contains("Rivera", StringComparison.Ordinal));
        Assert.Contains("Kubernetes", facts.Skills);
        Assert.Contains("event sourcing", facts.Skills);
        Assert.DoesNotContain("Python", facts.Skills);
    }

    [Fact]
    public void FromResume_FirstPersonSentences_BecomeExperiences()
    {
        var facts = FactExtractor.FromResume("About me\nI have 7 years of experience in support. I redesigned the onboarding flow for new customers. I like hiking.");

        Assert.Equal(["redesigned the onboarding flow for new customers"], facts.Experiences.Select(e => e.Text));
        Assert.Equal(7, facts.Years);
    }

    [Fact]
    public void FromJob_DutiesSkillsSeniorityAndRole()
    {
        var facts = FactExtractor.FromJob(string.Join('\n', PlanDocuments.ProductManagerJob));

        Assert.Equal("Senior Product Manager", facts.Title);
        Assert.Equal("senior", facts.Seniority);
        Assert.Equal(5, facts.Years);
        Assert.Equal("product-manager", facts.Role);
        Assert.Contains("own the product roadmap for our payments platform", facts.Responsibilities);
        Assert.Contains("prioritise the backlog with engineering and design", facts.Responsibilities);
        Assert.DoesNotContain(facts.Responsibilities, r => r.Contains("years", StringComparison.Ordinal));
        Assert.Contains("user research", facts.Skills);
        Assert.Contains("stakeholder management", facts.Skills);
    }

    [Fact]
    public void FromJob_YouWillSentences_BecomeDuties()
    {
        var facts = FactExtractor.FromJob("AI Engineer\nYou will build retrieval pipelines over our support documents. You'll evaluate LLM answers with the support team.");

        Assert.Equal(["build retrieval pipelines over our support documents", "evaluate LLM answers with the support team"], facts.Responsibilities);
        Assert.Equal("ai-engineer", facts.Role);
        Assert.Contains("LLMs", facts.Skills);
    }

    [Fact]
    public void FromJob_LongDuty_IsCutAtAWordThatEndsAPhrase()
    {
        var facts = FactExtractor.FromJob("Analyst\n- Build weekly revenue and retention dashboards for the finance, sales, marketing and customer success teams across all of our regions and markets");

        var duty = Assert.Single(facts.Responsibilities);
        Assert.True(duty.Split(' ').Length <= 16, duty);
        Assert.DoesNotMatch(@"\b(the|and|of|for)$", duty);
    }
}
