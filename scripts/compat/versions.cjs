'use strict';
/**
 * The n8n releases the load check (test/n8n-versions.test.ts) loads the built package against,
 * by the n8n-workflow and n8n-core each one ships (`npm view n8n@<v> dependencies`). Spread from
 * the oldest n8n the node can load in to the newest: the 1.x line n8n still patches, the 2.x
 * minors where n8n changed what this package depends on (2.11: `ignoreHttpStatusErrors`
 * exceptions; 2.36: error-output routing), and the version of the end-to-end suite.
 */
const SUPPORTED = [
	{ n8n: '1.85.4', workflow: '1.83.0', core: '1.84.0' },
	{ n8n: '1.100.1', workflow: '1.97.0', core: '1.99.0' },
	{ n8n: '1.123.81', workflow: '1.120.31', core: '1.122.48' },
	{ n8n: '2.11.4', workflow: '2.11.1', core: '2.11.1' },
	{ n8n: '2.36.0', workflow: '2.36.0', core: '2.36.0' },
	{ n8n: '2.41.1', workflow: '2.41.0', core: '2.41.1' },
];

/**
 * The control: n8n 1.84.x's n8n-workflow has no NodeConnectionTypes, so the node cannot load
 * there. The check must see that failure, or it could not see one at all.
 */
const TOO_OLD = { n8n: '1.84.x', workflow: '1.82.0', core: '1.82.0' };

module.exports = { SUPPORTED, TOO_OLD };
