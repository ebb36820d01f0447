/**
 * The value a name-keyed table has for a name a user wrote (an element, a theme colour, a
 * paper size, a language). Own entries only: `table[name]` and `name in table` would also find
 * what every object inherits, so "toString" or "constructor" would pass as a known name.
 */
export function own<V>(table: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
