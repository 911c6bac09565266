import { createHash } from 'node:crypto';

/* The emulator's derived identifiers: PAR tokens and product ids, the same for a card every run. */

export const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** A card's PAR token: 27 characters that stand in for the card number and never contain it. */
export function parOf(cardNo: string): string {
	return `Q1J${digest(`par:${cardNo}`).slice(0, 24).toUpperCase()}`;
}

export function serviceIdOf(product: string): string {
	return `SVC${digest(`service:${product}`).slice(0, 12).toUpperCase()}`;
}
