/** What replaces a secret (password, NUMEN, link, token) wherever the product keeps or shows text. */
export const MASK = '[masqué]';
