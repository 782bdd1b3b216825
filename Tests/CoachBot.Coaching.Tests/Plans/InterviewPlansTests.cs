using System.Text.RegularExpressions;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Options = Microsoft.Extensions.Options.Options;

namespace CoachBot.Coaching.Tests.Plans;

public sealed partial class InterviewPlansTests : IDisposable
{
    private static readonly SessionKey Owner = new("slack", "T1/U1");

    private readonly TempDatabase _db = new();
    private readonly TempFolder _folder = new();
    private readonly LogCollector _logs = new();
    private readonly InterviewPlans _plans;

    public InterviewPlansTests()
    {
        _plans = PlansOn(_db.Database);
    }

    /// <summary>Plans kept in <paramref name="database"/> (the storage theories run them on SQLite and PostgreSQL).</summary>
    private InterviewPlans PlansOn(ISqlDatabase database)
    {
        var embeddings = new KnowledgeEmbeddings(Options.Create(new KnowledgeOptions()), NullLogger<KnowledgeEmbeddings>.Instance, [KnowledgeFixture.SentenceModel()]);
        var planOptions = Options.Create(new PlanOptions());
        return new InterviewPlans(
            new DocumentTextReader(planOptions),
            new InterviewPlanner(Bank.BuiltIn, embeddings, planOptions, TimeProvider.System),
            new SqlPlanStore(database),
            _logs.CreateLogger<InterviewPlans>());
    }

    public void Dispose()
    {
        _db.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task CreateAsync_SameResumeForTwoJobs_GivesDifferentPlans()
    {
        var forAnalyst = await _plans.CreateAsync(Request("a.pdf", PlanDocuments.Pdf(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob), default);
        var forProduct = await _plans.CreateAsync(Request("b.pdf", PlanDocuments.Pdf(PlanDocuments.BackendResume), PlanDocuments.ProductManagerJob), default);

        Assert.Equal("data-analyst", forAnalyst.Role);
        Assert.Equal("product-manager", forProduct.Role);
        Assert.Equal("senior", forProduct.Seniority);
        var analystTexts = forAnalyst.Questions.Select(q => q.Text).ToHashSet();
        var shared = forProduct.Questions.Count(q => analystTexts.Contains(q.Text));
        Assert.True(shared <= 1, $"{shared} questions are the same in both plans");
        Assert.Contains(forAnalyst.Questions, q => q.Text.Contains("Tableau", StringComparison.Ordinal));
        Assert.Contains(forProduct.Questions, q => q.Text.Contains("roadmap", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("resume.pdf")]
    [InlineData("resume.docx")]
    [InlineData("resume.txt")]
    public async Task CreateAsync_AnyFormat_MixesBankAndWrittenQuestionsWithRubrics(string fileName)
    {
        var bytes = Path.GetExtension(fileName) switch
        {
            ".pdf" => PlanDocuments.Pdf(PlanDocuments.BackendResume),
            ".docx" => PlanDocuments.Docx(PlanDocuments.BackendResume),
            _ => PlanDocuments.Text(PlanDocuments.BackendResume),
        };

        var plan = await _plans.CreateAsync(Request(fileName, bytes, PlanDocuments.DataAnalystJob), default);

        Assert.InRange(plan.Questions.Count, 8, 12);
        Assert.Contains(plan.Questions, q => q.Source == PlanQuestion.Bank);
        Assert.Contains(plan.Questions, q => q.Source == PlanQuestion.Written);
        Assert.Equal(plan.Questions.Count, plan.Questions.Select(q => q.Id).Distinct().Count());
        Assert.All(plan.Questions.Where(q => q.Source == PlanQuestion.Bank), q => Assert.Contains(Bank.BuiltIn.Find(q.Id)!.Role, new[] { "data-analyst", Roles.General }));
        Assert.All(plan.Questions, q => Assert.InRange(q.Rubric.Count, 3, 6));
        Assert.All(plan.Questions.SelectMany(q => q.Rubric), p => Assert.All(p.Cues, c => Assert.Matches(CuePattern(), c)));
        Assert.StartsWith("embeddings:", plan.MatchedBy, StringComparison.Ordinal);
        Assert.Contains("migrated billing to event sourcing, cutting reconciliation errors by 40%", plan.Candidate.Experiences);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAsync_EveryWrittenQuestion_NamesSomethingFromTheResumeOrTheJob(bool productJob)
    {
        var job = productJob ? PlanDocuments.ProductManagerJob : PlanDocuments.DataAnalystJob;
        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), job), default);

        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.InRange(written.Count, 3, 6);
        var facts = plan.Candidate.Experiences.Concat(plan.Responsibilities).Concat(plan.Skills.Select(s => s.Name)).ToList();
        Assert.All(written, q =>
        {
            Assert.NotNull(q.BasedOn);
            Assert.Contains(facts, f => q.Text.Contains(f, StringComparison.Ordinal));
            var named = new[] { q.BasedOn!.Resume, q.BasedOn.Job }.Where(f => f is not null).ToList();
            Assert.NotEmpty(named);
            Assert.All(named, f => Assert.True(q.Text.Contains(f!, StringComparison.Ordinal) || f is "senior" or "lead" || f == plan.JobTitle, $"'{q.Text}' does not name '{f}'"));
        });
        Assert.Contains(written, q => q.Text.StartsWith("Your résumé says you ", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task CreateAsync_UploadedResume_IsDeletedAndOnlyFactsAreStored(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var plans = PlansOn(storage.Database());
        var request = Request("upload.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob) with { DeleteResumeAfterReading = true };

        var plan = await plans.CreateAsync(request, default);

        Assert.False(File.Exists(request.ResumePath));
        var stored = await plans.LatestAsync(Owner, default);
        Assert.Equal(plan.Id, stored!.Id);
        Assert.Equal(plan.Questions.Select(q => q.Text), stored.Questions.Select(q => q.Text));
        await using var connection = await storage.Database().OpenConnectionAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT plan_json FROM interview_plans";
        var json = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain("Sam Rivera", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Mentored two junior developers on code review", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_UserOwnFile_IsLeftInPlace()
    {
        var request = Request("mine.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob);

        await _plans.CreateAsync(request, default);

        Assert.True(File.Exists(request.ResumePath));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task CreateAsync_RefusedUpload_IsDeletedAndNothingStored(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var plans = PlansOn(storage.Database());
        var request = Request("locked.pdf", PlanDocuments.EncryptedPdf(), PlanDocuments.DataAnalystJob) with { DeleteResumeAfterReading = true };

        var ex = await Assert.ThrowsAsync<DocumentRefusedException>(() => plans.CreateAsync(request, default));

        Assert.Equal(DocumentProblem.Encrypted, ex.Problem);
        Assert.False(File.Exists(request.ResumePath));
        Assert.Null(await plans.LatestAsync(Owner, default));
    }

    [Fact]
    public async Task CreateAsync_ShortJobDescription_RefusedWithAReason()
    {
        var ex = await Assert.ThrowsAsync<DocumentRefusedException>(() =>
            _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), ["Analyst"]), default));

        Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Logs_HoldNoResumeText()
    {
        await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob), default);

        Assert.NotEmpty(_logs.Lines);
        foreach (var line in PlanDocuments.BackendResume.Select(l => l.TrimStart('-', ' ')))
        {
            Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(line, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains("event sourcing", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ForgetMe_RemovesThePlans(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var plans = PlansOn(storage.Database());
        await plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob), default);
        var sessions = storage.Sessions(Bank.BuiltIn, TimeProvider.System);

        var removed = await sessions.ForgetAsync(Owner, default);

        Assert.True(removed >= 1);
        Assert.Null(await plans.LatestAsync(Owner, default));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SkipAndRegenerate_ChangeTheStoredPlan_AndTheNewestPlanIsTheUsersPlan(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var plans = PlansOn(storage.Database());
        var first = await plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob), default);

        var shorter = await plans.SkipQuestionAsync(Owner, 2, default);
        var afterSkip = await plans.LatestAsync(Owner, default);
        var regenerated = await plans.RegenerateAsync(Owner, default);
        var latest = await plans.LatestAsync(Owner, default);

        Assert.Equal(first.Questions.Count - 1, shorter!.Questions.Count);
        Assert.Equal(first.Id, afterSkip!.Id);
        Assert.DoesNotContain(afterSkip.Questions, q => q.Text == first.Questions[1].Text);
        Assert.NotEqual(first.Id, regenerated!.Id);
        Assert.Equal(regenerated.Id, latest!.Id);
        Assert.Null(await plans.SkipQuestionAsync(new SessionKey("slack", "T1/U2"), 1, default));
    }

    [Fact]
    public async Task CreateAsync_ExplicitRole_OverridesTheJob()
    {
        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), PlanDocuments.DataAnalystJob) with { Role = "ai" }, default);

        Assert.Equal("ai-engineer", plan.Role);
        Assert.All(plan.Questions.Where(q => q.Source == PlanQuestion.Bank), q => Assert.Contains(Bank.BuiltIn.Find(q.Id)!.Role, new[] { "ai-engineer", Roles.General }));
    }

    [Fact]
    public async Task CreateAsync_JobWithoutKnownWords_FillsThePlanFromTheGeneralBank()
    {
        string[] job = ["Night Watch", "We need someone reliable to look after the building at night and keep a calm head when things happen."];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), job), default);

        Assert.Equal(Roles.General, plan.Role);
        Assert.InRange(plan.Questions.Count, 8, 12);
        Assert.Equal(plan.Questions.Count, plan.Questions.Select(q => q.Id).Distinct().Count());
    }

    public static TheoryData<string, string> Pairs => new()
    {
        { nameof(PlanDocuments.BackendResume), nameof(PlanDocuments.DataAnalystJob) },
        { nameof(PlanDocuments.BackendResume), nameof(PlanDocuments.ProductManagerJob) },
        { nameof(PlanDocuments.SupportResume), nameof(PlanDocuments.CustomerSuccessJob) },
        { nameof(PlanDocuments.AnalystResume), nameof(PlanDocuments.AnalyticsEngineerJob) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task CreateAsync_WrittenQuestions_AreCompleteSentencesThatNameAResumeFact(string resumeName, string jobName)
    {
        var plan = await PlanFor(resumeName, jobName);

        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.InRange(written.Count, 4, 6);
        Assert.All(written, q =>
        {
            Assert.Matches(@"^[A-Z][^\n]*\?$", q.Text);
            Assert.DoesNotContain("…", q.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("  ", q.Text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\b(the|a|an|of|for|to|and|with|across|in)[.,?:]", q.Text);
        });
        Assert.All(plan.Candidate.Experiences, e => Assert.DoesNotMatch(@"\b(my|our|I|we)\b", e));

        // The person, not only the job: most written questions name one of their own experiences or tools.
        var own = plan.Candidate.Experiences.Concat(plan.Candidate.Skills).ToList();
        var personal = written.Count(q => own.Any(f => q.Text.Contains(f, StringComparison.Ordinal)));
        Assert.True(personal >= written.Count - 1, $"{personal} of {written.Count} written questions name a résumé fact");
        Assert.DoesNotContain(written, q => q.Text.StartsWith("Both your résumé and this job mention", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_StrongestResumeFacts_AreAskedAbout()
    {
        var plan = await PlanFor(nameof(PlanDocuments.SupportResume), nameof(PlanDocuments.CustomerSuccessJob));

        // Both figures of the résumé's results are asked about; "worked with engineers" without a result is not first.
        var texts = string.Join('\n', plan.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text));
        Assert.Contains("96% CSAT", texts, StringComparison.Ordinal);
        Assert.Contains("cut repeat tickets by 25%", texts, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task CreateAsync_NoTwoQuestions_AskTheSameThing(string resumeName, string jobName)
    {
        var plan = await PlanFor(resumeName, jobName);

        for (var i = 0; i < plan.Questions.Count; i++)
        {
            for (var j = i + 1; j < plan.Questions.Count; j++)
            {
                Assert.False(InterviewPlanner.NearDuplicate(plan.Questions[i].Text, plan.Questions[j].Text), $"'{plan.Questions[i].Text}' and '{plan.Questions[j].Text}'");
            }
        }
    }

    [Fact]
    public async Task CreateAsync_AnalyticsEngineerJob_NamesItsToolsAndSkipsTheBankQuestionItsResumeStoryRepeats()
    {
        var plan = await PlanFor(nameof(PlanDocuments.AnalystResume), nameof(PlanDocuments.AnalyticsEngineerJob));

        Assert.Contains("dbt", plan.Skills.Select(s => s.Name));
        Assert.Contains("Snowflake", plan.Skills.Select(s => s.Name));
        Assert.Contains(plan.Skills, s => s.Name == "Looker" && s.InResume);
        Assert.Contains(plan.Questions, q => q.Source == PlanQuestion.Written && q.Text.Contains("dbt", StringComparison.Ordinal) && q.Text.Contains("Looker", StringComparison.Ordinal));
        // data-005 ("a dashboard or report you built") is the analyst bank's closest question, and the 25 Looker dashboards are already asked about.
        Assert.DoesNotContain(plan.Questions, q => q.Id == "data-005");
    }

    [Fact]
    public async Task CreateAsync_CustomerSuccessJob_DrawsOnSupportAndSalesAndAsksNothingFromTheBoilerplate()
    {
        var plan = await PlanFor(nameof(PlanDocuments.SupportResume), nameof(PlanDocuments.CustomerSuccessJob));

        Assert.Equal("customer-support", plan.Role);
        var roles = plan.Questions.Where(q => q.Source == PlanQuestion.Bank).Select(q => Bank.BuiltIn.Find(q.Id)!).ToList();
        Assert.Contains(roles, q => q.Role == "sales");
        Assert.Contains(roles, q => q.Role == "customer-support");
        Assert.DoesNotContain(roles, q => q.Category == Categories.Motivation && q.Role != Roles.General);
        Assert.DoesNotContain(plan.Skills, s => s.Name is "hiring" or "budget ownership");
        Assert.Contains(plan.Skills, s => s.Name == "Salesforce");
        Assert.DoesNotContain(plan.Questions, q => Regex.IsMatch(q.Text, "hiring|learning budget|health insurance|equal opportunit", RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task CreateAsync_SiteReliabilityJob_AsksTheBankAboutIncidents()
    {
        string[] job =
        [
            "Site Reliability Engineer",
            "What you will do",
            "- Take part in the on-call rotation and lead the response to production incidents",
            "- Define service level objectives (SLOs) and error budgets with product teams",
            "- Run blameless postmortems after every incident and follow the actions through",
            "- Reduce toil by automating deployments with Terraform and Python",
        ];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(PlanDocuments.BackendResume), job), default);

        Assert.Contains("service level objectives", plan.Skills.Select(s => s.Name));
        Assert.DoesNotContain("budget ownership", plan.Skills.Select(s => s.Name));
        Assert.Contains(plan.Questions, q => q.Source == PlanQuestion.Bank && Regex.IsMatch(q.Text, "incident|outage|on-call", RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task CreateAsync_JobWithNoBankRole_WritesMoreAndBorrowsNoOtherRolesSet()
    {
        string[] job =
        [
            "Product Marketing Manager",
            "In this role you will lead go-to-market for new features and work closely with sales.",
            "Your responsibilities",
            "- Write messaging and positioning for our three core products",
            "- Build sales enablement material: battlecards, pitch decks and demo scripts for the sales team",
            "- Run win/loss interviews with customers and share them with sales and product",
            "- Work with product managers to shape the roadmap from market insight",
        ];

        string[] resume =
        [
            "Amara Okafor",
            "Marketing Coordinator",
            "- Wrote launch emails and landing pages for four product releases",
            "- Ran the monthly customer webinar, growing attendance from 60 to 340 people",
            "- Built the competitor comparison pages with the sales team, which lifted demo requests by 22%",
            "- Coordinated the annual user conference for 800 attendees",
            "- Interviewed 15 customers for case studies",
            "- Managed social media calendars for three brands",
        ];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(resume), job), default);

        Assert.Equal(Roles.General, plan.Role);
        Assert.Null(plan.Seniority);
        Assert.True(plan.Questions.Count(q => q.Source == PlanQuestion.Written) > new PlanOptions().WrittenQuestions, "a job without a bank role gets more written questions");
        var lent = plan.Questions.Where(q => q.Source == PlanQuestion.Bank).Select(q => Bank.BuiltIn.Find(q.Id)!).Where(q => q.Role != Roles.General).ToList();
        Assert.All(lent.GroupBy(q => q.Role), g => Assert.Single(g));
        Assert.DoesNotContain(lent, q => q.Category == Categories.Motivation);
    }

    [Fact]
    public async Task CreateAsync_JobWithNoBankRole_BankQuestionFittingNoDutyGivesItsPlaceToAWrittenOne()
    {
        string[] job =
        [
            "Junior Payroll Officer",
            "- Run the monthly payroll for 1,200 staff across four sites",
            "- Maintain payroll journals and match them to the general ledger",
            "- Support employees and managers with their pay queries",
            "- Manage year-end tax returns and pension submissions",
            "- Keep payroll records in Excel and report pay costs in Power BI",
        ];

        string[] resume =
        [
            "Dana Kowalski",
            "Accounts Assistant",
            "- Ran the weekly supplier payment run for 300 suppliers",
            "- Reconciled bank accounts and supplier ledgers every month, cutting unmatched items from 90 to 12",
            "- Answered invoice queries from suppliers by phone and email",
            "- Prepared VAT returns for two companies",
            "- Built an Excel checklist for the month-end close that cut it from 8 days to 5",
            "- Trained two new starters on the purchase ledger",
            "- Processed expense claims for 150 staff",
            "- Maintained the fixed asset register in Excel for two companies",
        ];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(resume), job), default);

        Assert.Equal(Roles.General, plan.Role);
        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.True(written.Count > new PlanOptions().WrittenQuestions + 2, $"{written.Count} written: a bank question that fits no duty gives its place to a spare");
        Assert.Equal(written.Count, written.Select(q => q.Id).Distinct().Count());
        Assert.DoesNotContain(written, a => written.Any(b => a != b && InterviewPlanner.NearDuplicate(a.Text, b.Text)));
    }

    [Fact]
    public async Task CreateAsync_JobWithNoBankRole_LendsNoQuestionOfAKindOfWorkTheJobDoesNotNameAndAtMostOneGenericOne()
    {
        // Words of software and product work ("on-call", "incident", "design", "data", "engineering") in a job that is neither.
        string[] job =
        [
            "Theatre Front of House Manager",
            "- Take part in the on-call duty manager rota for evening and weekend performances",
            "- Lead the incident response when a performance is stopped by a fire alarm or an audience member taken ill",
            "- Design the front-of-house staffing plan for each season and keep it within the labour budget",
            "- Work with the building engineering team on planned maintenance of the auditorium",
            "- Use ticket sales data to plan bar and usher staffing for each show",
            "- Recruit, train and rota a team of 45 casual ushers and bar staff",
        ];

        string[] resume =
        [
            "Priya Nair",
            "Cinema Duty Manager",
            "- Ran the evening shift for a 9-screen cinema with up to 2,000 guests a night",
            "- Cut queue times at the concessions counter from 12 minutes to 5 by reorganising the tills",
            "- Trained 30 new team members on customer service and safety checks",
            "- Handled first aid and evacuation drills as the site's fire marshal",
            "- Built the weekly staff rota for 40 part-time staff, cutting overtime by 15%",
            "- Resolved customer complaints and refunds at the front desk",
        ];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(resume), job), default);

        Assert.Equal(Roles.General, plan.Role);
        var fromBank = plan.Questions.Where(q => q.Source == PlanQuestion.Bank).Select(q => Bank.BuiltIn.Find(q.Id)!).ToList();
        Assert.All(fromBank, q => Assert.Equal(Roles.General, q.Role));
        var genericAsked = fromBank.Where(q => Regex.IsMatch(q.Text, @"work (?:here|at this company)|organi[sz]e your week|five years|original plan", RegexOptions.IgnoreCase)).ToList();
        Assert.True(genericAsked.Count <= 1, "generic questions: " + string.Join(" | ", genericAsked.Select(q => q.Text)));
    }

    [Fact]
    public async Task CreateAsync_ResultQuestions_AskOnlyAboutLinesThatStateAResult()
    {
        string[] resume =
        [
            "Ravi Menon",
            "Management Accountant",
            "- Prepared the monthly management accounts for a £40M business",
            "- Built 12 Excel models for the finance team",
            "- Reconciled bank accounts and supplier ledgers every month",
            "- Partnered with the operations director on a pricing review, which raised gross margin by 3 points",
            "- Supported the annual audit with the external auditors",
        ];
        string[] job = ["Financial Analyst", "- Build the financial model for the annual budget", "- Partner with commercial teams on pricing decisions", "- Improve our reporting in Power BI"];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(resume), job), default);

        var measured = plan.Questions.Where(q => q.Text.Contains("measure", StringComparison.OrdinalIgnoreCase) && q.Text.Contains("result", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(measured);
        Assert.All(measured, q => Assert.Matches(FactExtractor.ResultText, q.BasedOn!.Resume!));
        Assert.Contains(measured, q => q.BasedOn!.Resume!.Contains("raised gross margin by 3 points", StringComparison.Ordinal));
    }

    [Fact]
    public void NearDuplicate_SameStoryInOtherWords_IsADuplicate()
    {
        Assert.True(InterviewPlanner.NearDuplicate(
            "Tell me about a dashboard or report you built. Who used it, and how did you know it was useful?",
            "Your résumé says you built 25 Looker dashboards used by the billing team. What did you do yourself in that work?"));
        Assert.False(InterviewPlanner.NearDuplicate(
            "Imagine you inherit a critical legacy service with no tests. How would you make changes to it safely?",
            "Your résumé says you moved 14 services to Kubernetes. This role asks you to make it easy for teams to ship safely."));
    }

    [Fact]
    public async Task CreateAsync_AlternativeToolTheResumeHas_IsNoGapAndAMidLevelJobGetsNoLevelQuestion()
    {
        string[] resume =
        [
            "Experience",
            "- Built 25 Power BI dashboards for the sales team, cutting weekly reporting time by 60%",
            "- Wrote SQL models for the finance team's month-end close",
            "- Led a data quality review with 4 analysts across two regions",
        ];
        string[] job =
        [
            "Data Analyst",
            "This is a mid-level role in our analytics team.",
            "- Build dashboards in Power BI or Tableau for the commercial teams",
            "- Write SQL to answer questions from finance",
            "- Present findings to the leadership team every month",
        ];

        var plan = await _plans.CreateAsync(Request("r.txt", PlanDocuments.Text(resume), job), default);

        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text).ToList();
        Assert.NotEmpty(written);
        Assert.Equal("mid", plan.Seniority);
        Assert.DoesNotContain(written, q => q.Contains("Tableau", StringComparison.Ordinal));
        Assert.DoesNotContain(written, q => q.Contains("mid role", StringComparison.Ordinal) || q.Contains("This is a mid", StringComparison.Ordinal));
    }

    private async Task<InterviewPlan> PlanFor(string resumeName, string jobName)
    {
        var resume = (string[])typeof(PlanDocuments).GetField(resumeName)!.GetValue(null)!;
        var job = (string[])typeof(PlanDocuments).GetField(jobName)!.GetValue(null)!;
        return await _plans.CreateAsync(Request(resumeName + ".txt", PlanDocuments.Text(resume), job), default);
    }

    private PlanRequest Request(string resumeName, byte[] resume, string[] job)
    {
        var path = _folder.File(resumeName);
        File.WriteAllBytes(path, resume);
        return new PlanRequest(Owner, path) { JobText = string.Join('\n', job) };
    }

    [GeneratedRegex(@"^[a-z0-9'%$][a-z0-9'%$\-]*(?: [a-z0-9'%$\-]+){0,3}\*?$")]
    private static partial Regex CuePattern();
}
