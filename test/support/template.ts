/** Test helpers over synthesized templates. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toJson, toYaml } from '../../templates/core/serialize';
import type { CfnTemplate } from '../policy/types';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const resourcesOfType = (template: Json, type: string): [string, Json][] =>
  Object.entries(template.Resources).filter(([, r]) => (r as Json).Type === type) as [string, Json][];

/** Writes a template's JSON and YAML to a fresh temporary folder (tests never touch build/). */
export function writeTemplateFiles(name: string, template: unknown): { dir: string; json: string; yaml: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pes-${name}-`));
  const json = path.join(dir, `${name}.template.json`);
  const yaml = path.join(dir, `${name}.template.yaml`);
  fs.writeFileSync(json, toJson(template));
  fs.writeFileSync(yaml, toYaml(template));
  return { dir, json, yaml };
}

export const asCfn = (template: unknown) => template as CfnTemplate;
