using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Slack.SocketMode;

/// <summary>
/// Socket Mode: opens a connection URL with <c>apps.connections.open</c> (app-level token), connects over WebSocket,
/// and for each envelope stores the turn and then acknowledges it by <c>envelope_id</c> (an envelope that could not be
/// stored is left unacknowledged, so Slack sends it again). A <c>disconnect</c> message makes it reconnect at once;
/// a dropped connection or a failed open is retried with exponential backoff up to
/// <see cref="SlackOptions.MaxReconnectDelaySeconds"/>.
/// </summary>
internal sealed class SlackSocketModeClient(
    SlackWebApi api,
    SlackInbound inbound,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>How a connection ended.</summary>
    private enum Ending
    {
        /// <summary>Slack asked for a new connection (refresh, warning): reconnect now.</summary>
        Refresh,

        /// <summary>The connection dropped: reconnect after a backoff.</summary>
        Dropped,

        /// <summary>Slack disabled the app's Socket Mode: stop.</summary>
        Disabled,
    }

    /// <summary>Envelopes acknowledged so far (for tests and logs).</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    private int _acknowledged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UsesSocketMode)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Ending ending;
            try
            {
                var url = await api.OpenConnectionAsync(stoppingToken);
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                await socket.ConnectAsync(url, stoppingToken);
                Log.SocketConnected(logger, url.Host);
                ending = await RunAsync(socket, () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SlackApiException ex) when (ex.Error is "invalid_auth" or "not_authed" or "not_allowed_token_type" or "not_configured")
            {
                // A wrong token will not fix itself; retrying would only hammer Slack.
                Log.SocketTokenRefused(logger, ex.Error);
                return;
            }
#pragma warning disable CA1031 // Any failure of one connection (network, Slack, a bad frame) leads to a reconnect, never to a dead bot.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // One line per attempt; the stack trace only at Debug (a Slack outage must not flood the log).
                Log.SocketFailedBriefly(logger, ex.Message);
                Log.SocketFailedInDetail(logger, ex);
                ending = Ending.Dropped;
            }

            if (ending == Ending.Disabled)
            {
                Log.SocketStopped(logger, "link_disabled");
                return;
            }

            if (ending == Ending.Dropped)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(options.Value.MaxReconnectDelaySeconds, Math.Pow(2, Math.Min(failures - 1, 10))));
                Log.SocketReconnecting(logger, delay.TotalSeconds, failures);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<Ending> RunAsync(ClientWebSocket socket, Action connected, CancellationToken stoppingToken)
    {
        while (socket.State == WebSocketState.Open)
        {
            var text = await ReceiveAsync(socket, stoppingToken);
            if (text is null)
            {
                return Ending.Dropped;
            }

            JsonDocument envelope;
            try
            {
                envelope = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                Log.EventIgnored(logger, "?", "a socket message that is not JSON");
                continue;
            }

            using var _ = envelope;
            var root = envelope.RootElement;
            var type = SlackTurns.Str(root, "type");
            switch (type)
            {
                case "hello":
                    connected();
                    Log.SocketHello(logger);
                    break;
                case "disconnect":
                    var reason = SlackTurns.Str(root, "reason") ?? "unknown";
                    Log.SocketDisconnectRequested(logger, reason);
                    await CloseQuietlyAsync(socket);
                    return reason == "link_disabled" ? Ending.Disabled : Ending.Refresh;
                case "events_api" or "slash_commands" or "interactive":
                    await HandleEnvelopeAsync(socket, root, type, stoppingToken);
                    break;
                default:
                    Log.EventIgnored(logger, SlackTurns.Str(root, "envelope_id") ?? "?", $"socket message type {type}");
                    break;
            }
        }

        return Ending.Dropped;
    }

    private async Task HandleEnvelopeAsync(ClientWebSocket socket, JsonElement root, string type, CancellationToken stoppingToken)
    {
        var envelopeId = SlackTurns.Str(root, "envelope_id");
        if (envelopeId is null || !root.TryGetProperty("payload", out var payload))
        {
            return;
        }

        try
        {
            switch (type)
            {
                case "events_api":
                    var retry = root.TryGetProperty("retry_attempt", out var attempt) && attempt.TryGetInt32(out var n) && n > 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                    await inbound.HandleEventAsync(payload, retry, stoppingToken);
                    break;
                case "slash_commands":
                    var form = payload.EnumerateObject()
                        .Where(p => p.Value.ValueKind == JsonValueKind.String)
                        .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
                    await inbound.HandleCommandAsync(form, stoppingToken);
                    break;
                default:
                    await inbound.HandleInteractionAsync(payload, stoppingToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not acknowledged: Slack redelivers the envelope, and the idempotency key keeps it to one reply.
            Log.EnvelopeFailed(logger, ex, envelopeId);
            return;
        }

        var ack = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["envelope_id"] = envelopeId }));
        await socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, stoppingToken);
        Interlocked.Increment(ref _acknowledged);
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(8_192);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(8_192), cancellationToken);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync(socket);
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                throw new InvalidDataException($"A Socket Mode message is larger than {MaxMessageBytes} bytes.");
            }

            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer.WrittenSpan) : string.Empty;
            }
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer is gone already.
        }
    }
}
