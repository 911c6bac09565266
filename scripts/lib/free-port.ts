// Free ports on 127.0.0.1 for the servers the tools start (n8n, the emulator).
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port nothing listens on at 127.0.0.1 right now, chosen by the OS (other helpers run n8n instances too). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on 127.0.0.1:port (a fixed port the user asked for, e.g. 5678). */
export async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}
