// The emulator's test control (/__emulator/...): what another process (a real n8n's e2e run) reads of it and scripts.
import type { ServerResponse } from 'node:http';

import type { ControlledEmulator, RawReply, RedirectTarget } from './types';

export const CONTROL_PREFIX = '/__emulator/';

/**
 * Test control for an emulator in another process (a real n8n's end-to-end runs):
 * GET /__emulator/requests lists what arrived, POST /__emulator/reset restores the test data,
 * POST /__emulator/script {"replies": [RawReply...], "latencyMs": n} answers the next requests
 * with those replies, one each, in order (a timeout, a dropped connection...), and holds every
 * normal answer latencyMs; a reset ends both. POST /__emulator/redirect {"status", "to": "self" |
 * "second-host", "count"} answers the next requests with that redirect (ControlledEmulator);
 * GET /__emulator/second-host starts the second host if needed and lists what it received.
 */
export async function control(
	emulator: ControlledEmulator,
	method: string,
	url: string,
	res: ServerResponse,
	body: string,
): Promise<void> {
	const route = `${method} ${url.slice(CONTROL_PREFIX.length)}`;
	if (route === 'GET requests' || route === 'GET state') {
		const body =
			route === 'GET requests'
				? emulator.requests
				: {
						cards: Object.fromEntries(
							[...emulator.cards].map(([cardNo, card]) => [cardNo, card.balance]),
						),
						members: [...emulator.members.values()],
					};
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
		return;
	}
	if (route === 'POST redirect') {
		const {
			status,
			to = 'self',
			count = 1,
		} = JSON.parse(body) as { status: number; to?: RedirectTarget; count?: number };
		await emulator.redirect(status, to, count);
		res.writeHead(204);
		res.end();
		return;
	}
	if (route === 'GET second-host') {
		const host = await emulator.secondHost();
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ origin: host.origin, received: host.received }));
		return;
	}
	if (route === 'POST reset') {
		emulator.reset();
		res.writeHead(204);
		res.end();
		return;
	}
	if (route === 'POST script') {
		const { replies = [], latencyMs = 0 } = JSON.parse(body) as {
			replies?: RawReply[];
			latencyMs?: number;
		};
		const queue = [...replies];
		emulator.script = () => queue.shift();
		emulator.latency = () => latencyMs;
		res.writeHead(204);
		res.end();
		return;
	}
	res.writeHead(404);
	res.end();
}
