using System.Diagnostics;
using System.Diagnostics.Metrics;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>The state of each LLM provider of the advice chain, for <c>/healthz</c>.</summary>
public interface IAdviceChainStatus
{
    /// <summary>The providers in the order they are tried (the rule-based coach, always last, is not listed).</summary>
    IReadOnlyList<AdviceProviderStatus> Providers { get; }

    /// <summary>The most time the chain spends on one typed answer's advice before the rule-based coach answers.</summary>
    TimeSpan TypedBudget { get; }

    /// <summary>The same for a spoken answer.</summary>
    TimeSpan VoiceBudget { get; }
}

/// <summary>One provider's state.</summary>
/// <param name="Source">Its <c>advice.source</c> name: ollama, openai, azure-openai or anthropic.</param>
/// <param name="Model">The configured model.</param>
/// <param name="Circuit">closed, open, half-open or isolated.</param>
/// <param name="FailuresInARow">Its calls that failed since the last one that succeeded.</param>
public sealed record AdviceProviderStatus(string Source, string Model, string Circuit, int FailuresInARow);

/// <summary>
/// Advice through an ordered chain of LLM providers ending in the rule-based coach. Each provider has one Polly
/// pipeline: fallback to the next link (outermost), retry on transient failures honouring <c>Retry-After</c>,
/// a circuit breaker, and a timeout per attempt. What a model writes passes <see cref="AdviceGuard"/>, so measured
/// facts win. Identical requests inside the cache window are not sent again.
/// </summary>
/// <remarks>
/// The whole chain runs inside one advice budget per turn (<see cref="LlmOptions.AdviceBudgetSeconds"/>, read from the
/// injected <see cref="TimeProvider"/>): when it is spent the call in flight is cancelled, counted as that provider's
/// failure, and the rule-based coach answers. Besides Polly's ratio breaker, a provider's circuit opens after
/// <see cref="LlmOptions.BreakConsecutiveFailures"/> failures in a row, so a provider that hangs is cut off after a
/// few turns rather than after enough calls to fill a sampling window.
/// </remarks>
internal sealed class LlmAdviceChain : IAdviceWriter, IAdviceChainStatus, IDisposable
{
    private static readonly ResiliencePropertyKey<LinkCall> CallKey = new("coachbot.advice.call");

    private readonly List<Link> _links = [];
    private readonly List<HttpClient> _http = [];
    private readonly AdviceCache _cache;
    private readonly LlmMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public LlmAdviceChain(IOptions<LlmOptions> options, TimeProvider time, ILogger<LlmAdviceChain> logger, IMeterFactory? meters = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), time, logger, meters)
    {
    }

    /// <summary>A chain over the configured providers (also used by the benchmark, which has no container).</summary>
    internal LlmAdviceChain(LlmOptions options, TimeProvider time, ILogger logger, IMeterFactory? meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _time = time;
        TypedBudget = TimeSpan.FromSeconds(options.AdviceBudgetSeconds);
        VoiceBudget = TimeSpan.FromSeconds(options.VoiceAdviceBudgetSeconds);
        _metrics = new LlmMetrics(meters);
        _cache = new AdviceCache(TimeSpan.FromSeconds(options.CacheSeconds), options.CacheEntries, time);
        for (var i = 0; i < options.Providers.Count; i++)
        {
            var provider = options.Providers[i];
            var kind = LlmProviderKinds.Resolve(provider.Kind)!;
            var baseUrl = AdviceChatClients.BaseUrl(provider);
            var model = LlmProviderKinds.ModelOf(provider)!;
            if (LlmProviderKinds.NeedsKey(kind, baseUrl) && string.IsNullOrWhiteSpace(provider.ApiKey))
            {
                Log.ProviderSkipped(logger, i, kind, model);
                continue;
            }

            var http = LlmHttp.CreateClient();
            _http.Add(http);
            var client = AdviceChatClients.Create(provider, http, time);

            _links.Add(new Link(this, _links.Count, LlmProviderKinds.SourceName(kind), model, client, options, provider.TimeoutSeconds, time));
        }

        Log.AdviceChain(logger, string.Join(" → ", _links.Select(l => $"{l.Source} ({l.Model})").Append(RuleBasedCoach.SourceName)));
    }

    public IReadOnlyList<AdviceProviderStatus> Providers =>
        [.. _links.Select(l => new AdviceProviderStatus(l.Source, l.Model, l.Circuit, l.FailuresInARow))];

    public TimeSpan TypedBudget { get; }

    public TimeSpan VoiceBudget { get; }

    public async Task<CoachingAdvice> WriteAsync(AdviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var rules = RuleBasedCoach.Write(request);
        if (_links.Count == 0)
        {
            return rules;
        }

        var budget = request.Delivery is null ? TypedBudget : VoiceBudget;
        using var spent = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, spent.Token);
        var call = new LinkCall(request, rules, cancellationToken);
        CoachingAdvice advice;
        try
        {
            advice = await WriteFromAsync(0, call, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (spent.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.AdviceBudgetSpent(_logger, budget.TotalSeconds, call.Current ?? "?");
            if (call.Current is { } source)
            {
                _metrics.Fallback(source, RuleBasedCoach.SourceName);
            }

            advice = rules;
        }

        Log.AdviceWritten(_logger, advice.Source.Source, advice.Source.Model, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return advice;
    }

    public void Dispose()
    {
        foreach (var link in _links)
        {
            link.Client.Dispose();
        }

        foreach (var http in _http)
        {
            http.Dispose();
        }

        _metrics.Dispose();
    }

    private string NextName(int index) => index + 1 < _links.Count ? _links[index + 1].Source : RuleBasedCoach.SourceName;

    private async Task<CoachingAdvice> WriteFromAsync(int index, LinkCall call, CancellationToken cancellationToken)
    {
        if (index >= _links.Count)
        {
            return call.Rules;
        }

        var link = _links[index];
        var key = AdviceCache.Key(link.Source, link.Model, call.Request);
        if (_cache.TryGet(key, out var cached))
        {
            _metrics.CacheHit(link.Source);
            Log.AdviceCached(_logger, link.Source, link.Model);
            return cached;
        }

        if (!link.TryEnter(out var trial))
        {
            // Opened by failures in a row: skipped like Polly's open circuit, without a call.
            _metrics.Fallback(link.Source, NextName(index));
            Log.ProviderFellBack(_logger, link.Source, "circuit-open", NextName(index), $"{link.FailuresInARow} failures in a row");
            return await WriteFromAsync(index + 1, call, cancellationToken).ConfigureAwait(false);
        }

        call.Current = link.Source;

        // The context carries the request to the fallback strategy, which hands it to the next link.
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        try
        {
            var advice = await link.Pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Link.AttemptAsync(state.Call, ctx.CancellationToken).ConfigureAwait(false),
                context, (Link: link, Call: call)).ConfigureAwait(false);
            if (advice.Source.Source == link.Source)
            {
                _cache.Set(key, advice);
            }

            return advice;
        }
        finally
        {
            link.Leave(trial);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string Reason(Exception? exception) => exception switch
    {
        TimeoutRejectedException => "timeout",
        BrokenCircuitException => "circuit-open",
        LlmOutputException => "invalid-output",
        LlmProviderException { Status: null } => "network",
        LlmProviderException { Status: 429 } => "rate-limited",
        LlmProviderException p => $"http-{p.Status}",
        _ => "error",
    };

    /// <summary>One turn's request on its way down the chain; <see cref="Caller"/> is the turn's own token, not the budget's.</summary>
    private sealed record LinkCall(AdviceRequest Request, CoachingAdvice Rules, CancellationToken Caller)
    {
        /// <summary>The provider being tried.</summary>
        public string? Current { get; set; }
    }

    /// <summary>One provider: its client and its pipeline.</summary>
    private sealed class Link
    {
        private readonly LlmAdviceChain _chain;
        private readonly int _index;
        private readonly CircuitBreakerStateProvider _circuit = new();
        private readonly Lock _gate = new();
        private readonly int _openAfter;
        private readonly TimeSpan _breakFor;
        private readonly TimeProvider _time;
        private int _failuresInARow;
        private DateTimeOffset? _openUntil;
        private bool _trialRunning;

        public Link(LlmAdviceChain chain, int index, string source, string model, IChatClient client, LlmOptions options, double timeoutSeconds, TimeProvider time)
        {
            _chain = chain;
            _index = index;
            Source = source;
            Model = model;
            Client = client;
            _openAfter = options.BreakConsecutiveFailures;
            _breakFor = TimeSpan.FromSeconds(options.BreakSeconds);
            _time = time;
            Pipeline = BuildPipeline(options, timeoutSeconds, time);
        }

        public string Source { get; }

        public string Model { get; }

        public IChatClient Client { get; }

        public ResiliencePipeline<CoachingAdvice> Pipeline { get; }

        public string Circuit => _circuit.CircuitState switch
        {
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            CircuitState.Isolated => "isolated",
            _ => OpenUntil is { } until ? _time.GetUtcNow() < until ? "open" : "half-open" : "closed",
        };

        public int FailuresInARow
        {
            get
            {
                lock (_gate)
                {
                    return _failuresInARow;
                }
            }
        }

        private DateTimeOffset? OpenUntil
        {
            get
            {
                lock (_gate)
                {
                    return _openUntil;
                }
            }
        }

        /// <summary>
        /// Whether a call may go to this provider: always while its failures-in-a-row circuit is closed; once it has been
        /// open for the break, one trial call at a time.
        /// </summary>
        public bool TryEnter(out bool trial)
        {
            lock (_gate)
            {
                trial = false;
                if (_openUntil is not { } until)
                {
                    return true;
                }

                if (_time.GetUtcNow() < until || _trialRunning)
                {
                    return false;
                }

                _trialRunning = true;
                trial = true;
                return true;
            }
        }

        /// <summary>Ends a trial call whose outcome said nothing about the provider (the turn itself was cancelled).</summary>
        public void Leave(bool trial)
        {
            if (trial)
            {
                lock (_gate)
                {
                    _trialRunning = false;
                }
            }
        }

        private void Record(bool failed)
        {
            bool opened, closed;
            int failures;
            lock (_gate)
            {
                closed = !failed && _openUntil is not null;
                opened = false;
                if (!failed)
                {
                    _failuresInARow = 0;
                    _openUntil = null;
                }
                else
                {
                    _failuresInARow++;
                    if (_trialRunning || (_openAfter > 0 && _failuresInARow >= _openAfter && _openUntil is null))
                    {
                        _openUntil = _time.GetUtcNow() + _breakFor;
                        opened = true;
                    }
                }

                _trialRunning = false;
                failures = _failuresInARow;
            }

            if (opened)
            {
                Log.CircuitOpenedInARow(_chain._logger, Source, _breakFor.TotalSeconds, failures);
            }
            else if (closed)
            {
                Log.CircuitClosed(_chain._logger, Source);
            }
        }

        /// <summary>One attempt: the call, one repair if the reply is not the schema's JSON, then the guard.</summary>
        public async Task<CoachingAdvice> AttemptAsync(LinkCall call, CancellationToken cancellationToken)
        {
            var messages = AdvicePrompt.Build(call.Request, call.Rules);
            if (_chain._logger.IsEnabled(LogLevel.Trace))
            {
                Log.AdvicePrompt(_chain._logger, Source, messages[^1].Text);
            }

            var options = AdvicePrompt.Options(Model);
            var response = await CallAsync(messages, options, cancellationToken).ConfigureAwait(false);
            ModelAdvice parsed;
            try
            {
                parsed = AdviceSchema.Parse(response.Text);
            }
            catch (LlmOutputException ex)
            {
                // Not a fallback: one repair request to the same provider, then the outcome decides.
                Log.RepairRequested(_chain._logger, Source, ex.Message);
                _chain._metrics.Failure(Source, "invalid-output-repaired");
                response = await CallAsync(AdvicePrompt.Repair(messages, response.Text, ex.Message), options, cancellationToken).ConfigureAwait(false);
                parsed = AdviceSchema.Parse(response.Text);
            }

            return AdviceGuard.Apply(parsed, call.Request, call.Rules, new AdviceSource(Source, response.ModelId ?? Model));
        }

        private async Task<ChatResponse> CallAsync(List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
        {
            _chain._metrics.Call(Source);
            var response = await Client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            _chain._metrics.Tokens(Source, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            return response;
        }

        private ResiliencePipeline<CoachingAdvice> BuildPipeline(LlmOptions options, double timeoutSeconds, TimeProvider time)
        {
            var maxRetryAfter = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
            var builder = new ResiliencePipelineBuilder<CoachingAdvice> { Name = $"advice-{_index}-{Source}", TimeProvider = time };

            builder.AddFallback(new FallbackStrategyOptions<CoachingAdvice>
            {
                // Everything but the caller's own cancellation moves on to the next link.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                FallbackAction = async args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    return Outcome.FromResult(await _chain.WriteFromAsync(_index + 1, call, args.Context.CancellationToken).ConfigureAwait(false));
                },
                OnFallback = args =>
                {
                    var exception = args.Outcome.Exception;
                    var reason = Reason(exception);
                    if (exception is not BrokenCircuitException)
                    {
                        _chain._metrics.Failure(Source, reason);
                    }

                    _chain._metrics.Fallback(Source, _chain.NextName(_index));
                    Log.ProviderFellBack(_chain._logger, Source, reason, _chain.NextName(_index), exception?.Message ?? "no advice");
                    return default;
                },
            });

            if (options.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<CoachingAdvice>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                    MaxDelay = maxRetryAfter > TimeSpan.Zero ? maxRetryAfter : TimeSpan.FromSeconds(1),
                    // Only failures that may go away: no response, 408, 429 and 5xx. A Retry-After longer than we
                    // are willing to wait is not waited for: the next provider is quicker.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is LlmProviderException { IsTransient: true } p &&
                        (p.RetryAfter is null || p.RetryAfter <= maxRetryAfter)),
                    DelayGenerator = args => ValueTask.FromResult(
                        args.Outcome.Exception is LlmProviderException { RetryAfter: { } after } ? after : (TimeSpan?)null),
                    OnRetry = args =>
                    {
                        _chain._metrics.Failure(Source, Reason(args.Outcome.Exception));
                        Log.ProviderRetrying(_chain._logger, Source, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds,
                            args.Outcome.Exception?.Message ?? string.Empty);
                        return default;
                    },
                });
            }

            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<CoachingAdvice>
            {
                FailureRatio = options.BreakFailureRatio,
                MinimumThroughput = options.BreakMinimumCalls,
                SamplingDuration = TimeSpan.FromSeconds(options.BreakSamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                StateProvider = _circuit,
                ShouldHandle = args =>
                {
                    var exception = args.Outcome.Exception;
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    // A call cut off by the turn's advice budget (not by the turn itself) failed as surely as a timeout.
                    var failed = exception is LlmProviderException or LlmOutputException or TimeoutRejectedException
                        || (exception is OperationCanceledException && call is not null && !call.Caller.IsCancellationRequested);
                    if (failed || exception is null)
                    {
                        Record(failed);
                    }

                    return ValueTask.FromResult(failed);
                },
                OnOpened = args =>
                {
                    Log.CircuitOpened(_chain._logger, Source, args.BreakDuration.TotalSeconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(_chain._logger, Source);
                    return default;
                },
            });

            builder.AddTimeout(TimeSpan.FromSeconds(timeoutSeconds));
            return builder.Build();
        }
    }
}
