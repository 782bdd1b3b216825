using CoachBot.Coaching.Plans;

namespace CoachBot.Coaching.Tests.Plans;

public sealed class FactExtractorTests
{
    [Fact]
    public void FromResume_BulletsWithActionVerbs_BecomeExperiences()
    {
        var facts = FactExtractor.FromResume(string.Join('\n', PlanDocuments.BackendResume));

        Assert.Contains(facts.Experiences, e => e.Text == "migrated billing to event sourcing, cutting reconciliation errors by 40%" && e.HasFigure);
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("built a Kafka order pipeline", StringComparison.Ordinal) && e.Skills.Contains("Kafka"));
        Assert.DoesNotContain(facts.Experiences, e => e.Text.Contains("Rivera", StringComparison.Ordinal));
        Assert.Contains("Kubernetes", facts.Skills);
        Assert.Contains("PostgreSQL", facts.Skills);
        Assert.Contains("SQL", facts.Skills);
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

    [Theory]
    [InlineData("Payroll Officer\n- 1–3 years in payroll, HR administration or finance.", null)]
    [InlineData("Payroll Officer\n- 2–4 years in a busy payroll office.", null)]
    [InlineData("Payroll Officer\n- 1-3 years in payroll, HR administration or finance.", null)]
    [InlineData("Payroll Officer\n- 2–4 years of hands-on payroll experience.", 2)]
    [InlineData("Payroll Officer\n- 3-5 years' experience running payroll.", 3)]
    [InlineData("Payroll Officer\n- At least 4 yrs experience in payroll.", 4)]
    public void FromJob_YearsRangeWithoutTheWordExperience_IsReadWithoutFailing(string text, int? years)
    {
        var facts = FactExtractor.FromJob(text);

        Assert.Equal(years, facts.Years);
        Assert.Equal("Payroll Officer", facts.Title);
    }

    [Fact]
    public void FromJob_DutiesOpeningWithReviewFacilitateCoachAssessOrTake_AreDuties()
    {
        var facts = FactExtractor.FromJob(string.Join('\n',
            "Warehouse Team Leader",
            "- Review and approve overtime requests for the night shift",
            "- Facilitate the daily stand-up with pickers and drivers",
            "- Coach new starters on the scanning equipment",
            "- Assess picking accuracy across both loading bays",
            "- Take responsibility for the weekly safety walk"));

        Assert.Equal(
            ["review and approve overtime requests for the night shift", "facilitate the daily stand-up with pickers and drivers",
             "coach new starters on the scanning equipment", "assess picking accuracy across both loading bays", "take responsibility for the weekly safety walk"],
            facts.Responsibilities);
    }

    [Fact]
    public void FromResume_LinesOpeningWithReferredOrPerform_AreExperiences()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "Experience",
            "- Referred 38 clients to the mortgage team, 20 of whom took out loans",
            "- Perform dissolution tests on tablet batches every week"));

        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("referred 38 clients to the mortgage team", StringComparison.Ordinal));
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("performed dissolution tests on tablet batches", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Build e-learning modules in Articulate Storyline and Rise 360 and publish them on our LMS.", new[] { "Articulate Storyline", "Articulate Rise", "LMS", "instructional design" })]
    [InlineData("Investigate quality deviations and raise CAPAs under GMP and 21 CFR Part 11.", new[] { "deviation management", "CAPA", "GMP", "21 CFR Part 11" })]
    public void FromJob_SkillsOutsideTech_AreRead(string duty, string[] skills)
    {
        var facts = FactExtractor.FromJob("Specialist\n- " + duty);

        Assert.All(skills, s => Assert.Contains(s, facts.Skills));
    }

    [Fact]
    public void FromJob_StandardDeviations_IsNoDeviationManagement()
    {
        var facts = FactExtractor.FromJob("Analyst\n- Report means and standard deviations of weekly sales by region");

        Assert.DoesNotContain("deviation management", facts.Skills);
    }

    [Fact]
    public void FromResume_LongLineCutBeforeTheToOfAResult_KeepsTheFigureItGoesTo()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "Experience",
            "- Cut the average handling time from 14 minutes to 9 minutes by rewriting the call scripts, the refund macros and the escalation notes of the billing queue"));

        var experience = Assert.Single(facts.Experiences);
        Assert.Equal("cut the average handling time from 14 minutes to 9 minutes", experience.Text);
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

    [Fact]
    public void FromJob_Boilerplate_IsNeitherASkillNorADuty()
    {
        var facts = FactExtractor.FromJob(string.Join('\n', PlanDocuments.CustomerSuccessJob));

        Assert.DoesNotContain("hiring", facts.Skills);
        Assert.DoesNotContain("budget ownership", facts.Skills);
        Assert.DoesNotContain(facts.Responsibilities, r => r.Contains("budget", StringComparison.OrdinalIgnoreCase) || r.Contains("insurance", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("own a portfolio of 60 mid-market accounts from onboarding to renewal", facts.Responsibilities);
        Assert.Null(facts.Seniority);
    }

    [Theory]
    [InlineData("We are hiring a data analyst. Build dashboards for sales.", "hiring")]
    [InlineData("Build dashboards for sales.\nWhat we offer\n- A generous learning budget", "budget ownership")]
    [InlineData("Build dashboards for sales.\nWhy you'll love working here\n- Mentoring from senior analysts", "mentoring")]
    [InlineData("Build dashboards for sales. The team is hiring across Europe.", "hiring")]
    [InlineData("Build dashboards for sales. You get a learning and development budget of £1,000.", "budget ownership")]
    [InlineData("Build dashboards for sales. We are an equal opportunity employer and value diversity and collaboration.", "cross-functional collaboration")]
    public void FromJob_BoilerplateLine_DoesNotBecomeASkill(string text, string skill)
    {
        var facts = FactExtractor.FromJob("Data Analyst\n" + text);

        Assert.DoesNotContain(skill, facts.Skills);
    }

    [Fact]
    public void FromJob_HiringAsADuty_IsStillASkill()
    {
        var facts = FactExtractor.FromJob("Director of Engineering\n- Own hiring plans and the engineering budget for four teams");

        Assert.Contains("hiring", facts.Skills);
        Assert.Contains("budget ownership", facts.Skills);
        Assert.Equal("lead", facts.Seniority);
        Assert.Equal("engineering-manager", facts.Role);
    }

    [Theory]
    [InlineData("Build dbt models in Snowflake and dashboards in Looker", new[] { "dbt", "Snowflake", "Looker" })]
    [InlineData("Keep account health up to date in Salesforce and Gainsight", new[] { "Salesforce", "Gainsight" })]
    [InlineData("Turn research into prototypes in Figma; track issues in Jira", new[] { "Figma", "Jira" })]
    [InlineData("Ship agents with LangChain, pgvector and the OpenAI API; run Terraform on AWS", new[] { "LangChain", "pgvector", "OpenAI API", "Terraform", "AWS" })]
    public void FromJob_CommonTools_AreRecognisedByName(string duty, string[] tools)
    {
        var facts = FactExtractor.FromJob("Engineer\n- " + duty);

        Assert.All(tools, t => Assert.Contains(t, facts.Skills));
    }

    [Fact]
    public void FromJob_SpellingInsideALongerOne_CountsOnlyForTheLonger()
    {
        var facts = FactExtractor.FromJob("Product Manager\n- Design A/B testing for onboarding\n- Choose between vector databases for search");

        Assert.Contains("A/B testing", facts.Skills);
        Assert.Contains("vector databases", facts.Skills);
        Assert.DoesNotContain("testing", facts.Skills);
        Assert.DoesNotContain("databases", facts.Skills);
    }

    [Theory]
    [InlineData("Customer Success Manager", "customer-support")]
    [InlineData("Account Manager, Enterprise", "sales")]
    [InlineData("Analytics Engineer", "data-analyst")]
    [InlineData("Senior Site Reliability Engineer", "software-engineer")]
    public void FromJob_TitleBetweenRoles_ReadsTheTitlesRole(string title, string role)
    {
        var facts = FactExtractor.FromJob(title + "\n- Work with support, sales and engineering to keep customers happy and renew contracts");

        Assert.Equal(role, facts.Role);
    }

    [Fact]
    public void FromJob_LevelWordsOutsideLinesAboutTheRole_AreNotItsSeniority()
    {
        var facts = FactExtractor.FromJob("Data Analyst\n- Present insights to senior leaders\n- Lead workshops with the sales team");

        Assert.Null(facts.Seniority);
    }

    [Fact]
    public void FromResume_FirstPersonWords_AreSaidBackToTheCandidate()
    {
        var facts = FactExtractor.FromResume("- Trained 8 new support agents and wrote my team's onboarding playbook\n- Rewrote our tracking service in Go, cutting p99 latency from 1.2 s to 180 ms");

        Assert.Contains("trained 8 new support agents and wrote your team's onboarding playbook", facts.Experiences.Select(e => e.Text));
        Assert.Contains("rewrote the tracking service in Go, cutting p99 latency from 1.2 s to 180 ms", facts.Experiences.Select(e => e.Text));
    }

    [Fact]
    public void FromResume_LongBullet_IsCutWhereAPhraseEnds()
    {
        var facts = FactExtractor.FromResume("- Built weekly revenue dashboards for the finance, sales and marketing teams across all of the regions and markets we served in Europe and Asia");

        // Cut before the last preposition that fits ("… served | in Europe"), never after "across all of the".
        var experience = Assert.Single(facts.Experiences).Text;
        Assert.Equal("built weekly revenue dashboards for the finance, sales and marketing teams across all of the regions and markets the team served", experience);
    }

    [Fact]
    public void FromResume_PresentTenseLines_AreExperiencesSaidBackInThePast()
    {
        var facts = FactExtractor.FromResume("Lead Engineer, Kettle Payments (2020 to now)\n- I run the on-call rota for the payments team\n- Own the billing service end to end\n- Manages the release calendar for four teams");

        var texts = facts.Experiences.Select(e => e.Text).ToList();
        Assert.Contains("ran the on-call rota for the payments team", texts);
        Assert.Contains("owned the billing service end to end", texts);
        Assert.Contains("managed the release calendar for four teams", texts);
        // "Lead" before a capitalised word is a job title, not the verb.
        Assert.DoesNotContain(texts, t => t.StartsWith("led", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Product Marketing Manager\nThe role\nIn this role you will lead go-to-market for new features and work closely with sales.", null)]
    [InlineData("Data Analyst\nThis role reports to senior stakeholders in finance.", null)]
    [InlineData("Data Analyst\nWe are looking for a senior analyst to join the team.", "senior")]
    [InlineData("Data Analyst\nThis is an entry-level role.", "junior")]
    [InlineData("Design Lead", "lead")]
    [InlineData("Lead Product Designer", "lead")]
    public void FromJob_LevelWord_CountsOnlyWhereItNamesTheLevel(string job, string? level)
    {
        Assert.Equal(level, FactExtractor.FromJob(job).Seniority);
    }

    [Fact]
    public void FromJob_SkillSpellingInsideAPhraseThatNamesSomethingElse_IsNotTheSkill()
    {
        var warehouse = FactExtractor.FromJob("Warehouse Operations Manager\n- Improve accuracy using data from our warehouse management system\n- Own health and safety and the incident reports of every shift");
        var data = FactExtractor.FromJob("Analytics Engineer\n- Model our data warehouse in dbt");

        Assert.DoesNotContain("data warehousing", warehouse.Skills);
        Assert.DoesNotContain("incident response", warehouse.Skills);
        Assert.Contains("data warehousing", data.Skills);
    }

    [Theory]
    [InlineData("Product Marketing Manager\n- Build sales enablement material for the sales team\n- Support sales on pricing and sales calls")]
    [InlineData("Support Operations Manager\n- Define support analytics and report them to leadership\n- Build analytics dashboards for the support team")]
    [InlineData("Financial Analyst\n- Build the data analytics behind the budget\n- Present analytics to business analysts")]
    public void FromJob_TitleNamingNoBankRole_ReadsAsNoRoleWhateverTheBodyMentions(string job)
    {
        var facts = FactExtractor.FromJob(job);

        Assert.Null(facts.Role);
        Assert.DoesNotContain(facts.Responsibilities, d => d.Contains("Operations Manager", StringComparison.Ordinal));
    }

    [Fact]
    public void FromResume_ResultCutOffTheFirstClause_IsKeptWithTheExperience()
    {
        var facts = FactExtractor.FromResume("- Ran A/B tests on the mortgage application flow, which lifted completion by 9%\n- Designed the churn analysis for savings customers, resulting in a campaign that kept 18% more at-risk customers");

        var texts = facts.Experiences.Select(e => e.Text).ToList();
        Assert.Contains("ran A/B tests on the mortgage application flow, which lifted completion by 9%", texts);
        Assert.Contains("designed the churn analysis for savings customers, resulting in a campaign that kept 18% more at-risk customers", texts);
    }

    [Theory]
    [InlineData("cut failed nightly batches from 9 a month to 1", true)]
    [InlineData("lifted demo requests by 22%", true)]
    [InlineData("saved the company £200k a year", true)]
    [InlineData("prepared the monthly management accounts for a £40M business", false)]
    [InlineData("built 12 Tableau dashboards for the lending team", false)]
    [InlineData("worked with the growth team on 3 launches", false)]
    public void ResultText_TellsAResultFromAScale(string text, bool isResult)
    {
        Assert.Equal(isResult, FactExtractor.ResultText.IsMatch(text));
    }

    [Fact]
    public void FromResume_ProfileAndAspirations_AreNoExperiences()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "Summary",
            "I ran store networks for six years and I am moving towards platform engineering.",
            "Experience",
            "- I am studying for a postgraduate certificate in clinical research",
            "- Now looking for a site reliability role with more ownership",
            "- I want to move into oncology trials",
            "- Led the on-call rota for 40 stores and now want to move into SRE"));

        Assert.Equal(["led the on-call rota for 40 stores"], facts.Experiences.Select(e => e.Text));
    }

    [Fact]
    public void FromResume_PresentTenseLine_PutsEveryCoordinatedVerbInThePast()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "- I run the on-call rota for 40 stores and act as incident lead for major outages",
            "- Investigate network faults and write incident reports for the board",
            "- Manage billing and support tickets for 300 customers",
            "- Monitor 9 investigator sites and write visit reports within 5 days"));

        Assert.Equal(
            ["ran the on-call rota for 40 stores and acted as incident lead for major outages", "investigated network faults and wrote incident reports for the board",
                "managed billing and support tickets for 300 customers", "monitored 9 investigator sites and wrote visit reports within 5 days"],
            facts.Experiences.Select(e => e.Text));
    }

    [Fact]
    public void FromResume_SemicolonResult_IsJoinedAsAClauseNotACommaSplice()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "- Led a team of 8 on the night shift; picking accuracy reached 99.6%",
            "- Migrated billing to event sourcing, cutting reconciliation errors by 40%"));

        Assert.Equal(
            ["led a team of 8 on the night shift, and picking accuracy reached 99.6%", "migrated billing to event sourcing, cutting reconciliation errors by 40%"],
            facts.Experiences.Select(e => e.Text));
    }

    [Fact]
    public void FromResume_NoPhraseIsCutMidNounOrMidParenthesis()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "- Handled investigational medicinal product accountability, reconciliation, returns, destruction, documentation, archiving, labelling, storage, shipping, temperature logs, sponsor sign-off and the final archive boxes",
            "- Migrated 120 branch sites (MPLS to an SD-WAN, Fortinet) cutting network costs by 30%",
            "- Embedded in the data management squad for the EDC migration"));

        Assert.DoesNotContain(facts.Experiences, e => e.Text.StartsWith("handled", StringComparison.Ordinal) || e.Text.StartsWith("embedded", StringComparison.Ordinal));
        var migrated = Assert.Single(facts.Experiences);
        Assert.Equal(migrated.Text.Count(c => c == '('), migrated.Text.Count(c => c == ')'));
        Assert.StartsWith("migrated 120 branch sites", migrated.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJob_DutyIsNeverCutAfterAWordThatNeedsItsObject()
    {
        var facts = FactExtractor.FromJob("Clinical Research Associate\n- Own and be accountable for delivery of the regional site monitoring plan and quality of all investigator site data and oncology study documentation");

        Assert.DoesNotContain(facts.Responsibilities, r => r.EndsWith("accountable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Clinical Research Associate\n- Monitor investigator sites for compliance with the protocol and GCP", "Google Cloud", false)]
    [InlineData("Platform Engineer\n- Run our services on GCP with Terraform", "Google Cloud", true)]
    [InlineData("Clinical Research Associate\n- Carry out risk-based monitoring of investigator sites", "observability", false)]
    [InlineData("Platform Engineer\n- Own monitoring of production services and the on-call rota", "observability", true)]
    [InlineData("Communications Manager\n- Join the on-call media rota and lead the response to a reputational incident\n- Run daily media monitoring and report coverage metrics", "incident response", false)]
    [InlineData("Communications Manager\n- Join the on-call media rota and lead the response to a reputational incident\n- Run daily media monitoring and report coverage metrics", "observability", false)]
    [InlineData("Site Reliability Engineer\n- Join the on-call rota for our production services and lead incident reviews", "incident response", true)]
    [InlineData("Leisure Centre Manager\n- Grow membership retention and class conversion across three sites", "product analytics", false)]
    [InlineData("Product Analyst\n- Track sign-up conversion and retention of app users with Amplitude", "product analytics", true)]
    [InlineData("Category Buyer\n- Run tenders for facilities spend: cleaning, catering and security", "security", false)]
    [InlineData("Backend Engineer\n- Build secure APIs and own application security reviews", "security", true)]
    [InlineData("Electrical Engineer\n- Design power distribution to limit the risk of an outage at the hospital", "incident response", false)]
    [InlineData("Fraud Investigator\n- Present cases of significance to the review panel", "statistics", false)]
    public void FromJob_FieldSpecificSpelling_NeedsItsField(string job, string skill, bool expected)
    {
        Assert.Equal(expected, FactExtractor.FromJob(job).Skills.Contains(skill));
    }

    [Theory]
    [InlineData("Partner with ward managers and the digital team on the new patient portal rollout, working closely with nurses, pharmacists and the trust's information governance office", "closely")]
    [InlineData("Help members of all ages and abilities across our three leisure sites get the most from their membership and class timetable every single week", "most")]
    public void FromJob_LongDutyCut_NeverEndsOnAWordThatNeedsWhatFollows(string duty, string dangling)
    {
        var facts = FactExtractor.FromJob("Service Manager\n- " + duty);

        Assert.NotEmpty(facts.Responsibilities);
        Assert.DoesNotContain(facts.Responsibilities, r => r.EndsWith(" " + dangling, StringComparison.Ordinal));
    }

    [Fact]
    public void FromResume_LineNamingTheCandidatesCharge_IsSaidBackAsWhatTheyWere()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "Experience",
            "- Budget owner for the front-desk staffing budget (£310k), bringing agency spend down from 9% to 3%",
            "- Rota lead for 12 pharmacy technicians across two hospital sites",
            "Engineering Manager for Payments"));

        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("were budget owner for the front-desk staffing budget", StringComparison.Ordinal));
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("were rota lead for 12 pharmacy technicians", StringComparison.Ordinal));
        Assert.DoesNotContain(facts.Experiences, e => e.Text.Contains("Payments", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void FromResume_VerbJoinedToAnAdjective_IsANounPhraseNotAnExperience()
    {
        var facts = FactExtractor.FromResume(string.Join('\n',
            "Experience",
            "- Planned and preventive servicing of boilers across 14 schools",
            "- Designed and built the booking page for 3 clinics",
            "- Wrote and ran the fire drill schedule for 6 floors"));

        Assert.DoesNotContain(facts.Experiences, e => e.Text.StartsWith("planned and preventive", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("designed and built the booking page", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(facts.Experiences, e => e.Text.StartsWith("wrote and ran the fire drill", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Clinical Research Associate II", null)]
    [InlineData("Software Engineer 2", null)]
    [InlineData("Associate Product Manager", "junior")]
    public void FromJob_GradeAboveTheFirst_IsNotJunior(string title, string? expected)
    {
        Assert.Equal(expected, FactExtractor.FromJob(title + "\n- Build reports for the sales team every week").Seniority);
    }

    [Fact]
    public void FromJob_SkillsJoinedByOr_AreAlternatives()
    {
        var facts = FactExtractor.FromJob("Data Analyst\n- Report progress in Power BI or Tableau dashboards\n- Experience with Python, SQL and dbt");

        var group = Assert.Single(facts.Alternatives);
        Assert.Equal(["Power BI", "Tableau"], group.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FromResume_CapitalProject_ShowsABudget()
    {
        var facts = FactExtractor.FromResume("- Ran a £450k capital project to replace the sample freezers");

        Assert.Contains("budget ownership", facts.Skills);
    }
}
