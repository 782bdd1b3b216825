// Drives the web dev chat in Debian's headless Chromium through playwright-core (no browser download).
//   node devchat.mjs --scenario text|voice|article|mock --base http://127.0.0.1:PORT --tools <tools/js> --shots <dir> [--wav <file>]
//     [--resume <file> --job <file>] (mock: upload → plan card → mock interview of 5 questions, one by voice → report card)
// Prints one line per step; exits 0 when every expectation held, 1 with the reason (and a failure screenshot) otherwise.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    scenario: { type: 'string' },
    base: { type: 'string' },
    tools: { type: 'string' },
    shots: { type: 'string' },
    wav: { type: 'string' },
    resume: { type: 'string' },
    job: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const require = createRequire(path.resolve(options.tools, 'package.json'));
const { chromium } = require('playwright-core');

const REPLY_TIMEOUT = 60_000;
const VOICE_TIMEOUT = 300_000;
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
if (options.scenario === 'voice' || options.scenario === 'mock') {
  // Chromium's fake microphone plays the WAV (16-bit PCM) once, then silence.
  args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${options.wav}%noloop`);
}

const log = (message) => console.log(`step: ${message}`);
const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};
mkdirSync(options.shots, { recursive: true });
const shot = async (page, name) => {
  const file = path.join(options.shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
};

const profile = mkdtempSync(path.join(tmpdir(), 'coachbot-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: options.chromium,
  headless: true,
  args,
  viewport: { width: 1000, height: 1100 },
  permissions: options.scenario === 'voice' || options.scenario === 'mock' ? ['microphone'] : [],
});
const page = context.pages()[0] ?? (await context.newPage());
const browserErrors = [];
page.on('pageerror', (error) => browserErrors.push(String(error)));
page.on('console', (message) => {
  if (message.type() === 'error') browserErrors.push(message.text());
});

const bots = (kind) => page.locator(`.entry.bot[data-kind="${kind}"]`);

async function waitForCount(selector, count, timeout) {
  await page.waitForFunction(
    ({ selector, count }) => document.querySelectorAll(selector).length >= count,
    { selector, count },
    { timeout, polling: 250 },
  );
}

async function start() {
  await page.goto(options.base, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 30_000 });
  expect(await page.evaluate(() => Boolean(window.AdaptiveCards)), 'the Adaptive Cards renderer did not load (is it bundled?)');
  log('page loaded, event stream open, renderer present');
  // Watch for the progress state: any pending entry added while a turn is coached.
  await page.evaluate(() => {
    window.__pendingSeen = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.classList?.contains('pending')) window.__pendingSeen.push(node.textContent);
        }
      }
    }).observe(document.getElementById('messages'), { childList: true });
  });
  await page.locator('.entry.welcome').getByRole('button', { name: 'Start practising' }).click();
  await waitForCount('.entry.bot[data-kind="Question"]', 1, REPLY_TIMEOUT);
  const questionId = await bots('Question').first().getAttribute('data-question-id');
  expect(questionId, 'the question card has no question id');
  log(`first question ${questionId}`);
  return questionId;
}

async function textScenario() {
  const first = await start();
  await page.fill('#composer-text',
    'Last year I led our migration to a new CI system. My goal was to cut build time for forty engineers. ' +
    'I profiled the slowest jobs, then I split the test suite into parallel shards and added dependency caching. ' +
    'As a result builds went from 40 to 12 minutes and we shipped twice as often.');
  await page.press('#composer-text', 'Enter');
  await waitForCount('.entry.bot[data-kind="Report"]', 1, REPLY_TIMEOUT);
  const report = bots('Report').first();
  const reportText = await report.innerText();
  expect(/Overall \d{1,3}\/100/.test(reportText), `the report card shows no overall score: ${reportText.slice(0, 300)}`);
  const rows = await report.locator('.ac-table .ac-tableRow, table tr, [role="row"]').count();
  const scoreCells = (reportText.match(/\b\d{1,3} · [a-z]+/gi) ?? []).length;
  expect(scoreCells >= 3, `the report card shows ${scoreCells} dimension scores (rows found: ${rows})`);
  expect(await page.evaluate(() => window.__pendingSeen.some((t) => t.includes('Coaching your answer'))), 'no progress state was shown while the answer was coached');
  expect(await report.getAttribute('data-question-id') === first, 'the report is not about the question asked');
  log(`report card with ${scoreCells} dimension scores`);
  await report.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await shot(page, 'devchat-text-report');

  await report.getByRole('button', { name: 'Next question' }).click();
  await waitForCount('.entry.bot[data-kind="Question"]', 2, REPLY_TIMEOUT);
  const next = await bots('Question').nth(1).getAttribute('data-question-id');
  const nextText = await bots('Question').nth(1).innerText();
  expect(next && next !== first, `Next question asked ${next} again (first was ${first})`);
  log(`next question ${next}: ${nextText.split('\n').slice(0, 2).join(' / ')}`);
  await shot(page, 'devchat-next-question');
}

async function voiceScenario() {
  const question = await start();
  await bots('Question').first().getByRole('button', { name: 'Record my answer' }).click();
  await page.waitForSelector('#recorder-overlay:not([hidden])', { timeout: 10_000 });
  const recorder = page.frameLocator('#recorder-frame');
  const frameQuestion = await recorder.locator('#question').innerText({ timeout: 10_000 });
  log(`recorder opened for: ${frameQuestion}`);
  await recorder.locator('#start:not([disabled])').click({ timeout: 10_000 });
  await recorder.locator('body[data-state="recording"]').waitFor({ timeout: 10_000 });
  log('recording from the fake microphone');
  const frame = page.frame({ url: /\/record\?/ });
  expect(frame, 'the recorder frame was not found');
  await frame.waitForFunction(() => {
    const [m, s] = document.getElementById('timer').textContent.split(':').map(Number);
    return m * 60 + s >= 12;
  }, null, { timeout: 60_000, polling: 250 });
  const peak = Number(await recorder.locator('#meter').getAttribute('data-peak'));
  expect(peak >= 20, `the level meter never rose (peak ${peak})`);
  log(`level meter peaked at ${peak}, timer ${await recorder.locator('#timer').innerText()}`);
  await shot(page, 'recorder-recording');
  await recorder.locator('#stop').click();
  await recorder.locator('#send:not([hidden]):not([disabled])').waitFor({ timeout: 15_000 });
  await recorder.locator('#send').click();
  await page.waitForSelector('#recorder-overlay[hidden]', { state: 'attached', timeout: 30_000 });
  log('answer uploaded, recorder closed');
  const pending = page.locator('.entry.pending');
  await pending.first().waitFor({ timeout: 10_000 }).catch(() => {});
  const userEntry = await page.locator('.entry.user').last().innerText();
  expect(userEntry.includes('Voice answer'), `the chat does not show the voice answer: ${userEntry}`);

  await waitForCount('.entry.bot[data-kind="Report"]', 1, VOICE_TIMEOUT);
  const report = bots('Report').first();
  const text = await report.innerText();
  expect(await report.getAttribute('data-question-id') === question, 'the voice report is not about the question asked');
  // A transcript the engine trusts is quoted as heard; one it does not is shown only as a rough transcript. Either way the
  // card names the engine on the line under the heading.
  expect(/What I heard|Rough transcript/.test(text), `the voice report has no transcript: ${text.slice(0, 400)}`);
  expect(/Transcribed by \S+/.test(text), `the voice report does not name the transcriber: ${text.slice(0, 400)}`);
  const heard = /(?:What I heard|Rough transcript \(may be wrong\))\s*\n+\s*Transcribed by[^\n]*\n+\s*(.+)/.exec(text)?.[1] ?? '';
  const words = heard.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
  expect(words >= 5, `the transcript has ${words} words: "${heard}"`);
  expect(text.includes('Delivery') && /\d+ words\/min/.test(text) && /Pauses/.test(text), `the voice report has no delivery metrics: ${text.slice(0, 600)}`);
  log(`transcript (${words} words): ${heard}`);
  log(`delivery: ${/\d+ words\/min/.exec(text)[0]}`);
  await report.locator('text=Transcribed by').evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await shot(page, 'devchat-voice-report');
}

// Records an answer to the question card `card` through the recorder, from Chromium's fake microphone (the WAV, once).
async function recordAnswer(card) {
  await card.getByRole('button', { name: 'Record my answer' }).click();
  await page.waitForSelector('#recorder-overlay:not([hidden])', { timeout: 10_000 });
  const recorder = page.frameLocator('#recorder-frame');
  await recorder.locator('#start:not([disabled])').click({ timeout: 10_000 });
  await recorder.locator('body[data-state="recording"]').waitFor({ timeout: 10_000 });
  const frame = page.frame({ url: /\/record\?/ });
  expect(frame, 'the recorder frame was not found');
  await frame.waitForFunction(() => {
    const [m, s] = document.getElementById('timer').textContent.split(':').map(Number);
    return m * 60 + s >= 12;
  }, null, { timeout: 60_000, polling: 250 });
  await recorder.locator('#stop').click();
  await recorder.locator('#send:not([hidden]):not([disabled])').waitFor({ timeout: 15_000 });
  await recorder.locator('#send').click();
  await page.waitForSelector('#recorder-overlay[hidden]', { state: 'attached', timeout: 30_000 });
}

const MOCK_ANSWER = (i) =>
  'Last year I led the migration of our billing service to a new queue. The situation was that nightly jobs failed twice a week. ' +
  'My task was to make them reliable before the quarter ended. I measured every failure, then I split the job into retryable steps ' +
  `and added monitoring with the on-call team. As a result failures dropped from ${8 + i} a month to one, and I learned to agree on the metric first.`;

// The flow in the real browser: the résumé file through the attach button, the job pasted, the plan card's Start,
// five questions (the second answered by voice) with whatever follow-ups come, then the report card. Prints the card's
// per-competency figures ("competency: <name>=<score>/<answers>") for the test to compare with the stored answers.
async function mockScenario() {
  await page.goto(options.base, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 30_000 });
  const replies = '.entry.bot:not(.welcome)';
  const replyCount = () => page.locator(replies).count();

  await page.setInputFiles('#attach-file', options.resume);
  await waitForCount(replies, 1, REPLY_TIMEOUT);
  const read = await page.locator(replies).last().innerText();
  expect(read.includes('Résumé read and deleted'), `the résumé upload got: ${read.slice(0, 300)}`);
  log('résumé uploaded, read and deleted');

  await page.fill('#composer-text', 'plan job: ' + readFileSync(options.job, 'utf8'));
  await page.press('#composer-text', 'Enter');
  await waitForCount('.entry.bot[data-kind="Plan"]', 1, REPLY_TIMEOUT);
  const plan = bots('Plan').first();
  log(`plan card: ${(await plan.innerText()).split('\n').slice(0, 2).join(' / ')}`);
  await shot(page, 'devchat-mock-plan');

  let seen = await replyCount();
  await plan.getByRole('button', { name: 'Start' }).click();
  await waitForCount(replies, seen + 1, REPLY_TIMEOUT);
  let main = 0;
  let voiced = null;
  for (let i = 0; i < 30; i++) {
    const last = page.locator(replies).last();
    const kind = await last.getAttribute('data-kind');
    const text = await last.innerText();
    if (kind === 'MockReport') break;
    expect(kind === 'Question', `expected the interview's next question, got ${kind}: ${text.slice(0, 300)}`);
    if (voiced?.reply === null) {
      // The reply to the spoken answer says what was heard, or that it could not be heard reliably.
      voiced = { reply: text, reliable: !text.includes("couldn't hear that reliably") };
      expect(/I heard|couldn't hear that reliably/.test(text), `the reply to the spoken answer does not say what was heard: ${text.slice(0, 300)}`);
      log(`after the spoken answer: ${text.split('\n')[0].slice(0, 200)}`);
    }
    const isMain = /Question \d+ of 5/.test(text);
    if (isMain) main++;
    seen = await replyCount();
    if (main === 2 && isMain) {
      log(`question ${main}: answering by voice`);
      await recordAnswer(last);
      voiced = { reply: null };
      await waitForCount(replies, seen + 1, VOICE_TIMEOUT);
    } else {
      await page.fill('#composer-text', MOCK_ANSWER(i));
      await page.press('#composer-text', 'Enter');
      await waitForCount(replies, seen + 1, REPLY_TIMEOUT);
    }
  }

  await waitForCount('.entry.bot[data-kind="MockReport"]', 1, REPLY_TIMEOUT);
  expect(main === 5, `the interview asked ${main} main questions, not 5`);
  const card = bots('MockReport').first();
  const text = await card.innerText();
  expect(text.includes('Mock interview report') && /Readiness \d+\/100/.test(text), `no report card: ${text.slice(0, 400)}`);
  const section = text.slice(text.indexOf('By competency'), text.indexOf('By criterion') > 0 ? text.indexOf('By criterion') : undefined);
  const figures = [...section.matchAll(/([A-Za-z][a-z-]+)\s+(\d{1,3})\/100 \((\d+) answers?/g)];
  expect(figures.length > 0, `the card shows no per-competency figures: ${section.slice(0, 400)}`);
  for (const [, name, score, answers] of figures) console.log(`competency: ${name.toLowerCase()}=${score}/${answers}`);
  if (voiced && !voiced.reliable) {
    // The reply said the spoken answer was not heard reliably: the card says so next to that answer's figure.
    expect(text.includes('uncertain: not heard reliably'), `the card does not mark the unreliable spoken answer: ${text.slice(0, 800)}`);
    log('the spoken answer is marked uncertain on the card');
  }
  log(`report card: ${/Readiness \d+\/100[^\n]*/.exec(text)[0]}, ${figures.length} competencies`);
  await card.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await shot(page, 'devchat-mock-report');
}

// A "Read: …" pointer in a dev chat card links to the host's article page, relative to the chat page: resolve it the
// way chat.js does and open it in a tab, as the button would.
async function articleScenario() {
  await page.goto(options.base, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 30_000 });
  const url = new URL('/knowledge/builtin%3Astar-method-basics', page.url()).href;
  const tab = await context.newPage();
  tab.on('pageerror', (error) => browserErrors.push(String(error)));
  tab.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  const response = await tab.goto(url, { waitUntil: 'load' });
  expect(response?.status() === 200, `the article page answered ${response?.status()}`);
  const title = await tab.locator('h1').innerText();
  expect(title === 'Use STAR as a skeleton, not a script', `the article page's title is "${title}"`);
  const sections = await tab.locator('h2').count();
  expect(sections >= 2, `the article page shows ${sections} section headings`);
  log(`article page: "${title}", ${sections} sections`);
  await shot(tab, 'article-page');
}

let status = 0;
try {
  if (options.scenario === 'text') await textScenario();
  else if (options.scenario === 'voice') await voiceScenario();
  else if (options.scenario === 'article') await articleScenario();
  else if (options.scenario === 'mock') await mockScenario();
  else throw new Error(`unknown scenario ${options.scenario}`);
  expect(browserErrors.length === 0, `the page logged errors: ${browserErrors.join(' | ')}`);
  console.log('result: ok');
} catch (error) {
  status = 1;
  console.log(`result: failed: ${error?.message ?? error}`);
  if (browserErrors.length > 0) console.log(`browser errors: ${browserErrors.join(' | ')}`);
  await shot(page, `${options.scenario}-failure`).catch(() => {});
} finally {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
