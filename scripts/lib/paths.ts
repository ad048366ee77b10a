/** Where things live. Scripts and tests run from the repository root (npm and jest do so). */
import path from 'node:path';

export const ROOT = process.cwd();
export const BUILD_DIR = path.join(ROOT, 'build');
export const LAMBDAS_DIR = path.join(ROOT, 'lambdas');
export const LAMBDA_BUNDLES_DIR = path.join(BUILD_DIR, 'lambdas');
export const PYTHON_SCRIPTS_DIR = path.join(ROOT, 'scripts', 'python');
export const CFN_GUARD_PACKAGE = path.join(ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard');

export const templatePath = (stack: string, format: 'json' | 'yaml') => path.join(BUILD_DIR, `${stack}.template.${format}`);
export const expandedTemplatePath = (stack: string) => path.join(BUILD_DIR, `${stack}.expanded.json`);
