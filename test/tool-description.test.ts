// What n8n lets the node say to a model as a tool, and the recommended MCP set-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters, UsableAsToolDescription } from 'n8n-workflow';

import { Konaplate } from '../nodes/Konaplate/Konaplate.node';
import { TOOL_DESCRIPTION, toolNotice } from '../nodes/Konaplate/tool/description';
import { VALID_VALUE } from '../nodes/Konaplate/tool/agent';
import { LIMITS } from '../nodes/Konaplate/wire/fields';
import type { WorkflowFile } from '../scripts/engine/engine';

/**
 * What n8n lets the node say to a model: the tool variant's description (the `usableAsTool`
 * replacements), and, with the tool description set automatically, "<action> in Konaplate"
 * (n8n-workflow's getToolDescriptionForNode).
 */
const type = new Konaplate();
const node = (parameters: INodeParameters): INode => ({
	id: '1',
	name: 'Konaplate',
	type: 'n8n-nodes-konaplate.konaplateTool',
	typeVersion: 1,
	position: [0, 0],
	parameters,
});
const automatic = (resource: string, operation: string) =>
	NodeHelpers.getToolDescriptionForNode(
		node({ resource, operation, descriptionType: 'auto' }),
		type,
	);

describe('what a model reads of the node as a tool', () => {
	it('the tool variant states the rules of a transfer', () => {
		expect(
			(type.description.usableAsTool as UsableAsToolDescription).replacements?.description,
		).toBe(TOOL_DESCRIPTION);
		for (const rule of [
			'real money',
			'whole KRW',
			'ACTIVE',
			'another, different ACTIVE card of the same member',
			'16 digits given as strings',
			'reference of its own',
			'reuse the same reference when retrying',
			'never sent twice',
			"one card's balance and status (Card → Get)",
			'transferEntireBalance true moves the whole balance',
			'refused together with an amount',
			'do not get around a spending limit by splitting',
		]) {
			expect(TOOL_DESCRIPTION).toContain(rule);
		}
	});

	it.each([
		['card', 'transferBalance', 'Transfer KRW between two ACTIVE cards of a member in Konaplate'],
		['card', 'get', 'Get a card with its balance and status in Konaplate'],
		['card', 'getMany', 'Get many cards of a member in Konaplate'],
		['bankAccount', 'get', 'Get a bank account in Konaplate'],
		['bankAccount', 'delete', 'Delete a bank account in Konaplate'],
	])('set automatically, %s > %s reads "%s"', (resource, operation, text) => {
		expect(automatic(resource, operation)).toBe(text);
	});

	it('the notice of the recommended set-up shows in the tool variant only (@tool: the type name ends in Tool)', () => {
		const tool = { ...type.description, name: `${type.description.name}Tool` };
		expect(
			NodeHelpers.displayParameter({ descriptionType: 'auto' }, toolNotice, node({}), tool),
		).toBe(true);
		expect(NodeHelpers.displayParameter({ resource: 'card' }, toolNotice, node({}), tool)).toBe(
			true,
		);
		expect(
			NodeHelpers.displayParameter({ resource: 'card' }, toolNotice, node({}), type.description),
		).toBe(false);
		expect(
			NodeHelpers.displayParameter(
				{ descriptionType: 'auto' },
				toolNotice,
				node({}),
				type.description,
			),
		).toBe(false);
		for (const words of [
			'Max Amount per Transfer',
			'Max Total per Run',
			'Require Reference',
			'$fromAI()',
			'On Error at Stop Workflow',
		]) {
			expect(toolNotice.displayName).toContain(words);
		}
	});

	it('every parameter a tool call fills has a valid value to quote in a refusal', () => {
		const fields = type.description.properties.filter(
			(property) =>
				property.displayOptions?.show?.operation !== undefined &&
				property.name !== 'operation' &&
				property.type !== 'collection' &&
				property.type !== 'notice',
		);
		for (const field of fields) expect(Object.keys(VALID_VALUE)).toContain(field.name);
	});

	it('gives no example values a model could copy into a real call: no member, card number or reference', () => {
		for (const text of [...Object.values(VALID_VALUE), TOOL_DESCRIPTION]) {
			// The highest amount is a bound, not an example
			expect(text.replace(String(LIMITS.amountMax), 'the highest amount')).not.toMatch(
				/e\.g\.|\d{5,}/,
			);
		}
	});
});

describe('the recommended set-up: docs/ai-agent.md and examples/mcp-server-tools.json say the same', () => {
	const root = join(__dirname, '..');
	const section = readFileSync(join(root, 'docs', 'ai-agent.md'), 'utf8');
	const example = JSON.parse(
		readFileSync(join(root, 'examples', 'mcp-server-tools.json'), 'utf8'),
	) as WorkflowFile;
	const tools = example.nodes.filter(
		(candidate) => candidate.type === 'n8n-nodes-konaplate.konaplateTool',
	);
	const trigger = example.nodes.find(
		(candidate) => candidate.type === '@n8n/n8n-nodes-langchain.mcpTrigger',
	);

	it('docs/ai-agent.md quotes each tool description, $fromAI() expression and the Instructions of the example', () => {
		expect(tools.map((tool) => tool.name)).toEqual(['transfer_card_balance', 'get_card']);
		for (const tool of tools) {
			expect(section).toContain(`named \`${tool.name}\``);
			for (const [name, value] of Object.entries(tool.parameters)) {
				if (name === 'toolDescription')
					expect(section.replace(/\n/g, ' ')).toContain(String(value));
				if (typeof value === 'string' && value.includes('$fromAI')) {
					expect(section).toContain(`\`${value.slice(1)}\``);
					expect(value).not.toMatch(/e\.g\./);
				}
			}
		}
		expect(section.replace(/\n {2}/g, ' ')).toContain(String(trigger?.parameters.instructions));
	});

	it('the example has authentication on, the limits, Require Reference, the switch off and On Error left at Stop', () => {
		expect(trigger?.parameters.authentication).toBe('bearerAuth');
		const transfer = tools[0];
		expect(transfer.parameters).toMatchObject({
			transferEntireBalance: false,
			options: { maxAmountPerTransfer: 100_000, maxTotalPerRun: 100_000, requireReference: true },
		});
		for (const tool of tools) {
			expect(tool.onError).toBeUndefined();
			expect(tool.retryOnFail).toBeUndefined();
			expect(tool.parameters.descriptionType).toBe('manual');
		}
	});
});
