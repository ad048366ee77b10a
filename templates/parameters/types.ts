/** The shape of the console's parameter groups, shared by the worker and server groups. */
import type Parameter from 'cloudform-types/types/parameter';
import type { ParamId } from '../core/ids';

export interface ParameterSpec {
  readonly label: string;
  readonly parameter: Parameter;
}

export type Group = { readonly label: string; readonly parameters: Partial<Record<ParamId, ParameterSpec>> };
