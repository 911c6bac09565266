/**
 * The load check: the built package (dist/) loaded by published n8n-workflow / n8n-core pairs
 * from n8n 1.85 to the newest, as n8n loads a community package (n8n-core's
 * PackageDirectoryLoader), a workflow built with the node, and a request signed by the
 * credential's authenticate and sent to the emulator. Seconds when the versions are cached
 * (scripts/compat/install.cjs installs them on first use, ~15 s each, in parallel).
 */
import { request } from 'node:http';
import * as path from 'node:path';

import { emulatorCredential } from './helpers/konaplate';
import { KonaplateEmulator } from '../emulator/server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SUPPORTED, TOO_OLD } = require('../scripts/compat/versions.cjs') as {
	SUPPORTED: Entry[];
	TOO_OLD: Entry;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compat = require('../scripts/compat/install.cjs') as {
	ensureInstalled(entry: Entry): Promise<string>;
	probe(dir: string, packageRoot: string, credential: object): Probe;
};

interface Entry {
	n8n: string;
	workflow: string;
	core: string;
}

interface Probe {
	ok: boolean;
	error?: string;
	versions: { workflow: string; core: string };
	packageName: string;
	nodeName: string;
	credentialName: string;
	node: unknown;
	credential: unknown;
	parameters: Record<string, unknown>;
	signed: {
		method: string;
		url: string;
		baseURL?: string;
		headers: Record<string, string>;
		body: string;
	};
}

const ROOT = path.join(__dirname, '..');

let emulator: KonaplateEmulator;
const folders = new Map<string, string>();

beforeAll(async () => {
	emulator = await KonaplateEmulator.start();
	const dirs = await Promise.all(
		[...SUPPORTED, TOO_OLD].map(
			async (entry) => [entry.n8n, await compat.ensureInstalled(entry)] as const,
		),
	);
	for (const [n8n, dir] of dirs) folders.set(n8n, dir);
}, 600_000);
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

/**
 * Sends the signed request on a connection of its own (no keep-alive pool: a pooled socket the
 * emulator closed while a slow probe ran would reset). Resolves the HTTP status.
 */
function send(url: string, { method, headers, body }: Probe['signed']): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers, agent: false }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}

function probe(entry: Entry): Probe {
	return compat.probe(folders.get(entry.n8n) as string, ROOT, emulatorCredential(emulator));
}

/** The same probe against the n8n-workflow / n8n-core this repository builds with. */
let reference: Probe;
beforeAll(() => {
	reference = probe(SUPPORTED[SUPPORTED.length - 1]);
});

describe.each(SUPPORTED)('n8n $n8n (n8n-workflow $workflow, n8n-core $core)', (entry) => {
	let result: Probe;
	beforeAll(() => {
		result = probe(entry);
	});

	it('loads the node and the credential as n8n loads a community package', () => {
		expect(result.error).toBeUndefined();
		expect(result.versions).toEqual({ workflow: entry.workflow, core: entry.core });
		expect([result.packageName, result.nodeName, result.credentialName]).toEqual([
			'n8n-nodes-konaplate',
			'konaplate',
			'konaCredentials',
		]);
	});

	it('gives the same node and credential descriptions as the newest n8n', () => {
		// Newer loaders stamp the package version on the description; the rest is the package's own.
		const own = (description: unknown) => ({
			...(description as object),
			communityNodePackageVersion: undefined,
		});
		expect(own(result.node)).toEqual(own(reference.node));
		expect(result.credential).toEqual(reference.credential);
	});

	it("builds a workflow with the node: every parameter's default filled in by that n8n-workflow", () => {
		expect(result.parameters).toEqual(reference.parameters);
		expect(result.parameters).toMatchObject({ resource: 'card', operation: 'transferBalance' });
	});

	it("signs a request with the credential's authenticate that the emulator accepts", async () => {
		const { signed } = result;
		const url = signed.url.startsWith('http') ? signed.url : `${signed.baseURL ?? ''}${signed.url}`;
		expect(await send(url, signed)).toBe(400);
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({
			path: '/api/v1/bankaccounts/inquiry',
			verdict: 'accepted',
			code: '001_006',
		});
	});
});

describe(`the control: n8n ${TOO_OLD.n8n} (n8n-workflow ${TOO_OLD.workflow})`, () => {
	it('cannot load the node (no NodeConnectionTypes): the check sees a package that does not load', () => {
		const result = probe(TOO_OLD);
		expect(result.ok).toBe(false);
		expect(result.error).toMatch(
			/NodeConnectionTypes|Cannot read properties of undefined \(reading 'Main'\)/,
		);
	});
});
