'use strict';
/**
 * Run by test/n8n-versions.test.ts in a folder that holds one published n8n-workflow and
 * n8n-core (see ./install.cjs): loads the package the way n8n does (n8n-core's
 * PackageDirectoryLoader), builds a workflow with the node through that n8n-workflow, and signs a
 * request with the credential's authenticate. Prints one JSON line: what loaded, or the error.
 *
 *   node probe.cjs <package dir> <credential data as JSON>
 */
async function main() {
	const [packageDir, credentialJson] = process.argv.slice(2);
	// Resolved from the package's folder upwards: the versions installed beside it.
	const from = (name) => require(require.resolve(name, { paths: [packageDir] }));
	const workflow = from('n8n-workflow');
	const { PackageDirectoryLoader } = from('n8n-core');
	const versions = {
		workflow: from('n8n-workflow/package.json').version,
		core: from('n8n-core/package.json').version,
	};

	const loader = new PackageDirectoryLoader(packageDir);
	try {
		await loader.loadAll();
	} catch (error) {
		// n8n-core words a class that throws while loading as "Class could not be found": name the cause.
		const { n8n } = require(`${packageDir}/package.json`);
		for (const file of [...n8n.credentials, ...n8n.nodes]) {
			try {
				for (const Class of Object.values(require(`${packageDir}/${file}`))) new Class();
			} catch (cause) {
				throw new Error(`${error.message} (${file}: ${cause.message})`);
			}
		}
		throw error;
	}
	const [nodeName] = Object.keys(loader.nodeTypes);
	const [credentialName] = Object.keys(loader.credentialTypes);
	const nodeType = loader.nodeTypes[nodeName].type;
	const credentialType = loader.credentialTypes[credentialName].type;

	// A workflow with the node, as n8n builds one for every execution: the Workflow constructor
	// reads the description and fills in every parameter's default.
	const node = {
		id: 'compat-1',
		name: 'Konaplate',
		type: `${loader.packageName}.${nodeName}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'card', operation: 'transferBalance' },
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const wf = new workflow.Workflow({
		id: 'compat',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const parameters = wf.getNode('Konaplate').parameters;

	const signed = await credentialType.authenticate(JSON.parse(credentialJson), {
		method: 'POST',
		url: '/api/v1/bankaccounts/inquiry',
		body: { userId: 1 },
	});

	process.stdout.write(
		`${JSON.stringify({
			ok: true,
			versions,
			packageName: loader.packageName,
			nodeName,
			credentialName,
			node: nodeType.description,
			credential: { properties: credentialType.properties, test: credentialType.test },
			parameters,
			signed,
		})}\n`,
	);
}

main().catch((error) => {
	process.stdout.write(
		`${JSON.stringify({ ok: false, error: String(error && error.stack ? error.stack : error) })}\n`,
	);
	process.exitCode = 1;
});
