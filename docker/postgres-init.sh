#!/bin/sh
# Runs once, when the postgres service creates its database: the application's own role, which
# may create its schemas (read models, keys, sessions) but gets only select and insert on the
# event log, granted by the owner (POSTGRES_USER) when the API migrates.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
create role samverkan_app login password '${SAMVERKAN_APP_PASSWORD}';
grant create on database ${POSTGRES_DB} to samverkan_app;
SQL
