using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching;

/// <summary>Every log line of the coaching core. Answer text and transcripts are logged at Trace only.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Coached an answer to {QuestionId}: overall {Overall}, advice by {AdviceSource}, new attempt {Recorded}")]
    public static partial void AnswerCoached(ILogger logger, string questionId, int overall, string adviceSource, bool recorded);

    [LoggerMessage(1001, LogLevel.Information, "Question bank loaded: {Count} questions from {Directories}")]
    public static partial void QuestionBankLoaded(ILogger logger, int count, string directories);

    [LoggerMessage(1002, LogLevel.Information, "Database ready at {Path} (schema version {Version})")]
    public static partial void DatabaseReady(ILogger logger, string path, int version);

    [LoggerMessage(1003, LogLevel.Trace, "Answer text for {QuestionId}: {Text}")]
    public static partial void AnswerText(ILogger logger, string questionId, string text);

    [LoggerMessage(1010, LogLevel.Warning, "The {Channel} placeholder for turn {IdempotencyKey} failed; the reply will be sent as a new message")]
    public static partial void PlaceholderFailed(ILogger logger, Exception exception, string channel, string idempotencyKey);

    [LoggerMessage(1011, LogLevel.Warning, "The {Channel} placeholder for turn {IdempotencyKey} came after the worker took the turn; it stays as posted")]
    public static partial void PlaceholderLate(ILogger logger, string channel, string idempotencyKey);

    [LoggerMessage(1100, LogLevel.Warning, "Knowledge search uses BM25 only: {Reason}")]
    public static partial void EmbeddingsUnavailable(ILogger logger, string reason);

    [LoggerMessage(1101, LogLevel.Warning, "The embedding model changed from {Previous} to {Current}: dropping {Count} stored vectors and re-embedding")]
    public static partial void EmbeddingModelChanged(ILogger logger, string previous, string current, int count);

    [LoggerMessage(1102, LogLevel.Information, "Embedded {Count} chunks with {Model}")]
    public static partial void ChunksReembedded(ILogger logger, int count, string model);

    [LoggerMessage(1103, LogLevel.Information, "Built-in knowledge: {Documents} documents, {Changed} new or changed, {Embedded} chunks embedded")]
    public static partial void BuiltInKnowledgeIngested(ILogger logger, int documents, int changed, int embedded);

    [LoggerMessage(1104, LogLevel.Information, "Knowledge store ready: {Vectors} vectors in memory, embeddings: {Model}")]
    public static partial void KnowledgeReady(ILogger logger, int vectors, string model);

    [LoggerMessage(1105, LogLevel.Information, "Knowledge ingested: {Added} added, {Updated} updated, {Unchanged} unchanged, {Chunks} chunks, {Embedded} embedded")]
    public static partial void KnowledgeIngested(ILogger logger, int added, int updated, int unchanged, int chunks, int embedded);

    [LoggerMessage(1106, LogLevel.Warning, "Knowledge retrieval for {QuestionId} failed; coaching without it")]
    public static partial void RetrievalFailed(ILogger logger, Exception exception, string questionId);

    [LoggerMessage(1107, LogLevel.Warning, "The embedding model {Model} could not embed a query; this search used BM25 only")]
    public static partial void QueryEmbeddingFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(1108, LogLevel.Information, "Knowledge changed on another instance (generation {Loaded} -> {Current}); reloaded {Vectors} vectors")]
    public static partial void KnowledgeIndexReloaded(ILogger logger, long loaded, long current, int vectors);

    [LoggerMessage(1109, LogLevel.Information, "Knowledge document {Source} deleted ({Chunks} chunks)")]
    public static partial void KnowledgeDeleted(ILogger logger, string source, int chunks);

    [LoggerMessage(1200, LogLevel.Information, "Normalized a {Container}/{Codec} recording at {SampleRate} Hz: {Seconds:0.0} s after trimming")]
    public static partial void AudioNormalized(ILogger logger, string container, string codec, int sampleRate, double seconds);

    [LoggerMessage(1201, LogLevel.Warning, "Recording refused ({Code}): {Detail}")]
    public static partial void AudioRefused(ILogger logger, string code, string? detail);

    [LoggerMessage(1202, LogLevel.Warning, "Transcriber {Engine} could not be used: {Reason}")]
    public static partial void TranscriberUnavailable(ILogger logger, string engine, string reason);

    [LoggerMessage(1203, LogLevel.Warning, "Transcriber {Engine} failed")]
    public static partial void TranscriberFailed(ILogger logger, Exception exception, string engine);

    [LoggerMessage(1204, LogLevel.Information, "Transcriber {Engine} heard {Words} words in {Seconds:0.0} s of audio")]
    public static partial void Transcribed(ILogger logger, string engine, int words, double seconds);

    [LoggerMessage(1209, LogLevel.Warning, "{Program} cannot be found or run ({Setting}): voice answers will fail until it is installed (Debian/Ubuntu: apt-get install ffmpeg) or {Setting} names it")]
    public static partial void ProgramMissing(ILogger logger, string program, string setting);

    [LoggerMessage(1205, LogLevel.Information, "Transcribers that can run, in order: {Order}")]
    public static partial void TranscriberOrder(ILogger logger, string order);

    [LoggerMessage(1601, LogLevel.Warning, "The sentence model could not score meaning; answers are scored by their words alone until restart")]
    public static partial void SemanticScoringUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1602, LogLevel.Information, "Not an answer to {QuestionId}: {Kind}; nothing scored or stored")]
    public static partial void NotAnAnswer(ILogger logger, string questionId, string kind);

    [LoggerMessage(1603, LogLevel.Warning, "The sentence model could not read a typed question's type by meaning; its wording alone decides until restart")]
    public static partial void QuestionTypeByMeaningUnavailable(ILogger logger, Exception exception);
    [LoggerMessage(6000, LogLevel.Information, "Interview plan {PlanId} made for {Channel}: role {Role}, {Questions} questions ({Written} written), {Skills} job skills, {Experiences} résumé experiences, matched by {MatchedBy}")]
    public static partial void PlanCreated(ILogger logger, string planId, string channel, string role, int questions, int written, int skills, int experiences, string matchedBy);

    [LoggerMessage(6001, LogLevel.Information, "A {Document} for an interview plan in {Channel} was refused: {Problem}")]
    public static partial void PlanDocumentRefused(ILogger logger, string document, string channel, string problem);

    [LoggerMessage(6002, LogLevel.Warning, "The uploaded résumé file could not be deleted after reading")]
    public static partial void ResumeNotDeleted(ILogger logger, Exception exception);

    [LoggerMessage(6003, LogLevel.Error, "Reading the facts of a {Document} for an interview plan in {Channel} failed; the user was told and nothing was stored")]
    public static partial void PlanFactsFailed(ILogger logger, string document, string channel, Exception exception);

    [LoggerMessage(1206, LogLevel.Debug, "Transcriber {Engine} still cannot be used: {Reason}")]
    public static partial void TranscriberStillUnavailable(ILogger logger, string engine, string reason);

    [LoggerMessage(1207, LogLevel.Information, "Transcriber {Engine} cannot run here: {Reason}")]
    public static partial void TranscriberCannotRun(ILogger logger, string engine, string reason);

    [LoggerMessage(1208, LogLevel.Warning, "No Whisper engine can run, so voice answers use {Fallback}. To enable one: {HowTo}")]
    public static partial void NoWhisperEngine(ILogger logger, string fallback, string howTo);

    [LoggerMessage(1300, LogLevel.Information, "Removed {Count} turn folders left behind (by a stopped process or a failed clean-up) in {Root}")]
    public static partial void TurnFoldersSwept(ILogger logger, int count, string root);

    [LoggerMessage(1301, LogLevel.Warning, "Could not sweep the turn folders in {Root}")]
    public static partial void TurnFolderSweepFailed(ILogger logger, Exception exception, string root);

    [LoggerMessage(7001, LogLevel.Information, "Mock interview {MockId} started in {Channel} with {Questions} questions from the {Source}")]
    public static partial void MockStarted(ILogger logger, string mockId, string channel, string source, int questions);

    [LoggerMessage(7002, LogLevel.Information, "Mock interview {MockId} finished: readiness {Readiness}, {Answered} answered, {Skipped} skipped, {FollowUps} follow-ups")]
    public static partial void MockFinished(ILogger logger, string mockId, int readiness, int answered, int skipped, int followUps);

    [LoggerMessage(7003, LogLevel.Information, "Plan questions written by {Source}: {Count} passed the check")]
    public static partial void PlanQuestionsWritten(ILogger logger, string source, int count);

    [LoggerMessage(7004, LogLevel.Warning, "Plan questions from {Source} failed ({Reason}); the next provider or the rule-based questions are used")]
    public static partial void PlanQuestionsFellBack(ILogger logger, string source, string reason);

    [LoggerMessage(7005, LogLevel.Information, "A plan question from {Source} was dropped: {Reason}; a rule-written question takes its place")]
    public static partial void PlanQuestionDropped(ILogger logger, string source, string reason);

    [LoggerMessage(7024, LogLevel.Warning, "The plan-questions reply from {Source} was cut off; the {Count} complete questions before the cut were read")]
    public static partial void PlanReplyCutOff(ILogger logger, string source, int count);
}
