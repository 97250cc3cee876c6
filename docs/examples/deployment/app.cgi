#!/bin/sh
# The CGI program the web server runs for each request. The server starts it
# with a bare environment: say where the project is, which node, which mode.
cd /srv/dovetail || exit 1
export NODE_ENV=production
exec /usr/bin/node --import tsx docs/examples/deployment/cgi.ts
