using System.CommandLine;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Bot.Cli;

/// <summary>
/// <c>coachbot forget me [--user &lt;id&gt;] --confirm</c>: deletes everything kept about a command-line user (practice history,
/// mock interviews, plans and the résumé facts, settings), as "forget me" does in a chat. Without <c>--confirm</c> it says
/// what would be deleted and deletes nothing.
/// </summary>
internal static class ForgetCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Whose data to delete.", DefaultValueFactory = _ => "local" };
        var confirm = new Option<bool>("--confirm") { Description = "Delete it; without this, only say what would be deleted." };
        var me = new Command("me", "Delete your practice history, mock interviews, interview plans and settings (asks for --confirm).") { user, confirm };
        me.SetAction(async (parse, cancellationToken) =>
        {
            var person = parse.GetValue(user)!;
            if (!parse.GetValue(confirm))
            {
                await context.Error.WriteLineAsync(
                    $"This deletes the practice history and scores, mock interviews and report cards, interview plans and the facts kept from the résumé, " +
                    $"and the settings of user '{person}'. It cannot be undone. Run again with --confirm to go ahead: forget me --user {person} --confirm");
                return CoachBotCli.Refused;
            }

            var reply = await context.Services.GetRequiredService<ITurnProcessor>().ProcessAsync(new CoachingTurn
            {
                Channel = CoachBotCli.Channel,
                UserId = person,
                ConversationId = person,
                IsDirect = true,
                Intent = TurnIntent.Command,
                Text = "forget me confirm",
                IdempotencyKey = $"cli:forget:{Guid.NewGuid():N}",
            }, cancellationToken);
            if (!reply.Forgotten)
            {
                await context.Error.WriteLineAsync(reply.Text);
                return CoachBotCli.Refused;
            }

            await context.Output.WriteLineAsync(reply.Text);
            return CoachBotCli.Ok;
        });
        return new Command("forget", "Delete what CoachBot keeps about a user.") { me };
    }
}
