/**
 Fastify's own schema compilers, loaded on first use. Without this option
 Fastify requires them as it builds the app: ajv (85 modules) and
 fast-json-stringify, about 3 MiB of a headless mcpd's resident memory at
 rest, while no mcpd route declares a schema. Should one ever do, the same
 compilers load then; the one difference is that Fastify counts them as
 custom, which only changes how a `headers` schema's keys are cased.
 */
import {createRequire} from 'node:module';
import type {FastifyServerOptions} from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Builder = (...parameters: unknown[]) => unknown;

// Fastify's dependencies, so resolved from Fastify's own location, not mcpd's.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

function onFirstUse(module: string): Builder {
	let build: Builder | undefined;
	return (...parameters) => {
		build ??= (fromFastify(module) as () => Builder)();
		return build(...parameters);
	};
}

export const lazySchemaCompilers: Factories = {
	buildValidator: onFirstUse('@fastify/ajv-compiler') as Factories['buildValidator'],
	buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler') as Factories['buildSerializer'],
};
