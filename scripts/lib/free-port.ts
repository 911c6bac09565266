/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a tool: it probes loopback ports for the servers it starts */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port nothing listens on at 127.0.0.1 now (the OS picks it), for a server started next. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}
