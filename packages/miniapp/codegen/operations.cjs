// @ts-check
/**
 * The operations of the documents as the mini-program sends them: each operation's text (with the fragments it
 * spreads, ignored characters stripped) and its SHA-256, shared by the typed-documents and persisted-manifest
 * plugins so the hash the client sends is the hash the API registers.
 */
const { createHash } = require('node:crypto');
const { print, visit, Kind, stripIgnoredCharacters } = require('graphql');

/**
 * @param {import('@graphql-codegen/plugin-helpers').Types.DocumentFile[]} documents
 * @returns {{ name: string, type: 'query' | 'mutation', body: string, sha256: string }[]}
 */
function operationsOf(documents) {
  /** @type {Map<string, import('graphql').FragmentDefinitionNode>} */
  const fragments = new Map();
  /** @type {import('graphql').OperationDefinitionNode[]} */
  const operations = [];
  for (const file of documents) {
    for (const def of file.document?.definitions ?? []) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      else if (def.kind === Kind.OPERATION_DEFINITION) operations.push(def);
    }
  }
  /** @param {import('graphql').ASTNode} node @param {Set<string>} seen */
  const collect = (node, seen) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (seen.has(name)) return;
        seen.add(name);
        const frag = fragments.get(name);
        if (!frag) throw new Error(`fragment ${name} is not defined`);
        collect(frag, seen);
      },
    });
    return seen;
  };
  return operations.map((op) => {
    if (!op.name) throw new Error('every operation needs a name');
    if (op.operation === 'subscription') throw new Error(`${op.name.value}: subscriptions are not supported`);
    const used = [...collect(op, new Set())].sort().map((f) => print(/** @type {any} */ (fragments.get(f))));
    const body = stripIgnoredCharacters([print(op), ...used].join('\n\n'));
    return { name: op.name.value, type: op.operation, body, sha256: createHash('sha256').update(body).digest('hex') };
  });
}

module.exports = { operationsOf };
