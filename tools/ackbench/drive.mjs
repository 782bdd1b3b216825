// Side-by-side acknowledgement benchmark: the same signed requests, the same load, against
//   CoachBot (the built host: verifies, stores the turn in SQLite, acknowledges, then posts a placeholder and coaches),
//   @slack/bolt (ExpressReceiver: verifies the Slack signature, acknowledges, stores nothing) and
//   botbuilder (CloudAdapter: validates the Bot Framework JWT, runs an empty turn, stores nothing).
// Everything runs on 127.0.0.1: this script plays Slack's Web API and Bot Framework (OpenID metadata, signing keys,
// token endpoint, connector) for all three, so no request leaves the machine.
//
//   cd tools/ackbench && npm ci && node drive.mjs [--concurrency 32,200] [--requests 2000] [--only coachbot,bolt,botbuilder] [--coachbot <coachbot.dll>]
//
// Each CoachBot row starts once the host has coached everything queued before it (GET /healthz shows the queue).
// Needs the Release build of the host (bash scripts/test.sh, or dotnet build Bot -c Release). Prints, per target and
// platform, p50/p99/max latency, how many took 1 s or more, and requests per second.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const concurrencies = option('--concurrency', '32,200').split(',').map(Number);
const requests = Number(option('--requests', '1000'));
const only = option('--only', 'coachbot,bolt,botbuilder').split(',');
const coachbotDll = path.resolve(option('--coachbot', path.join(root, 'Bot', 'bin', 'Release', 'net10.0', 'coachbot.dll')));
const warmup = 200;
const answer =
  'Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, then I ' +
  'split the test suite and added caching. As a result builds went from 40 to 12 minutes.';

const signingSecret = crypto.randomBytes(16).toString('hex');
const appId = crypto.randomUUID();
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' });
const kid = 'bench-key';

// ---- The loopback fakes of Slack's Web API and Bot Framework ------------------------------------------------------
let fakeBase = '';
let posted = 0;
const fake = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const json = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/v1/.well-known/openidconfiguration') {
      return json({ issuer: 'https://api.botframework.com', jwks_uri: `${fakeBase}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (url.pathname === '/v1/.well-known/keys') {
      return json({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
    }
    if (url.pathname.endsWith('/oauth2/v2.0/token')) {
      return json({ token_type: 'Bearer', expires_in: 3600, access_token: 'bench-bot-token' });
    }
    if (url.pathname.startsWith('/v3/conversations/')) {
      posted++;
      return json({ id: `activity-${posted}` });
    }
    if (url.pathname.startsWith('/api/')) {
      // Slack Web API: chat.postMessage, chat.update, auth.test… all succeed.
      posted++;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(posted).padStart(6, '0')}`;
      return json({ ok: true, channel: 'DBENCH', ts, message: { ts }, user_id: 'UBOT', bot_id: 'BBENCH' });
    }
    res.writeHead(404);
    res.end();
  });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fakeBase = `http://127.0.0.1:${fake.address().port}`;
const serviceUrl = `${fakeBase}/`;

// ---- Signed requests ---------------------------------------------------------------------------------------------
function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function botFrameworkToken() {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url({ alg: 'RS256', typ: 'JWT', kid });
  const payload = b64url({ iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 });
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const token = botFrameworkToken();
const run = crypto.randomBytes(4).toString('hex');

function slackEvent(id) {
  const body = JSON.stringify({
    type: 'event_callback', team_id: 'TBENCH', api_app_id: 'ABENCH', event_id: `Ev${run}${id}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel_type: 'im', channel: `D${id}`, user: `U${id}`, text: answer, ts: `1700000000.${String(id).padStart(6, '0')}` },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = 'v0=' + crypto.createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { path: '/slack/events', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature } };
}

function teamsActivity(id) {
  const body = JSON.stringify({
    type: 'message', id: `bench-${run}-${id}`, channelId: 'msteams', serviceUrl, timestamp: new Date().toISOString(),
    from: { id: `29:user${id}`, name: 'Bench', aadObjectId: crypto.randomUUID() },
    recipient: { id: `28:${appId}`, name: 'CoachBot' },
    conversation: { id: `a:bench${run}${id}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    text: answer,
  });
  return { path: '/api/messages', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
}

// ---- Load --------------------------------------------------------------------------------------------------------
async function load(port, count, concurrency, build, offset) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples = new Array(count);
  let next = 0;
  let failures = 0;
  let firstFailure = '';
  const started = process.hrtime.bigint();
  const sender = async () => {
    for (let i = next++; i < count; i = next++) {
      const { path: target, body, headers } = build(offset + i);
      const sent = process.hrtime.bigint();
      const status = await new Promise((resolve) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: target, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', (e) => resolve(`error ${e.code}`));
        req.end(body);
      });
      samples[i] = Number(process.hrtime.bigint() - sent) / 1e6;
      if (status !== 200) {
        failures++;
        firstFailure ||= String(status);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, sender));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  samples.sort((a, b) => a - b);
  const pick = (p) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)];
  return { p50: pick(0.5), p99: pick(0.99), max: samples[samples.length - 1], over1s: samples.filter((s) => s >= 1000).length, rps: count / seconds, failures, firstFailure };
}

// ---- Targets -----------------------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      http.get(url, (res) => { res.resume(); resolve(res.statusCode < 500); }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'coachbot-ackbench-'));
const targets = {
  coachbot: {
    platforms: { slack: slackEvent, teams: teamsActivity },
    start: (port) => {
      const dll = coachbotDll;
      if (!fs.existsSync(dll)) throw new Error(`${dll} is not built: run dotnet build Bot -c Release`);
      const db = path.join(dataDirectory, `coachbot-${port}.db`);
      return {
        child: spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', DOTNET_ENVIRONMENT: 'Production',
            Storage__DatabasePath: db, Logging__LogLevel__Default: 'Warning',
            Slack__SigningSecret: signingSecret, Slack__BotToken: 'xoxb-bench', Slack__ApiBaseUrl: `${fakeBase}/api/`,
            Teams__AppId: appId, Teams__AppPassword: 'bench-secret', Teams__OpenIdMetadataUrl: `${fakeBase}/v1/.well-known/openidconfiguration`,
            Teams__TokenEndpoint: `${fakeBase}/botframework.com/oauth2/v2.0/token`, Teams__TrustedServiceUrlHosts__0: `127.0.0.1:${fake.address().port}`,
          },
        }),
        ready: `http://127.0.0.1:${port}/healthz`,
      };
    },
  },
  bolt: {
    platforms: { slack: slackEvent },
    start: (port) => ({
      child: spawn(process.execPath, [path.join(here, 'bolt-app.mjs')], {
        stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PORT: String(port), SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: `${fakeBase}/api/` },
      }),
      ready: `http://127.0.0.1:${port}/`,
    }),
  },
  botbuilder: {
    platforms: { teams: teamsActivity },
    start: (port) => ({
      child: spawn(process.execPath, [path.join(here, 'botbuilder-app.mjs')], {
        stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PORT: String(port), APP_ID: appId, OPENID_METADATA_URL: `${fakeBase}/v1/.well-known/openidconfiguration` },
      }),
      ready: `http://127.0.0.1:${port}/`,
    }),
  },
};

// CoachBot coaches every stored turn after acknowledging it. Each measured burst starts from a warm, idle host: the
// coaching of earlier turns (the warm-up's, the previous platform's) has finished first, as after any quiet spell.
async function settle(port, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const queue = await new Promise((resolve) => {
      http.get(`http://127.0.0.1:${port}/healthz`, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => { try { resolve(JSON.parse(text).queue); } catch { resolve(null); } });
      }).on('error', () => resolve(null));
    });
    if (queue && queue.pending + queue.running === 0) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

const rows = [];
let offset = 0;
try {
  for (const name of only) {
    const target = targets[name];
    for (const concurrency of concurrencies) {
      // A fresh process (and for CoachBot a fresh database) per concurrency, so one run's backlog does not carry over.
      const port = await freePort();
      const { child, ready } = target.start(port);
      console.error(`${name}: process ${child.pid} on port ${port}`);
      try {
        await waitFor(ready, child, 180);
        for (const [platform, build] of Object.entries(target.platforms)) {
          await load(port, warmup, Math.min(concurrency, 32), build, (offset += warmup) - warmup);
          if (name === 'coachbot' && !(await settle(port, 600))) console.error('coachbot: the queue did not drain within 600 s; measuring anyway');
          const result = await load(port, requests, concurrency, build, offset);
          offset += requests;
          rows.push({ target: name, platform, concurrency, ...result });
          console.error(`${name} ${platform} c=${concurrency}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, ${result.rps.toFixed(0)} req/s, ${result.failures} failed ${result.firstFailure}`);
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      }
    }
  }
} finally {
  fake.close();
  fs.rmSync(dataDirectory, { recursive: true, force: true });
}

const load1 = os.loadavg()[0].toFixed(1);
console.log(`\n${requests} signed requests per row after ${warmup} unmeasured, ${os.cpus().length} cores, load average ${load1} at the end; client and servers share the machine.\n`);
console.log('| target | platform | in flight | p50 ms | p99 ms | max ms | ≥ 1 s | requests/s | failed |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.target} | ${r.platform} | ${r.concurrency} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.over1s} | ${r.rps.toFixed(0)} | ${r.failures} |`);
}
