/**
 * What the connected runtime offers, read from its metadata, never from its version number:
 * the argument names of the calls podium sends and the storage items it reads. A call or an
 * item with a shape podium does not know fails here with a message naming both shapes, rather
 * than as an opaque encoding error later.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsicFunction } from '@polkadot/api/types';
import type { ApiDecoration, QueryableStorageEntry } from '@polkadot/api/types';
import { ChainError } from './errors.js';

/** `specName/specVersion` of the connected runtime, for messages. */
export function runtimeName(api: ApiPromise): string {
  return `${api.runtimeVersion.specName.toString()}/${api.runtimeVersion.specVersion.toNumber()}`;
}

/** Argument names of `section.method` (camelCase, as polkadot-js names them), or null if absent. */
export function callShape(api: ApiPromise, section: string, method: string): string[] | null {
  const fn = api.tx[section]?.[method];
  if (!fn) return null;
  return fn.meta.args.map((arg) => arg.name.toString());
}

/** True when the runtime has `section.method`. */
export function hasCall(api: ApiPromise, section: string, method: string): boolean {
  return callShape(api, section, method) !== null;
}

/**
 * Returns `section.method` and the index of the matching shape in `shapes` (lists of argument
 * names). Throws ChainError('shape') when the call is absent or has none of those shapes.
 */
export function requireCall(
  api: ApiPromise,
  section: string,
  method: string,
  shapes: readonly (readonly string[])[],
): { fn: SubmittableExtrinsicFunction<'promise'>; shape: number } {
  const actual = callShape(api, section, method);
  const known = shapes.map((s) => `${section}.${method}(${s.join(', ')})`).join(' or ');
  if (actual === null) {
    throw new ChainError(
      'shape',
      `runtime ${runtimeName(api)} has no ${section}.${method}; podium expects ${known}`,
    );
  }
  const shape = shapes.findIndex(
    (s) => s.length === actual.length && s.every((n, i) => n === actual[i]),
  );
  if (shape < 0) {
    throw new ChainError(
      'shape',
      `runtime ${runtimeName(api)} has ${section}.${method}(${actual.join(', ')}), ` +
        `a shape podium does not know (expected ${known}); update podium for this runtime`,
    );
  }
  return { fn: api.tx[section]![method]!, shape };
}

/** Returns the storage item `section.item` of the connected runtime; throws ChainError('shape'). */
export function requireStorage(
  api: ApiPromise | ApiDecoration<'promise'>,
  section: string,
  item: string,
): QueryableStorageEntry<'promise'> {
  const modules = api.query as unknown as Record<
    string,
    Record<string, QueryableStorageEntry<'promise'> | undefined> | undefined
  >;
  const entry = modules[section]?.[item];
  if (!entry) {
    const version = `${api.runtimeVersion.specName.toString()}/${api.runtimeVersion.specVersion.toNumber()}`;
    throw new ChainError(
      'shape',
      `runtime ${version} has no storage ${section}.${item}, which podium reads`,
    );
  }
  return entry;
}
