// Starts the wix-opr-emulator binary on a free port and talks to its `/_emulator` admin routes
// (setup only: every API operation goes through Wix's SDK).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Starts `binary` with `args` (plus `--port 0`) and resolves once it prints its base URL.
 * Rejects with the emulator's stderr when it exits first or says nothing within `timeoutMs`.
 */
export async function startEmulator(binary, args, { timeoutMs = 30_000 } = {}) {
  if (!existsSync(binary)) {
    throw new Error(
      `no emulator binary at ${binary}: build it with ` +
        '`cargo build -p wix-opr-emulator --bin wix-opr-emulator` or set WIX_OPR_EMULATOR',
    );
  }
  const child = spawn(binary, ['--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const baseUrl = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the emulator printed no base URL within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code ?? signal}) before starting\n${stderr}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return new EmulatorProcess(child, baseUrl);
}

/** A running emulator: its base URL, admin calls, and `stop()`. */
export class EmulatorProcess {
  constructor(child, baseUrl) {
    this.child = child;
    this.baseUrl = baseUrl;
  }

  /** The emulator's clock now, as a `Date`. */
  async now() {
    const { now } = await this.#admin('GET', '/_emulator/clock');
    return new Date(now);
  }

  /** Moves the emulator's clock forward by `seconds` (expiring what is due). */
  async advanceClock(seconds) {
    await this.#admin('POST', '/_emulator/clock/advance', { seconds });
  }

  /** The PEM public key that verifies the emulator's webhook deliveries. */
  async webhookPublicKey() {
    const response = await fetch(`${this.baseUrl}/_emulator/webhooks/public-key`);
    if (!response.ok) {
      throw new Error(`GET /_emulator/webhooks/public-key answered ${response.status}`);
    }
    return response.text();
  }

  /** Stops the emulator process this object started. */
  stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
    }
  }

  async #admin(method, path, body) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text);
  }
}
