/**
 * Template text: JSON, and YAML with CloudFormation short-form tags (`!Ref`, `!Sub`, `!If` ...),
 * plus a parser for that YAML so tests can prove both forms say the same thing.
 * Uses the `yaml` package because it can both emit and read custom tags; hand-written YAML
 * escaping is where templates go wrong.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, parse, type Node, type Tags } from 'yaml';

/** Functions that have a `!Name` short form. `Condition` and `Ref` are special-cased. */
const SHORT_FORM_FUNCTIONS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf',
  'ValueOfAll', 'Length', 'ToJsonString', 'GetAtt',
] as const;

export function toJson(template: unknown): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

export function toYaml(template: unknown): string {
  const doc = new Document();
  doc.contents = toNode(template) as never;
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

function intrinsicName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (key === 'Ref') return 'Ref';
  return key.startsWith('Fn::') && (SHORT_FORM_FUNCTIONS as readonly string[]).includes(key.slice(4)) ? key.slice(4) : undefined;
}

function toNode(value: unknown): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map(toNode);
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const short = toShortForm(value as Record<string, unknown>);
    if (short) return short;
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value)) map.items.push(new Pair(new Scalar(key), toNode(item)));
    return map;
  }
  return new Scalar(value);
}

/**
 * `{"Fn::Sub": "x"}` becomes `!Sub x`. A YAML node carries one tag, so when the argument is
 * itself a short form (`!Base64 !Sub ...` is not valid YAML) the outer function stays long.
 */
function toShortForm(value: Record<string, unknown>): Node | undefined {
  const name = intrinsicName(value);
  if (!name) return undefined;
  const argument = Object.values(value)[0];
  if (intrinsicName(argument)) return undefined;
  let node: Node;
  if (name === 'GetAtt' && Array.isArray(argument) && argument.every((part) => typeof part === 'string')) {
    node = new Scalar(argument.join('.'));
  } else {
    node = toNode(argument);
  }
  node.tag = `!${name}`;
  return node;
}

/** Custom tags to read CloudFormation YAML back into the JSON form. */
const CFN_TAGS: Tags = ['Ref', ...SHORT_FORM_FUNCTIONS].flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const wrap = (argument: unknown) => ({
    [key]: name === 'GetAtt' && typeof argument === 'string' ? splitGetAtt(argument) : argument,
  });
  return [
    { tag: `!${name}`, resolve: (text: string) => wrap(text) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) },
  ];
});

function splitGetAtt(text: string): string[] {
  const dot = text.indexOf('.');
  return [text.slice(0, dot), text.slice(dot + 1)];
}

export function parseCfnYaml(text: string): unknown {
  return parse(text, { customTags: CFN_TAGS, intAsBigInt: false });
}
