// Captures n8n's log lines (JSON) for the tests that read them, instead of printing them.
import { inspect } from 'node:util';

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
type ConsoleMethod = (...args: unknown[]) => void;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Captures what n8n's Logger writes. With N8N_LOG_FORMAT=json it writes one JSON line per entry,
 * metadata included, through winston's console transport (console._stdout/_stderr, else the
 * console methods). Those lines are kept and not printed; anything else passes through.
 */
export class LogCapture {
	readonly lines: string[] = [];
	private readonly restore: Array<() => void> = [];

	start(): void {
		const streams = new Set<NodeJS.WritableStream>([process.stdout, process.stderr]);
		const hidden = console as unknown as {
			_stdout?: NodeJS.WritableStream;
			_stderr?: NodeJS.WritableStream;
		};
		if (hidden._stdout) streams.add(hidden._stdout);
		if (hidden._stderr) streams.add(hidden._stderr);
		for (const stream of streams) {
			const target = stream as unknown as { write: Write };
			const original = target.write;
			target.write = (chunk: unknown, ...rest: unknown[]): boolean => {
				const text =
					typeof chunk === 'string'
						? chunk
						: Buffer.isBuffer(chunk)
							? chunk.toString('utf8')
							: String(chunk);
				if (text.startsWith('{"level":')) {
					this.lines.push(text);
					return true;
				}
				return original.call(stream, chunk, ...rest);
			};
			this.restore.push(() => {
				target.write = original;
			});
		}
		const methods = console as unknown as Record<(typeof CONSOLE_METHODS)[number], ConsoleMethod>;
		for (const name of CONSOLE_METHODS) {
			const original = methods[name];
			methods[name] = (...args: unknown[]) => {
				this.lines.push(
					args
						.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 20 })))
						.join(' '),
				);
			};
			this.restore.push(() => {
				methods[name] = original;
			});
		}
	}

	stop(): void {
		for (const undo of this.restore.splice(0).reverse()) undo();
	}

	/** Lines captured since `mark`, a value of `lines.length` taken earlier. */
	since(mark: number): string[] {
		return this.lines.slice(mark);
	}
}
