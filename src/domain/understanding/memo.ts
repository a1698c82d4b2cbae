/**
 * A function of a text, remembered by text. A turn reads its message several times (the router, the
 * recogniser, the place search, the statements, each phrase of the menus compared with it): each distinct
 * text is worked out once, then found again. Bounded, since texts come from strangers: a text longer than
 * `maxLength` is not kept, and the whole map is forgotten once it holds `maxEntries` (the phrases of the
 * menus come back at once).
 */
export function memoByText<T>(
  compute: (text: string) => T,
  limits: { readonly maxEntries: number; readonly maxLength: number },
): (text: string) => T {
  const known = new Map<string, T>();
  return (text: string): T => {
    if (text.length > limits.maxLength) return compute(text);
    const found = known.get(text);
    if (found !== undefined || known.has(text)) return found as T;
    const value = compute(text);
    if (known.size >= limits.maxEntries) known.clear();
    known.set(text, value);
    return value;
  };
}
