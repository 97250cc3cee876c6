import { HttpTimeLimit } from '../errors/codes.js'
import { ServiceUnavailableError } from '../errors/http-error.js'
import { lightResponseParts } from '../gateway/light-response.js'

/**
 * The answer to a request whose handler outlived `limits.handlerTimeout`: a
 * 503, not a 504. 504 says a gateway got no answer from the server behind
 * it; here the server itself gives up on its own work, as Go's
 * `http.TimeoutHandler` does with 503, and 503 with `Retry-After` is what
 * clients and load balancers retry. Its own code tells it apart from an
 * outage in logs and bodies.
 */
export function timeLimitError(method: string, path: string, ms: number): ServiceUnavailableError {
  return new ServiceUnavailableError(`${method} ${path} produced no response within limits.handlerTimeout (${ms} ms)`, {
    code: HttpTimeLimit.code,
  })
}

/**
 * `answer` if it settles within `ms`, else what `timeUp()` gives, at `ms`.
 * `answer` never rejects (the app renders errors into it) and goes on after
 * the time is up: it still disposes the request's scope when it ends, and
 * its late response is dropped here, the body cancelled, since the client
 * already has one.
 *
 * A timer per request rather than one sweep for all: a Node timer is a list
 * entry, and setting and clearing one costs well under a microsecond (see
 * docs/config.md#limits for the figure).
 */
export function withinTimeLimit(answer: Promise<Response>, ms: number, timeUp: () => Response): Promise<Response> {
  return new Promise((resolve) => {
    let late = false
    const timer = setTimeout(() => {
      late = true
      resolve(timeUp())
    }, ms)
    void answer.then((response) => {
      if (!late) {
        clearTimeout(timer)
        resolve(response)
      } else if (!lightResponseParts(response)) {
        // A light response holds a string or bytes; only a real body may hold a stream open.
        void response.body?.cancel().catch(() => {})
      }
    })
  })
}
