// The recorder page (/record?token=…): records with MediaRecorder (Opus in WebM where the browser has it), shows a
// level meter and a timer, lets the user stop, listen, re-record or pick a file, and uploads to /api/recordings with
// the signed token from the link. Used standalone, inside the Teams "Record my answer" dialog and in the dev chat.
'use strict';
(() => {
  const MAX_SECONDS = 300;
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  const embeddedInDevChat = params.get('embed') === 'dev' && window.parent !== window;

  const $ = (id) => document.getElementById(id);
  const status = $('status');
  const errorText = $('error');
  const startButton = $('start');
  const stopButton = $('stop');
  const rerecordButton = $('rerecord');
  const sendButton = $('send');
  const preview = $('preview');
  const fileInput = $('file');
  const meter = $('meter');
  const meterBar = $('meter-bar');
  const timer = $('timer');

  let maxBytes = 25 * 1024 * 1024;
  let recording = null; // { recorder, stream, context, frame, interval, startedAt }
  let answer = null; // { blob, name }
  let sent = false;

  function say(text) {
    status.textContent = text;
  }

  function fail(text) {
    errorText.textContent = text;
    errorText.hidden = !text;
  }

  function show(element, visible) {
    element.hidden = !visible;
  }

  function formatTime(seconds) {
    const s = Math.floor(seconds);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  function setLevel(level) {
    meterBar.style.width = `${level}%`;
    meter.setAttribute('aria-valuenow', String(level));
    if (level > Number(meter.dataset.peak)) {
      meter.dataset.peak = String(level);
    }
  }

  function lockEverything() {
    for (const button of [startButton, stopButton, rerecordButton, sendButton]) {
      button.disabled = true;
    }
    fileInput.disabled = true;
  }

  function pickMimeType() {
    const candidates = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
    return candidates.find((type) => window.MediaRecorder?.isTypeSupported?.(type)) ?? '';
  }

  function extensionOf(type) {
    if (type.includes('webm')) return 'webm';
    if (type.includes('ogg')) return 'ogg';
    if (type.includes('mp4')) return 'm4a';
    return 'audio';
  }

  function setAnswer(blob, name, description) {
    answer = { blob, name };
    if (preview.src.startsWith('blob:')) {
      URL.revokeObjectURL(preview.src);
    }
    preview.src = URL.createObjectURL(blob);
    show(preview, true);
    show(sendButton, true);
    show(rerecordButton, true);
    show(startButton, false);
    show(stopButton, false);
    sendButton.disabled = false;
    say(`${description} Listen to it if you like, then send it.`);
  }

  async function start() {
    fail('');
    if (!navigator.mediaDevices?.getUserMedia || !window.MediaRecorder) {
      fail('This browser cannot record here (recording needs HTTPS or localhost). Choose an audio file instead.');
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      fail(error?.name === 'NotAllowedError'
        ? 'The microphone is blocked. Allow it in the browser (the icon in the address bar), or choose an audio file.'
        : 'No microphone could be opened. Check that one is connected, or choose an audio file.');
      return;
    }

    const mimeType = pickMimeType();
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks = [];
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = () => {
      const type = recorder.mimeType || mimeType || 'audio/webm';
      const blob = new Blob(chunks, { type });
      if (blob.size === 0) {
        fail('Nothing was recorded. Check the microphone and try again.');
        show(startButton, true);
        show(stopButton, false);
        return;
      }
      setAnswer(blob, `answer.${extensionOf(type)}`, `Recorded ${timer.textContent}.`);
    };

    // The level meter: RMS of the signal in decibels, -60 dB to 0 dB mapped to 0-100.
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const state = { recorder, stream, context, frame: 0, interval: 0, startedAt: performance.now() };
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      const decibels = rms > 0 ? 20 * Math.log10(rms) : -100;
      setLevel(Math.max(0, Math.min(100, Math.round(((decibels + 60) / 60) * 100))));
      state.frame = requestAnimationFrame(draw);
    };
    state.interval = setInterval(() => {
      const elapsed = (performance.now() - state.startedAt) / 1000;
      timer.textContent = formatTime(elapsed);
      if (elapsed >= MAX_SECONDS) {
        stop();
      }
    }, 200);
    recording = state;
    answer = null;
    timer.textContent = '0:00';
    setLevel(0);
    meter.dataset.peak = '0';
    recorder.start(1000);
    draw();

    document.body.dataset.state = 'recording';
    show(startButton, false);
    show(stopButton, true);
    show(sendButton, false);
    show(rerecordButton, false);
    show(preview, false);
    say(`Recording… answer out loud, then press Stop (at most ${MAX_SECONDS / 60} minutes).`);
  }

  function stop() {
    if (!recording) return;
    const { recorder, stream, context, frame, interval } = recording;
    recording = null;
    cancelAnimationFrame(frame);
    clearInterval(interval);
    if (recorder.state !== 'inactive') recorder.stop();
    for (const track of stream.getTracks()) track.stop();
    context.close();
    setLevel(0);
    document.body.dataset.state = 'recorded';
  }

  async function send() {
    if (!answer || sent) return;
    fail('');
    lockEverything();
    say('Sending your answer…');
    document.body.dataset.state = 'sending';
    const form = new FormData();
    form.append('audio', answer.blob, answer.name);
    let response;
    let body = null;
    try {
      response = await fetch(`/api/recordings?token=${encodeURIComponent(token)}`, { method: 'POST', body: form });
      body = await response.json().catch(() => null);
    } catch {
      fail('The answer could not be sent: the bot cannot be reached. Try again in a moment.');
      sendButton.disabled = false;
      rerecordButton.disabled = false;
      fileInput.disabled = false;
      document.body.dataset.state = 'recorded';
      return;
    }

    if (response.status === 202) {
      sent = true;
      document.body.dataset.state = 'sent';
      show(sendButton, false);
      show(rerecordButton, false);
      show(preview, false);
      say(embeddedInDevChat
        ? 'Sent. Your answer is being coached; the feedback will appear in the chat.'
        : 'Sent. Your answer is being coached; the feedback will appear in the chat. You can close this window.');
      if (embeddedInDevChat) {
        window.parent.postMessage({ type: 'coachbot:recording-sent', turnKey: body?.turnKey }, window.location.origin);
      }
      return;
    }

    document.body.dataset.state = 'failed';
    fail(body?.message ?? `The answer could not be sent (the bot answered ${response.status}).`);
    if (response.status === 401 || response.status === 409) {
      say('Open the recorder again from the chat to send another answer.');
      return;
    }
    // Too large, empty or unreadable: record again or pick another file.
    rerecordButton.disabled = false;
    fileInput.disabled = false;
    say('Record again or choose another file.');
  }

  async function init() {
    if (!token) {
      say('This page needs a recording link from the chat.');
      fail('The link has no token. Press “Record my answer” in the chat to get one.');
      return;
    }
    let response;
    try {
      response = await fetch(`/api/recordings/grant?token=${encodeURIComponent(token)}`);
    } catch {
      fail('The bot cannot be reached. Try again in a moment.');
      return;
    }
    const grant = await response.json().catch(() => null);
    if (!response.ok) {
      say('This recording link cannot be used.');
      fail(grant?.message ?? 'The recording link is not valid. Open the recorder again from the chat.');
      document.body.dataset.state = 'invalid';
      return;
    }
    maxBytes = grant.maxBytes ?? maxBytes;
    if (grant.question?.text) {
      const question = $('question');
      question.textContent = grant.question.text;
      question.hidden = false;
    }
    startButton.disabled = false;
    fileInput.disabled = false;
    document.body.dataset.state = 'ready';
    say('Press Record and answer out loud, or choose an audio file.');
  }

  startButton.addEventListener('click', start);
  stopButton.addEventListener('click', stop);
  rerecordButton.addEventListener('click', () => {
    preview.pause();
    start();
  });
  sendButton.addEventListener('click', send);
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    stop();
    if (file.size === 0) {
      fail('That file is empty. Choose another one.');
      return;
    }
    if (file.size > maxBytes) {
      fail(`That file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB. Choose a shorter recording.`);
      return;
    }
    fail('');
    setAnswer(file, file.name, `Chose “${file.name}”.`);
  });

  init();
})();
