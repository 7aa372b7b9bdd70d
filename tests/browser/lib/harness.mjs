// Browser tests' harness: a `callq serve` per test file on free ports with a generated
// configuration, Net::SIP phones (tests/e2e/peers), and Chromium driven by playwright-core.
// A test file calls `after(cleanup)`: every process started here is stopped when it ends, passed
// or failed (and killed if the test process exits first).
//
// Environment:
//   CALLQ_BIN          the server binary (default /work/main/build/callq, i.e. <repo>/build/callq)
//   CALLQ_WEB_DIST     the built console (default <repo>/web/dist; scripts/build-web makes it)
//   CALLQ_CHROMIUM     the browser (default /usr/bin/chromium)
//   CALLQ_SCREENSHOTS  where screenshots go (default <tmp>/callq-browser-screenshots)
//   CALLQ_KEEP_TMP=1   keep each test's temp dir (config, database); the server log is always
//                      written next to the screenshots

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const CALLQ_BIN = process.env.CALLQ_BIN || path.join(REPO, 'build/callq');
export const WEB_DIST = process.env.CALLQ_WEB_DIST || path.join(REPO, 'web/dist');
export const CHROMIUM = process.env.CALLQ_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.CALLQ_SCREENSHOTS || path.join(os.tmpdir(), 'callq-browser-screenshots');
const PEERS = path.join(REPO, 'tests/e2e/peers');

// playwright-core is a devDependency of web/ (installed by scripts/build-web).
const requireFromWeb = createRequire(path.join(REPO, 'web/package.json'));
export const { chromium } = requireFromWeb('playwright-core');

export const MANAGER = { name: 'boss', password: 'boss-pw' };
export const AGENTS = {
  alice: { name: 'Alice Martin', extension: '201', password: 'pw-alice' },
  bob: { name: 'Bob Durand', extension: '202', password: 'pw-bob' },
  carol: { name: 'Carol Nguyen', extension: '203', password: 'pw-carol' },
  dave: { name: 'Dave Okafor', extension: '204', password: 'pw-dave' },
};

export const QUEUES_TOML = `
[[queue]]
name = "sales"
extension = "600"
strategy = "ring-all"
ring_time = 15
members = [{ agent = "alice", static = true }, { agent = "bob" }, { agent = "carol", level = 1 }]

[[queue]]
name = "support"
extension = "601"
strategy = "longest-idle"
wrap_up = 5
members = [{ agent = "carol", static = true }, { agent = "dave" }]
`;

// --- processes -------------------------------------------------------------------------------------

const children = new Set();
const cleanups = [];

/** Stops everything this file started (browser, phones, servers), last started first. */
export async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.log(`# cleanup: ${e.message}`);
    }
  }
}
const after = (fn) => cleanups.push(fn);
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
function killAll() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
}
process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { killAll(); process.exit(130); });

/** Lines of a child's stdout and stderr, with waiting for one that matches. */
class Lines {
  constructor(child, name) {
    this.name = name;
    this.lines = [];
    this.waiters = [];
    this.exited = null;
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          this.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    child.once('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const w of this.waiters) w.check();
    });
  }
  push(line) {
    this.lines.push(line);
    for (const w of [...this.waiters]) w.check();
  }
  text() {
    return this.lines.join('\n');
  }
  /** The first line (from `from` on) matching re; rejects after timeoutMs or when the process exits. */
  waitFor(re, timeoutMs = 15000, from = 0) {
    return new Promise((resolve, reject) => {
      const w = {
        check: () => {
          const idx = this.lines.findIndex((l, i) => i >= from && re.test(l));
          if (idx >= 0) {
            done();
            resolve(this.lines[idx]);
          } else if (this.exited) {
            done();
            reject(new Error(`${this.name} exited (${JSON.stringify(this.exited)}) before ${re}:\n${this.text()}`));
          }
        },
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no line ${re} within ${timeoutMs} ms:\n${this.text()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((x) => x !== w);
      };
      this.waiters.push(w);
      w.check();
    });
  }
}

async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await once(child, 'exit').catch(() => undefined);
  clearTimeout(timer);
}

// --- ports -----------------------------------------------------------------------------------------

const handedOut = new Set();

function canBindTcp(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function canBindUdp(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port free for TCP and/or UDP on 127.0.0.1, never handed out twice by this process. */
export async function freePort(kind = 'both') {
  for (let i = 0; i < 200; i++) {
    const probe = net.createServer();
    await new Promise((r) => probe.listen(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise((r) => probe.close(r));
    if (handedOut.has(port)) continue;
    const ok = (kind === 'udp' || (await canBindTcp(port))) && (kind === 'tcp' || (await canBindUdp(port)));
    if (ok) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port');
}

/** An even RTP range of `size` ports whose ends are free (a random place in 30000-59999). */
export async function rtpRange(size = 60) {
  for (let i = 0; i < 50; i++) {
    const first = 30000 + 2 * Math.floor(Math.random() * 14000);
    if ((await canBindUdp(first)) && (await canBindUdp(first + size - 1))) return [first, first + size - 1];
  }
  throw new Error('no free RTP range');
}

// --- the server ------------------------------------------------------------------------------------

let managerHash = null;
function hashPassword(password) {
  if (!managerHash) {
    const r = spawnSync(CALLQ_BIN, ['hash-password'], { input: password + '\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`callq hash-password failed: ${r.stderr}`);
    managerHash = r.stdout.trim();
  }
  return managerHash;
}

export function configToml({ sipPort, rtp, apiPort, webRoot = WEB_DIST, queues = QUEUES_TOML, reasons = ['lunch', 'training', 'back office'] }) {
  const agents = Object.entries(AGENTS)
    .map(([id, a]) => `[[agent]]\nid = "${id}"\nname = "${a.name}"\nextension = "${a.extension}"\npassword = "${a.password}"\n`)
    .join('\n');
  return `withdraw_reasons = [${reasons.map((r) => JSON.stringify(r)).join(', ')}]

[sip]
address = "127.0.0.1"
port = ${sipPort}
rtp_ports = [${rtp[0]}, ${rtp[1]}]

[api]
address = "127.0.0.1"
port = ${apiPort}
web_root = ${JSON.stringify(webRoot)}

[[manager]]
name = "${MANAGER.name}"
password_hash = "${hashPassword(MANAGER.password)}"

${agents}
${queues}`;
}

/**
 * Starts `callq serve` with a fresh database; stopped (and its temp dir removed on success) when
 * the test file ends. Returns { url, apiPort, sipPort, dir, log, api(), token() }.
 */
export async function startCallq(opts = {}) {
  if (!fs.existsSync(CALLQ_BIN)) throw new Error(`no callq binary at ${CALLQ_BIN} (set CALLQ_BIN)`);
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`no console at ${WEB_DIST} (run scripts/build-web, or set CALLQ_WEB_DIST)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callq-browser-'));
  const sipPort = await freePort('both');
  const apiPort = await freePort('tcp');
  const rtp = await rtpRange();
  const config = path.join(dir, 'callq.toml');
  const { label = 'callq', ...configOpts } = opts;
  fs.writeFileSync(config, configToml({ sipPort, rtp, apiPort, ...configOpts }));
  const child = track(spawn(CALLQ_BIN, ['serve', config, '--store', path.join(dir, 'callq.db')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const log = new Lines(child, 'callq serve');
  after(async () => {
    await stopChild(child);
    // The server's log goes next to the screenshots; the temp dir (config, database) goes away.
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(path.join(SHOTS, `${label}-serve.log`), log.text() + '\n');
    if (process.env.CALLQ_KEEP_TMP) console.log(`# callq temp dir kept: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  await log.waitFor(/callq serving/, 20000);
  const url = `http://127.0.0.1:${apiPort}`;
  let token = null;
  const server = {
    url, apiPort, sipPort, dir, log,
    async token() {
      if (!token) {
        const r = await fetch(`${url}/api/v1/login`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(MANAGER),
        });
        if (!r.ok) throw new Error(`login: ${r.status} ${await r.text()}`);
        token = (await r.json()).token;
      }
      return token;
    },
    /** A manager's API request: { status, body (JSON or text) }. */
    async api(method, p, body) {
      const r = await fetch(`${url}/api/v1${p}`, {
        method,
        headers: { Authorization: `Bearer ${await server.token()}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      let parsed = text;
      try { parsed = JSON.parse(text); } catch { /* text */ }
      return { status: r.status, body: parsed };
    },
  };
  return server;
}

// --- SIP peers (Net::SIP) --------------------------------------------------------------------------

function startPerl(script, args, name) {
  const child = track(spawn('perl', [path.join(PEERS, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const lines = new Lines(child, name);
  after(() => stopChild(child, 1000));
  return { child, lines, stop: () => stopChild(child, 1000) };
}

/** An agent's phone registered to the server (waits for "registered"). opts: extra CLI options. */
export async function startAgentPhone(server, agentId, opts = []) {
  const port = await freePort('udp');
  const peer = startPerl('nsip_agent.pl', [
    '--registrar', `127.0.0.1:${server.sipPort}`, '--user', agentId, '--pass', AGENTS[agentId].password,
    '--port', String(port), '--unregister-at-exit', ...opts,
  ], `phone of ${agentId}`);
  await peer.lines.waitFor(/^registered$/, 15000);
  return peer;
}

/** A caller dialling `to` (e.g. "600") from `from` (a caller id). */
export async function startCaller(server, to, from, opts = []) {
  const port = await freePort('udp');
  return startPerl('nsip_caller.pl', [
    '--to', `sip:${to}@127.0.0.1:${server.sipPort}`, '--from', `sip:${from}@127.0.0.1`, '--port', String(port), ...opts,
  ], `caller ${from}`);
}

// --- the browser -----------------------------------------------------------------------------------

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CALLQ_CHROMIUM)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  after(() => browser.close().catch(() => undefined));
  return browser;
}

/**
 * A fresh browser context (its own cookies) and page; logs page errors to the console.
 * `polling: false` turns off the pages' 5 s reload timer (localStorage 'callq.pollMs' = 0): the
 * page then changes only on stream events, so a test that sees it change within a few seconds
 * proves the stream.
 */
export async function newPage(browser, { width = 1366, height = 860, polling = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  if (!polling) await context.addInitScript(() => localStorage.setItem('callq.pollMs', '0'));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  return page;
}

/** Signs in through the login page and waits for the app's landing route. */
export async function signIn(page, server, name, password) {
  await page.goto(server.url + '/');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /sign out/i }).waitFor();
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
