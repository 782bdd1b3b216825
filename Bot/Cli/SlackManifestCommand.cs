using System.CommandLine;
using CoachBot.Adapters.Slack.Manifest;

namespace CoachBot.Bot.Cli;

/// <summary><c>manifest slack --base-url &lt;https-url&gt; [--socket-mode] [--out file]</c>: the Slack app manifest.</summary>
internal static class SlackManifestCommand
{
    public static Command Create(CliContext context)
    {
        var baseUrl = new Option<string>("--base-url") { Description = "The bot's public https address; Slack calls <base-url>/slack/events, /slack/commands and /slack/interactions." };
        var socketMode = new Option<bool>("--socket-mode") { Description = "Use Socket Mode (no public address; needs an app-level token)." };
        var output = new Option<FileInfo>("--out") { Description = "Write the manifest to this file instead of printing it." };
        var command = new Command("slack", "Write the Slack app manifest (paste it at api.slack.com/apps → Create New App → From a manifest).") { baseUrl, socketMode, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(baseUrl);
            Uri? uri = null;
            if (address is not null && !Uri.TryCreate(address, UriKind.Absolute, out uri))
            {
                throw new UsageException($"--base-url must be an absolute https address, such as https://coachbot.example.com (got {address}).");
            }

            if (uri is not null && parse.GetValue(socketMode))
            {
                throw new UsageException("--base-url and --socket-mode are alternatives: a Socket Mode app has no request URLs. Give --base-url for HTTP mode, or --socket-mode alone.");
            }

            string manifest;
            try
            {
                manifest = SlackManifest.Build(uri, parse.GetValue(socketMode));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
            }

            if (parse.GetValue(output) is { } file)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(manifest + "\n");
                if (await OutputFile.WriteAsync(file, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken) is { } problem)
                {
                    await context.Error.WriteLineAsync(problem);
                    return CoachBotCli.Refused;
                }

                await context.Error.WriteLineAsync($"Wrote {file.FullName}");
            }
            else
            {
                await context.Output.WriteLineAsync(manifest);
            }

            return CoachBotCli.Ok;
        });
        return command;
    }
}
