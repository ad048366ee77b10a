import fs from 'node:fs';
import { parse } from 'smol-toml';
import { PUBLISHED_STACKS } from '../../templates/stacks';

type Deploy = { template_file: string; parameter_overrides: string[]; capabilities: string; stack_name: string; region: string; resolve_s3: boolean; tags: string[] };
const config = parse(fs.readFileSync('samconfig.toml', 'utf8')) as Record<string, { deploy?: { parameters?: Deploy } }>;

describe('samconfig.toml', () => {
  const environments = Object.entries(config).filter(([, v]) => typeof v === 'object' && v.deploy?.parameters);

  it('has a default and a prod environment', () => {
    expect(environments.map(([name]) => name)).toEqual(['default', 'prod']);
  });

  describe.each(environments.map(([name, env]) => [name, env.deploy!.parameters!] as const))('%s environment', (_name, deploy) => {
    // npm run synth writes build/<stack>.template.{json,yaml}; the template is built here, in memory.
    const match = /^build\/([a-z]+)\.template\.(json|yaml)$/.exec(deploy.template_file);
    const stack = PUBLISHED_STACKS.find((s) => s.name === match?.[1]);

    it('points at a template that synthesis writes', () => {
      expect(match).not.toBeNull();
      expect(stack).toBeDefined();
    });

    it('overrides only real parameters, with values the template accepts', () => {
      const parameters = stack!.build().Parameters as Record<string, { AllowedValues?: unknown[]; AllowedPattern?: string; Type: string }>;
      for (const override of deploy.parameter_overrides) {
        const [name, ...rest] = override.split('=');
        const value = rest.join('=');
        expect(Object.keys(parameters)).toContain(name);
        const p = parameters[name!]!;
        if (p.AllowedValues) expect(p.AllowedValues.map(String)).toContain(value);
        if (p.AllowedPattern) expect(value).toMatch(new RegExp(p.AllowedPattern));
      }
    });

    it('has a stack name, a region, resolve_s3, the capabilities the template needs, and tags', () => {
      expect(deploy.stack_name).toMatch(/^[A-Za-z][A-Za-z0-9-]+$/);
      expect(deploy.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(deploy.resolve_s3).toBe(true);
      expect(deploy.capabilities.split(' ')).toEqual(expect.arrayContaining(['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND']));
      expect(deploy.tags.length).toBeGreaterThan(0);
    });
  });
});
