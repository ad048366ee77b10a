/** Helpers to see what a value refers to, through any nesting of intrinsic functions. */
export function referencedNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => referencedNames(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9:]+)\}/g)) into.add(m[1]!);
        if (Array.isArray(inner)) referencedNames(inner[1], into);
      } else referencedNames(inner, into);
    }
  }
  return into;
}

export const containsDynamicSecretReference = (value: unknown): boolean => JSON.stringify(value ?? null).includes('{{resolve:secretsmanager');

/** The text of a resource: a plain string or the template string of an `Fn::Sub`. */
export function resourceText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown })?.['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  return undefined;
}
