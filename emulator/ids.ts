import { createHash } from 'node:crypto';

/* The emulator's derived identifiers: PAR tokens and product ids, the same for a card every run. */

export const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * An id derived from a card or a product, made once: a card list asks for three of each of its
 * cards on every read, a cost Konaplate's own answers do not have.
 */
function derived(make: (of: string) => string): (of: string) => string {
	const made = new Map<string, string>();
	return (of) => {
		let id = made.get(of);
		if (id === undefined) made.set(of, (id = make(of)));
		return id;
	};
}

/** A card's PAR token: 27 characters that stand in for the card number and never contain it. */
export const parOf = derived(
	(cardNo) => `Q1J${digest(`par:${cardNo}`).slice(0, 24).toUpperCase()}`,
);

export const serviceIdOf = derived(
	(product) => `SVC${digest(`service:${product}`).slice(0, 12).toUpperCase()}`,
);

/** A card's application number. */
export const cardApplyNoOf = derived(
	(cardNo) => `CA${digest(`apply:${cardNo}`).slice(0, 20).toUpperCase()}`,
);
