/** Helpers to see what a value refers to, through any nesting of intrinsic functions. */

/** Every parameter, resource ("Resource.Attribute" for an attribute) and pseudo parameter a value names. */
export function referencedNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => referencedNames(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      // As Fn::Sub writes it: "Resource.Attribute".
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && inner.every((part) => typeof part === 'string')) into.add(inner.join('.'));
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9:]+)\}/g)) into.add(m[1]!);
        if (Array.isArray(inner)) referencedNames(inner[1], into);
      } else referencedNames(inner, into);
    }
  }
  return into;
}

/** The logical IDs a value refers to (Ref, Fn::GetAtt), through Fn::If and lists. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!value || typeof value !== 'object') return [];
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown[]; 'Fn::If'?: unknown[] };
  if (typeof v.Ref === 'string') return [v.Ref];
  if (Array.isArray(v['Fn::GetAtt'])) return [String(v['Fn::GetAtt'][0])];
  if (Array.isArray(v['Fn::If'])) return v['Fn::If'].slice(1).flatMap(referencedIds);
  return [];
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
