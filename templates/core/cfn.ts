/**
 * The small vocabulary every builder shares: intrinsic functions in the forms we want to emit,
 * ARNs, and resource attributes cloudform's types lack.
 *
 * cloudform's own `Fn.Sub` always emits the two-argument form (`["…", {}]`); we emit the
 * one-argument form wherever there are no variables so YAML output reads as `!Sub "…"`.
 */
import { IntrinsicFunction, Fn, type ResourceBase } from 'cloudform';
import type { Condition, Value } from 'cloudform-types/types/dataTypes';
import type { CondId, ParamId, RefId, ResId } from './ids';

export type { Value, Condition };
export type Intrinsic = IntrinsicFunction;

/** A JSON value that may contain intrinsic functions. */
export type CfnValue = unknown;

export const ref = (id: RefId): Intrinsic => Fn.Ref(id);
export const getAtt = (id: ResId, attribute: string): Intrinsic => Fn.GetAtt(id, attribute);
export const noValue = (): Intrinsic => ref('AWS::NoValue');

/** The `${...}` variables of a Sub string literal (`${!...}` is a literal, not a variable). */
type SubVariables<S extends string> = S extends `${string}\${${infer V}}${infer Rest}` ? (V extends `!${string}` ? never : V) | SubVariables<Rest> : never;
/** What Fn::Sub resolves: a parameter, resource or pseudo parameter, an attribute (`Resource.Attr`), or a key of `vars`. */
type SubResolvable<K extends string> = RefId | `${ResId}.${string}` | K;
/** The literal itself when every variable resolves; otherwise a type no string has, naming the unknown ones. */
type CheckedSub<S extends string, K extends string> = [Exclude<SubVariables<S>, SubResolvable<K>>] extends [never] ? S : { readonly unknownSubVariable: Exclude<SubVariables<S>, SubResolvable<K>> };

/**
 * `Fn::Sub` in its one-argument form; pass `vars` only when the string needs them. A literal's
 * variables are checked at compile time (a misspelled `${AWS::Regoin}` or `${ManifestParameterNme}`
 * fails); a string built at run time is not.
 */
export function sub<S extends string, K extends string = never>(text: S & CheckedSub<S, K>, vars?: Record<K, CfnValue>): Intrinsic {
  return new IntrinsicFunction('Fn::Sub', vars && Object.keys(vars).length > 0 ? [text, vars] : text);
}

export const iff = (condition: CondId, whenTrue: CfnValue, whenFalse: CfnValue): Intrinsic =>
  Fn.If(condition, whenTrue, whenFalse);
export const equals = (left: CfnValue, right: CfnValue): Intrinsic => Fn.Equals(left, right);
export const not = (condition: Condition): Intrinsic => Fn.Not(condition);
export const and = (...conditions: Condition[]): Intrinsic => Fn.And(conditions);
export const or = (...conditions: Condition[]): Intrinsic => Fn.Or(conditions);
export const conditionRef = (id: CondId): Condition => ({ Condition: id });
/** The rule function `Fn::Contains` (Rules only): whether `value` is one of `values`. */
export const contains = (values: readonly string[], value: CfnValue): Intrinsic => new IntrinsicFunction('Fn::Contains', [values, value]);
export const select = (index: number, list: CfnValue): Intrinsic => Fn.Select(index, list as Value<string>[]);
export const split = (delimiter: string, text: CfnValue): Intrinsic => Fn.Split(delimiter, text as Value<string>);
/** `parts` is a list, or an intrinsic that gives one (a CommaDelimitedList parameter). */
export const join = (delimiter: string, parts: CfnValue[] | Intrinsic): Intrinsic => Fn.Join(delimiter, parts);
export const getAZs = (): Intrinsic => Fn.GetAZs('');
/** `count` CIDR blocks of `bits` host bits each, carved from `block`. */
export const cidr = (block: CfnValue, count: number, bits: number): Intrinsic => new IntrinsicFunction('Fn::Cidr', [block, count, bits]);

/**
 * Whether an optional parameter is empty. Optional lists are String parameters (split where
 * used), not CommaDelimitedList: Rules may use only rule functions (no Fn::Join to test a list),
 * and a whole-string AllowedPattern can bound the number of members.
 */
export const isEmpty = (parameter: ParamId): Intrinsic => equals(ref(parameter), '');
/** The members of an optional comma-separated String parameter (never evaluated when it is empty). */
export const members = (parameter: ParamId): Intrinsic => split(',', ref(parameter));

/** An ARN in this stack's partition, region and account: a hard-coded one breaks in any other. */
export const arn = (service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): Intrinsic =>
  sub(
    `arn:\${AWS::Partition}:${service}:${opts.region === false ? '' : '${AWS::Region}'}:` +
      `${opts.account === false ? '' : '${AWS::AccountId}'}:${resource}`,
  );

/**
 * Sets DeletionPolicy and UpdateReplacePolicy together (cfn-lint wants both). Every stateful
 * resource states its policy, `Delete` included, so the choice is visible and explained. cloudform's
 * ResourceBase predates UpdateReplacePolicy, so the attribute is added here, typed.
 */
export function keepOnDeleteAndReplace<R extends ResourceBase>(resource: R, policy: 'Retain' | 'Snapshot' | 'Delete'): R & { UpdateReplacePolicy: string } {
  resource.DeletionPolicy = policy as ResourceBase['DeletionPolicy'];
  return Object.assign(resource, { UpdateReplacePolicy: policy });
}
