// A second listener on another loopback address, for the redirect checks: a gateway in front of
// Konaplate may point a redirect anywhere, and whatever is there must receive nothing.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What arrived at the second host: everything, so a check can show it. */
export interface SecondHostRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	rawBody: string;
}

/** 127.0.0.2 is loopback on Linux as 127.0.0.1 is, yet another host in a URL. */
export const SECOND_HOST_ADDRESS = '127.0.0.2';

/**
 * Records every request and answers each as a Konaplate success would, so that a node that
 * followed a redirect here would take its answer for the transfer.
 */
export class SecondHost {
	readonly received: SecondHostRequest[] = [];

	private constructor(
		private readonly server: Server,
		readonly origin: string,
	) {}

	static async start(address = SECOND_HOST_ADDRESS): Promise<SecondHost> {
		const holder: { host?: SecondHost } = {};
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(req.headers))
					if (typeof value === 'string') headers[name] = value;
				holder.host?.received.push({
					method: req.method ?? '',
					path: req.url ?? '',
					headers,
					rawBody: Buffer.concat(chunks).toString('utf8'),
				});
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"response":{"code":"000_000","description":"Success."},"amount":1}');
			});
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, address, resolve);
		});
		const { port } = server.address() as AddressInfo;
		holder.host = new SecondHost(server, `http://${address}:${port}`);
		return holder.host;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
