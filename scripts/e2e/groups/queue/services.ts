/**
 * Postgres and Redis for n8n's queue mode, as this test's own processes: Debian's packages
 * (installed with apt-get when missing), bound to 127.0.0.1 on free ports, their data in a temp
 * folder, each stopped by its PID. The shared ledger's jest tests start their Postgres here too
 * (test/helpers/postgres.ts), with a password and without installing anything.
 *
 *   const pg = await startPostgres();   // initdb + pg_ctl start, ~3 s; pg.database exists
 *   const redis = await startRedis();   // ~0.1 s
 *   await redis.stop(); await pg.stop();
 */
import { spawnSync } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { freePort } from '../../../lib/free-port';
import { pollUntil } from '../../n8n/process';

const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest Postgres of Debian's packages: /usr/lib/postgresql/<major>/bin. */
function postgresBin(): string | undefined {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const majors = readdirSync(POSTGRES_ROOT)
		.filter((v) => existsSync(path.join(POSTGRES_ROOT, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(POSTGRES_ROOT, majors[0], 'bin') : undefined;
}

function sh(cmd: string, args: string[], what: string): string {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
	if (r.status !== 0)
		throw new Error(`${what} failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
	return r.stdout;
}

/**
 * Debian's postgresql and redis-server, installed with apt-get when one is missing (root only,
 * as CI runs; apt's lock is waited for, since CI installs Chromium at the same time).
 */
export function ensureServicePackages(): { postgresBin: string } {
	if (!postgresBin() || !existsSync(REDIS_SERVER)) {
		if (process.getuid?.() !== 0)
			throw new Error(
				'Postgres or Redis is missing: sudo apt-get install -y postgresql redis-server',
			);
		const apt = ['-o', 'DPkg::Lock::Timeout=600', '-y', 'install', 'postgresql', 'redis-server'];
		const first = spawnSync('apt-get', apt, {
			encoding: 'utf8',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (first.status !== 0) {
			sh('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], 'apt-get update');
			sh('apt-get', apt, 'apt-get install postgresql redis-server');
		}
	}
	const bin = postgresBin();
	if (!bin || !existsSync(REDIS_SERVER))
		throw new Error('apt-get ran, but initdb or redis-server is still missing');
	return { postgresBin: bin };
}

/** The command that installs Debian's PostgreSQL, for a message that asks a person to run it. */
export const INSTALL_POSTGRES = 'sudo apt-get install -y postgresql';

/** Debian's Postgres binaries, or an error naming how to install them: nothing is installed here. */
export function requirePostgresBin(needs: string): string {
	const bin = postgresBin();
	if (bin === undefined)
		throw new Error(
			`PostgreSQL is not installed (no ${POSTGRES_ROOT}/<version>/bin/initdb), and ${needs} on a real one: ${INSTALL_POSTGRES}`,
		);
	return bin;
}

/** Waits until a process we started has ended; SIGKILL after timeoutMs. */
async function stopPid(pid: number, signal: NodeJS.Signals, timeoutMs = 15000): Promise<void> {
	const alive = () => {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	if (!alive()) return;
	process.kill(pid, signal);
	try {
		await pollUntil(async () => (alive() ? undefined : true), {
			timeoutMs,
			timedOut: () => `${pid} still running`,
		});
	} catch {
		process.kill(pid, 'SIGKILL');
	}
}

export interface Service {
	host: '127.0.0.1';
	port: number;
	pid: number;
	/** Stops the process by its PID and deletes its data folder. */
	stop: () => Promise<void>;
}

export interface Postgres extends Service {
	user: string;
	database: string;
	/** Stops the server (fast shutdown), runs `whileDown`, starts it again on the same port and data. */
	restart: (whileDown?: () => Promise<void>) => Promise<void>;
}

/** The database's URL as its superuser, for a Postgres started without a password (every connection trusted). */
export function postgresUrl({ user, host, port, database }: Postgres): string {
	return `postgres://${user}@${host}:${port}/${database}`;
}

/** A temp folder the given user owns (Postgres refuses to run as root). */
function dataFolder(prefix: string, owner?: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	if (owner) {
		const uid = Number(sh('id', ['-u', owner], 'id -u').trim());
		const gid = Number(sh('id', ['-g', owner], 'id -g').trim());
		chownSync(dir, uid, gid);
	}
	return dir;
}

export interface PostgresOptions {
	database?: string;
	/**
	 * The superuser's password: connections over TCP must then give it (scram-sha-256), while
	 * the socket in the data folder stays trusted. Without one, every connection is trusted.
	 */
	password?: string;
	/** Install Debian's packages when missing (the e2e run); false: fail naming the command. */
	install?: boolean;
}

/** Postgres: initdb into a temp folder, then `pg_ctl start` on 127.0.0.1 (socket in that folder). */
export async function startPostgres({
	database = 'n8n',
	password,
	install = true,
}: PostgresOptions = {}): Promise<Postgres> {
	const bin = install ? ensureServicePackages().postgresBin : requirePostgresBin('these tests run');
	const asRoot = process.getuid?.() === 0;
	const owner = asRoot ? 'postgres' : undefined;
	const as = (cmd: string, args: string[], what: string) =>
		asRoot
			? sh('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], what)
			: sh(path.join(bin, cmd), args, what);
	const dir = dataFolder('konaplate-pg-', owner);
	const data = path.join(dir, 'data');
	const port = await freePort();
	const user = 'postgres';
	const auth = ['--auth=trust'];
	if (password !== undefined) {
		const pwfile = path.join(dir, 'pwfile');
		writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
		auth.push('--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
	}
	as('initdb', ['-D', data, '-U', user, ...auth, '-E', 'UTF8', '--no-sync'], 'initdb');
	const options = [
		`-h 127.0.0.1 -p ${port} -k ${dir}`,
		'-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
	].join(' ');
	const start = () => {
		as('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start'], 'pg_ctl');
		return Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	};
	let pid = start();
	const stop = async () => {
		await stopPid(pid, 'SIGINT'); // Postgres' "fast" shutdown
		rmSync(dir, { recursive: true, force: true });
	};
	const restart = async (whileDown?: () => Promise<void>) => {
		await stopPid(pid, 'SIGINT');
		try {
			await whileDown?.();
		} finally {
			pid = start();
		}
	};
	try {
		as('createdb', ['-h', dir, '-p', String(port), '-U', user, database], 'createdb');
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		get pid() {
			return pid;
		},
		user,
		database,
		stop,
		restart,
	};
}

/** Answers PING with +PONG once it listens. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let reply = '';
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			reply += String(d);
			socket.end();
			resolve(reply.startsWith('+PONG'));
		});
		socket.on('error', () => resolve(false));
	});
}

/** Redis with no persistence, daemonized with a pidfile in a temp folder. */
export async function startRedis(): Promise<Service> {
	ensureServicePackages();
	const dir = dataFolder('konaplate-redis-');
	const port = await freePort();
	const pidfile = path.join(dir, 'redis.pid');
	sh(
		REDIS_SERVER,
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'yes',
			'--pidfile',
			pidfile,
			'--dir',
			dir,
			'--logfile',
			path.join(dir, 'redis.log'),
		],
		'redis-server',
	);
	const pid = await pollUntil(
		async () =>
			existsSync(pidfile) && (await redisPing(port))
				? Number(readFileSync(pidfile, 'utf8').trim())
				: undefined,
		{ timeoutMs: 10000, timedOut: () => `redis-server on port ${port} did not answer PING` },
	);
	const stop = async () => {
		await stopPid(pid, 'SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	};
	return { host: '127.0.0.1', port, pid, stop };
}
