#!/bin/sh
# perfdesk launcher: the program lives in /opt/perfdesk (a self-contained bundle).
exec /opt/perfdesk/perfdesk "$@"
