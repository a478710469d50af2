import { createInterface } from 'node:readline';
import WebSocket from 'ws';

/**
 * `npm run agent -- <username> <password> [gateway URL]`: an agent's WebSocket in the terminal. Prints every server
 * frame as one JSON line; type `<event> <json>` to send one, e.g. `accept {"interactionId":"..."}`.
 */
async function main(): Promise<void> {
  const [username, password, baseUrl = 'http://127.0.0.1:3000'] = process.argv.slice(2);
  if (!username || !password) {
    console.error('usage: npm run agent -- <username> <password> [gateway URL]');
    process.exit(2);
  }
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  let ref = 0;
  socket.on('message', (raw: Buffer) => console.log(raw.toString()));
  socket.on('close', (code) => {
    console.error(`socket closed (${code})`);
    process.exit(0);
  });
  socket.on('open', () => {
    console.error(`connected as ${username}; type: status {"status":"available"}`);
    createInterface({ input: process.stdin }).on('line', (line) => {
      const match = /^\s*(\w+)\s*(.*)$/.exec(line);
      if (!match) return;
      try {
        const data = match[2] ? (JSON.parse(match[2]) as Record<string, unknown>) : {};
        socket.send(JSON.stringify({ event: match[1], data: { ref: `cli-${++ref}`, ...data } }));
      } catch {
        console.error('expected: <event> <json object>');
      }
    });
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
