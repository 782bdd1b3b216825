using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Bot.Cli;

/// <summary>
/// <c>coachbot plan create --resume &lt;file&gt; --job &lt;file|text&gt;</c>: an interview plan for one job and one résumé.
/// The résumé file is the user's own and is left in place; only the facts extracted from it are stored with the plan.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context) => new("plan", "Interview plans made from your résumé and a job description.")
    {
        CreatePlan(context), ShowPlan(context),
    };

    private static Command ShowPlan(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Whose plan.", DefaultValueFactory = _ => "local" };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("show", "Show your newest plan and every fact kept from your résumé and the job.") { user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var plan = await context.Services.GetRequiredService<IInterviewPlans>()
                .LatestAsync(new SessionKey(CoachBotCli.Channel, parse.GetValue(user)!), cancellationToken);
            if (plan is null)
            {
                return await RefuseAsync(context, parse.GetValue(json), "no_plan", "There is no plan for this user. Make one with: plan create --resume <file> --job <file|text>");
            }

            await context.Output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(plan, ReportJson.Options) : Format(plan) + "\n\n" + Facts(plan));
            return CoachBotCli.Ok;
        });
        return command;
    }

    /// <summary>Everything kept from the documents, so a user can see it before deciding to keep it or say "forget me".</summary>
    internal static string Facts(InterviewPlan plan)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("Kept from your résumé:");
        text.AppendLine(inv, $"  skills: {(plan.Candidate.Skills.Count == 0 ? "none found" : string.Join(", ", plan.Candidate.Skills))}");
        if (plan.Candidate.Years is { } years)
        {
            text.AppendLine(inv, $"  years of experience: {years}");
        }

        foreach (var experience in plan.Candidate.Experiences)
        {
            text.AppendLine(inv, $"  - {experience}");
        }

        text.AppendLine("Kept from the job description:");
        foreach (var duty in plan.Responsibilities)
        {
            text.AppendLine(inv, $"  - {duty}");
        }

        text.Append("The documents themselves are not kept. 'forget me' in a chat deletes plans with the rest of your history.");
        return text.ToString();
    }

    private static Command CreatePlan(CliContext context)
    {
        var resume = new Option<FileInfo>("--resume") { Description = "Your résumé: a PDF with selectable text, a .docx or a text file.", Required = true };
        var job = new Option<string>("--job") { Description = "The job description: a file (PDF, .docx, text) or the text itself.", Required = true };
        var role = new Option<string>("--role") { Description = "The bank role to draw questions from (default: read from the job): " + string.Join(", ", Roles.All) + "." };
        var user = new Option<string>("--user") { Description = "Whose plan this is (plans are kept per user; 'forget me' deletes them).", DefaultValueFactory = _ => "local" };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("create", "Make a plan of 8–12 questions: bank questions matched to the job and questions written for this job and résumé.")
        {
            resume, job, role, user, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var resumeFile = parse.GetValue(resume)!;
            var jobValue = parse.GetValue(job)!;
            var resolvedRole = CliArguments.Role(parse.GetValue(role));
            var asJson = parse.GetValue(json);
            if (!resumeFile.Exists)
            {
                return await RefuseAsync(context, asJson, "not_found", $"There is no résumé file at {resumeFile.FullName}.");
            }

            // A value naming an existing file is read as a document; anything else is the job description's text.
            var jobPath = LooksLikePath(jobValue) && File.Exists(jobValue) ? Path.GetFullPath(jobValue) : null;
            if (jobPath is null && LooksLikePath(jobValue) && !jobValue.Contains(' ', StringComparison.Ordinal))
            {
                return await RefuseAsync(context, asJson, "not_found", $"There is no job description file at {Path.GetFullPath(jobValue)}.");
            }

            var request = new PlanRequest(new SessionKey(CoachBotCli.Channel, parse.GetValue(user)!), resumeFile.FullName)
            {
                JobPath = jobPath,
                JobText = jobPath is null ? jobValue : null,
                Role = resolvedRole,
                DeleteResumeAfterReading = false,
            };

            InterviewPlan plan;
            try
            {
                plan = await context.Services.GetRequiredService<IInterviewPlans>().CreateAsync(request, cancellationToken);
            }
            catch (DocumentRefusedException ex)
            {
                return await RefuseAsync(context, asJson, ex.Code, ex.Message);
            }

            await context.Output.WriteLineAsync(asJson ? JsonSerializer.Serialize(plan, ReportJson.Options) : Format(plan));
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static bool LooksLikePath(string value) =>
        !value.Contains('\n', StringComparison.Ordinal) && value.Length < 260 &&
        (Path.HasExtension(value) || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal));

    private static async Task<int> RefuseAsync(CliContext context, bool asJson, string code, string message)
    {
        if (asJson)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { schemaVersion = 1, error = new { code, message } }, ReportJson.Options));
        }

        await context.Error.WriteLineAsync(message);
        return CoachBotCli.Refused;
    }

    internal static string Format(InterviewPlan plan)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Interview plan {plan.Id} — {plan.JobTitle ?? plan.Role} ({plan.Role}{(plan.Seniority is null ? string.Empty : ", " + plan.Seniority)})");
        if (plan.Skills.Count > 0)
        {
            text.AppendLine(inv, $"Skills the job asks for: {string.Join(", ", plan.Skills.Select(s => s.InResume ? s.Name : s.Name + " (not on your résumé)"))}");
        }

        text.AppendLine();
        for (var i = 0; i < plan.Questions.Count; i++)
        {
            var q = plan.Questions[i];
            text.AppendLine(inv, $"{i + 1,2}. [{q.Source}, {q.Category}] {q.Text}");
            foreach (var point in q.Rubric)
            {
                text.AppendLine(inv, $"      · {point.Point}");
            }
        }

        text.AppendLine();
        text.Append(inv, $"{plan.Questions.Count} questions ({plan.Questions.Count(q => q.Source == PlanQuestion.Written)} written for you), bank matched by {plan.MatchedBy}. Kept from your résumé: skills and {plan.Candidate.Experiences.Count} experience phrases, not the document.");
        return text.ToString();
    }
}
