import { createError } from '../../../core/index.js'

// The codes router/object-dispatch owns. Each has a row under router/object-dispatch
// in docs/errors.md; a test checks both ways. Mistakes in a single action
// (a bad method, a controller without the named method) are the router slot's
// DOVETAIL_ERR_ROUTER_INVALID_ROUTE, as for routes added with r.get(…).
export const ObjectDispatchInvalidTree = createError(
  'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE',
  'A controller tree is malformed: a key holds something that is neither an action, a controller nor a helper (a class, a Map, an object of another class), an action sits under a name starting with _, where nothing can reach it, a controller contains itself, index or _default takes params, a parameter name repeats along a path, or a hand-written _lookup leads to named actions. The message names the key.',
)
export const ObjectDispatchBadLookup = createError(
  'DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP',
  'A hand-written _lookup returned something other than undefined or { controller, remainder, params? } with a controller, a remainder shorter than the segments it was given, and string parameters; the request answers 500 and the message names the controller.',
)

/**
 * Every error code router/object-dispatch raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/router/object-dispatch'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE', 'DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP']
 */
export const errorCodes = Object.freeze([ObjectDispatchInvalidTree, ObjectDispatchBadLookup])
