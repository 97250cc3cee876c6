#!/bin/sh
# The CGI program the web server runs for each request. The server starts it
# with a bare environment: say where the project is, which node, which mode,
# and where the app's settings are (SESSION_SECRET=..., one per line, in a
# file the web server's user can read and nobody else).
cd /srv/dovetail || exit 1
export NODE_ENV=production
exec /usr/bin/node --env-file=/etc/dovetail/app.env dist/cgi.js
