// The shape of every route plugin: requests typed from the same JSON schemas that validate them and document the API.
import type { FastifyPluginAsync, FastifyTypeProvider, RawServerDefault } from 'fastify'
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts'

/** What the package's provider reads from a request schema (Fastify resolves providers the same way). */
type Validated<Schema> = (JsonSchemaToTsProvider & { schema: Schema })['validator']

/**
 * Params, querystring, body and headers get the type json-schema-to-ts reads from their `as const` schema, so handlers
 * need no casts. Replies stay untyped: the response schemas say what is serialised (dates become strings, extra
 * fields are dropped), and handlers return the services' own objects, which the serialiser shapes.
 */
export interface RequestSchemaTypes extends FastifyTypeProvider {
  validator: Validated<this['schema']>
  serializer: unknown
}

/** A route plugin whose handlers see typed requests. */
export type RoutePlugin = FastifyPluginAsync<Record<never, never>, RawServerDefault, RequestSchemaTypes>

/** The instance a route plugin is given, for helpers that add routes to it. */
export type RouteApp = Parameters<RoutePlugin>[0]
