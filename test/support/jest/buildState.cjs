// Every file under build/ with its size and modification time, to tell whether a run touched it.
const fs = require('node:fs');
const path = require('node:path');

const BUILD = path.join(process.cwd(), 'build');

function buildState(dir = BUILD, state = {}) {
  if (!fs.existsSync(dir)) return state;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) buildState(file, state);
    else {
      const stat = fs.statSync(file);
      state[path.relative(BUILD, file)] = `${stat.size}:${stat.mtimeMs}`;
    }
  }
  return state;
}

function buildChanges(before, after) {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).map((name) => `build/${name}`).sort();
}

module.exports = { buildState, buildChanges };
