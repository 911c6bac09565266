/**
 * Fake timers for the Date alone: `jest.useFakeTimers({ now, doNotFake: NOT_THE_DATE })` moves
 * the day while the engine's own timers run as they do.
 */
export const NOT_THE_DATE = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;
