// Package sdkcheck checks the SDKs that users get from provider/schema.json,
// in its tests only (so that nothing here imports Pulumi's code generators):
//
//   - the Node.js SDK, generated in-process with pulumi's codegen/nodejs,
//     compiles under `tsc --strict` together with a TypeScript program that
//     passes an Output to every input of every component and a plain value to
//     every input of every function, generated from the same schema;
//   - the Python SDK, generated with codegen/python, byte-compiles
//     (`python3 -m py_compile`; pulumi's Python package comes only from PyPI,
//     so there is no type check).
//
// The TypeScript compiler and Pulumi's Node.js type declarations come from
// install-node-deps.sh (dist/sdkcheck/node_modules), which CI runs first.
package sdkcheck
