/**
 * The supported Node.js lines are stated once in .ci/run (which tests on each of them) and agree
 * with package.json's engines, the pinned Node npm installs, the Lambda runtime and the README.
 */
import fs from 'node:fs';
import { LAMBDA_RUNTIME } from '../../templates/core/constants';

const ci = fs.readFileSync('.ci/run', 'utf8');
const supported = /^SUPPORTED_NODE_MAJORS=\(([\d ]+)\)$/m.exec(ci)![1]!.split(' ').map(Number);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
const major = (version: string) => Number(/(\d+)/.exec(version)![1]);

describe('supported Node versions', () => {
  it('are maintained LTS lines, none past its end of life (Node 20 ended in April 2026)', () => {
    expect(supported).toEqual([22, 24, 26]);
  });

  it('agree with package.json engines and the pinned Node, which is the Lambda runtime\'s', () => {
    expect(pkg.engines.node).toBe(`>=${supported[0]}`);
    expect(major(pkg.devDependencies.node!)).toBe(supported[0]);
    expect(LAMBDA_RUNTIME).toBe(`nodejs${supported[0]}.x`);
  });

  it('are the ones the README states', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const listed = `${supported.slice(0, -1).join(', ')} and ${supported.at(-1)}`;
    expect(readme).toContain(`Supported: Node.js ${listed}`);
    expect(readme).toContain(`Node ${pkg.devDependencies.node}`);
  });

  it('include the Node these tests run on', () => {
    expect(supported).toContain(major(process.versions.node));
  });
});
